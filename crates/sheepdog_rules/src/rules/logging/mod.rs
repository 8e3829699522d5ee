mod no_log_retention;
mod tracing_not_active;

pub use no_log_retention::NoLogRetention;
pub use tracing_not_active::TracingNotActive;

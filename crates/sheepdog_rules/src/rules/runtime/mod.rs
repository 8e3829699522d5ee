mod deprecated_runtime;
mod runtime_deprecation_soon;

pub use deprecated_runtime::DeprecatedRuntime;
pub use runtime_deprecation_soon::RuntimeDeprecationSoon;

mod environment_without_cmk;
mod secret_in_environment;

pub use environment_without_cmk::EnvironmentWithoutCmk;
pub use secret_in_environment::SecretInEnvironment;

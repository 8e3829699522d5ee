mod function_url_auth_none;
mod public_invoke_permission;

pub use function_url_auth_none::FunctionUrlAuthNone;
pub use public_invoke_permission::PublicInvokePermission;

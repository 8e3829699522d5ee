use crate::Rule;
mod function_url_auth_none;
mod public_invoke_permission;

use function_url_auth_none::FunctionUrlAuthNone;
use public_invoke_permission::PublicInvokePermission;

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[&PublicInvokePermission, &FunctionUrlAuthNone];

use crate::Rule;
mod api_policy_any_principal;
mod api_route_without_auth;
mod function_url_auth_none;
mod function_url_cors_credentials;
mod permission_beyond_invoke;
mod public_invoke_permission;

use api_policy_any_principal::ApiPolicyAnyPrincipal;
use api_route_without_auth::ApiRouteWithoutAuth;
use function_url_auth_none::FunctionUrlAuthNone;
use function_url_cors_credentials::FunctionUrlCorsCredentials;
use permission_beyond_invoke::PermissionBeyondInvoke;
use public_invoke_permission::PublicInvokePermission;

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[
    &PublicInvokePermission,
    &FunctionUrlAuthNone,
    &FunctionUrlCorsCredentials,
    &ApiRouteWithoutAuth,
    &ApiPolicyAnyPrincipal,
    &PermissionBeyondInvoke,
];

use crate::Rule;
mod api_policy_any_principal;
mod api_route_without_auth;
mod cross_account_permission;
mod function_url_auth_none;
mod function_url_cors_credentials;
mod permission_beyond_invoke;
mod principals;
mod public_invoke_permission;
mod public_layer;
mod service_permission_without_source;

use api_policy_any_principal::ApiPolicyAnyPrincipal;
use api_route_without_auth::ApiRouteWithoutAuth;
use cross_account_permission::CrossAccountPermission;
use function_url_auth_none::FunctionUrlAuthNone;
use function_url_cors_credentials::FunctionUrlCorsCredentials;
use permission_beyond_invoke::PermissionBeyondInvoke;
use public_invoke_permission::PublicInvokePermission;
use public_layer::PublicLayer;
use service_permission_without_source::ServicePermissionWithoutSource;

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[
    &PublicInvokePermission,
    &FunctionUrlAuthNone,
    &FunctionUrlCorsCredentials,
    &ServicePermissionWithoutSource,
    &CrossAccountPermission,
    &ApiRouteWithoutAuth,
    &PublicLayer,
    &ApiPolicyAnyPrincipal,
    &PermissionBeyondInvoke,
];

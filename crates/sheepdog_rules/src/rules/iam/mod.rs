//! IAM: what execution roles and policies grant (IAM001–IAM013). `grants` gathers a
//! template's grants by the statement that writes them, for the rules about broad grants.

use crate::Rule;

mod allow_not_action;
mod broad_managed_policy;
mod cannot_write_logs;
mod data_read_on_any_resource;
mod execution_roles;
mod full_admin;
mod grants;
mod pass_role_on_any_role;
mod privilege_escalation;
mod service_wildcard;
mod shared_execution_role;
mod trust_too_broad;
mod write_on_any_resource;

use allow_not_action::AllowNotAction;
use broad_managed_policy::BroadManagedPolicy;
use cannot_write_logs::CannotWriteLogs;
use data_read_on_any_resource::DataReadOnAnyResource;
use full_admin::FullAdmin;
use pass_role_on_any_role::PassRoleOnAnyRole;
use privilege_escalation::PrivilegeEscalation;
use service_wildcard::ServiceWildcard;
use shared_execution_role::SharedExecutionRole;
use trust_too_broad::TrustTooBroad;
use write_on_any_resource::WriteOnAnyResource;

/// This family's rules, in documentation order (by ID).
pub(super) static RULES: &[&dyn Rule] = &[
    &FullAdmin,             // IAM001
    &ServiceWildcard,       // IAM002
    &WriteOnAnyResource,    // IAM003
    &PrivilegeEscalation,   // IAM004
    &AllowNotAction,        // IAM005
    &BroadManagedPolicy,    // IAM006
    &SharedExecutionRole,   // IAM007
    &TrustTooBroad,         // IAM008
    &DataReadOnAnyResource, // IAM009
    &PassRoleOnAnyRole,     // IAM011
    &CannotWriteLogs,       // IAM013
];

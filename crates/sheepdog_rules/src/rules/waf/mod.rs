use crate::Rule;
mod api_stage_without_web_acl;
mod web_acl_without_managed_rules;

use api_stage_without_web_acl::ApiStageWithoutWebAcl;
use web_acl_without_managed_rules::WebAclWithoutManagedRules;

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[&ApiStageWithoutWebAcl, &WebAclWithoutManagedRules];

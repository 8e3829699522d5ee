use crate::Rule;
mod api_without_request_validation;

use api_without_request_validation::ApiWithoutRequestValidation;

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[&ApiWithoutRequestValidation];

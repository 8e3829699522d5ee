//! The roles functions run as, and how messages name them: shared by the rules that judge
//! a role as a function's execution role.

use sheepdog_model::{Model, Origin, Role};

use crate::context::{describe, join};

/// The model's roles that at least one function runs as, in model order, each with the
/// logical IDs of those functions. A role no function of the template uses is left out:
/// these rules speak of what a function can do.
pub(super) fn execution_roles(model: &Model) -> Vec<(&Role, Vec<&str>)> {
    let runs_as = model.function_ids_by_role();
    model
        .roles
        .iter()
        .filter_map(|role| {
            let functions = runs_as.get(role.resource.id.as_str())?;
            Some((role, functions.clone()))
        })
        .collect()
}

/// How messages name the role: Execution role `R` of `F` (just the role when SAM made it
/// for that function).
pub(super) fn execution_role_of(role: &Role, functions: &[&str]) -> String {
    let of = match &role.resource.origin {
        Origin::Derived { from, .. } if functions == [from.as_str()] => String::new(),
        _ => {
            let quoted: Vec<String> = functions.iter().map(|f| format!("`{f}`")).collect();
            format!(" of {}", join(&quoted, "and"))
        }
    };
    format!("Execution role {}{of}", describe(&role.resource))
}

//! The catalog: one module per family, each with its explicit `RULES` list, joined here in
//! documentation order. A meta test checks every `declare_rule!` in this directory is listed.

mod exposure;
mod iam;
mod logging;
mod runtime;
mod secrets;
mod throttling;
mod versioning;

use std::sync::LazyLock;

use crate::Rule;

/// Every rule sheepdog has, opt-in ones included.
pub static ALL_RULES: LazyLock<Vec<&'static dyn Rule>> = LazyLock::new(|| {
    [
        iam::RULES,
        exposure::RULES,
        secrets::RULES,
        logging::RULES,
        runtime::RULES,
        throttling::RULES,
        versioning::RULES,
    ]
    .concat()
});

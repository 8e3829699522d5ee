//! The catalog: one module per family, each with its explicit `RULES` list, joined here in
//! documentation order. A meta test checks every `declare_rule!` in this directory is listed.

mod exposure;
mod iam;
mod input;
mod logging;
mod network;
mod runtime;
mod secrets;
mod supply_chain;
mod suppressions;
mod throttling;
mod tls;
mod versioning;
mod waf;

use std::sync::LazyLock;

use crate::Rule;

pub use suppressions::{ConfigSuppression, ExpiredSuppression, check_config_suppressions};

/// Every rule sheepdog has, opt-in ones included.
pub static ALL_RULES: LazyLock<Vec<&'static dyn Rule>> = LazyLock::new(|| {
    [
        iam::RULES,
        exposure::RULES,
        secrets::RULES,
        logging::RULES,
        network::RULES,
        tls::RULES,
        input::RULES,
        waf::RULES,
        versioning::RULES,
        throttling::RULES,
        runtime::RULES,
        supply_chain::RULES,
        suppressions::RULES,
    ]
    .concat()
});

//! Facts about risky actions (`data/iam-risk.json`, generated from a pinned public source):
//! privilege-escalation methods, and actions that expose credentials or read data.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

const DATA: &str = include_str!("../../../data/iam-risk.json");

#[derive(Debug, Default, Deserialize)]
pub struct Risk {
    pub generated: String,
    /// Method name → the actions that, all allowed on any resource, make it possible.
    pub privilege_escalation: BTreeMap<String, Vec<String>>,
    /// Actions that return credentials.
    pub credentials_exposure: Vec<String>,
    /// Read actions that return data worth stealing (objects, parameters, secrets).
    pub data_exfiltration: Vec<String>,
}

pub fn risk() -> &'static Risk {
    static RISK: OnceLock<Risk> = OnceLock::new();
    RISK.get_or_init(|| serde_json::from_str(DATA).unwrap_or_default())
}

impl Risk {
    /// Whether `action` (`service:Name`, any case) is in `list`.
    pub fn contains(list: &[String], action: &str) -> bool {
        list.iter().any(|a| a.eq_ignore_ascii_case(action))
    }
}

/// The generation date of the embedded risk facts, read from the file's header alone.
pub(crate) fn generated_date() -> &'static str {
    crate::json_generated_date(DATA)
}

#[cfg(test)]
mod tests {
    use crate::catalog;

    #[test]
    fn lists_name_real_actions() {
        let r = super::risk();
        assert_eq!(r.privilege_escalation.len(), 59);
        for actions in r.privilege_escalation.values() {
            for a in actions {
                assert!(catalog().action(a).is_some(), "{a}");
            }
        }
        assert!(r.data_exfiltration.iter().any(|a| a == "s3:GetObject"));
        assert!(!r.credentials_exposure.is_empty());
    }
}

//! AWS managed policies (`data/managed-policies.json`: the latest version of each, plus the
//! deprecated ones old roles can still have attached), parsed once on first use.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;
use sheepdog_diagnostics::Span;

use crate::PolicyDocument;
use crate::json::document_from_json;

const DATA: &str = include_str!("../../../data/managed-policies.json");

#[derive(Debug, Deserialize)]
pub struct ManagedPolicy {
    #[serde(skip)]
    pub name: String,
    pub arn: Option<String>,
    pub path: Option<String>,
    pub deprecated: bool,
    pub updated: Option<String>,
    document: serde_json::Value,
}

#[derive(Deserialize)]
struct File {
    generated: String,
    data_date: String,
    policies: HashMap<String, ManagedPolicy>,
}

pub struct ManagedPolicies {
    policies: HashMap<String, ManagedPolicy>,
    /// `path + name` (e.g. `service-role/AWSLambdaBasicExecutionRole`) → name.
    by_path: HashMap<String, String>,
    pub generated: String,
    pub data_date: String,
}

pub fn managed_policies() -> &'static ManagedPolicies {
    static POLICIES: OnceLock<ManagedPolicies> = OnceLock::new();
    POLICIES.get_or_init(|| {
        let file: File = serde_json::from_str(DATA).unwrap_or_else(|_| File {
            generated: "1970-01-01".into(),
            data_date: "1970-01-01".into(),
            policies: HashMap::new(),
        });
        let mut policies = file.policies;
        for (name, p) in &mut policies {
            name.clone_into(&mut p.name);
        }
        let by_path = policies
            .values()
            .filter_map(|p| {
                let path = p.path.as_deref()?.trim_start_matches('/');
                Some((format!("{path}{}", p.name), p.name.clone()))
            })
            .collect();
        ManagedPolicies {
            policies,
            by_path,
            generated: file.generated,
            data_date: file.data_date,
        }
    })
}

impl ManagedPolicies {
    pub fn by_name(&self, name: &str) -> Option<&ManagedPolicy> {
        self.policies.get(name)
    }

    /// The AWS managed policy an ARN names, in any partition
    /// (`arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`, or with
    /// `${AWS::Partition}` kept symbolic). `None` for customer managed policies and
    /// policies sheepdog does not know.
    pub fn by_arn(&self, arn: &str) -> Option<&ManagedPolicy> {
        let (_, rest) = arn.split_once(":iam::aws:policy/")?;
        if let Some(name) = self.by_path.get(rest) {
            return self.policies.get(name);
        }
        // Deprecated policies whose path is not recorded: match the name alone.
        let name = rest.rsplit('/').next()?;
        self.policies.get(name).filter(|p| p.path.is_none())
    }

    /// The ARN for a managed policy name, as SAM resolves `Policies: [Name]`.
    pub fn arn_of(&self, name: &str) -> Option<&str> {
        self.policies.get(name)?.arn.as_deref()
    }

    /// Every policy name, in no particular order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.policies.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.policies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }
}

impl ManagedPolicy {
    /// The policy's document, every element located at `span` (the place the policy is
    /// attached: that is where a finding about it points).
    pub fn document(&self, span: &Span) -> PolicyDocument {
        document_from_json(&self.document, span)
    }
}

/// The generation date of the embedded managed policies, read from the file's header alone.
pub(crate) fn generated_date() -> &'static str {
    crate::json_generated_date(DATA)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_policies() {
        let m = managed_policies();
        assert!(m.len() > 1_600);
        let basic = m
            .by_arn("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
            .expect("basic execution role");
        assert_eq!(basic.name, "AWSLambdaBasicExecutionRole");
        assert!(
            m.by_arn("arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess")
                .is_some()
        );
        assert!(m.by_arn("arn:aws:iam::123456789012:policy/Mine").is_none());
        let full = m.by_name("AWSLambdaFullAccess").expect("deprecated policy");
        assert!(full.deprecated);
        assert_eq!(
            m.arn_of("AWSLambdaVPCAccessExecutionRole"),
            Some("arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole")
        );
    }
}

//! Everything a role's permissions come from, gathered once for the IAM rules: inline
//! policies, AWS managed policies (from the embedded catalog), and standalone policies of
//! the template attached to it.

use sheepdog_iam::{Effective, PolicyDocument, Statement, effective, managed_policies};
use sheepdog_model::{Model, Role, Sourced, Value};

/// The documents that make up a role's permissions.
pub struct RolePolicies<'m> {
    /// Inline policies (and the statements SAM policy templates expand to).
    pub inline: Vec<&'m PolicyDocument>,
    /// AWS managed policies attached by ARN (or SAM name), with their name; their
    /// statements point at the ARN in the template.
    pub managed: Vec<(&'static str, PolicyDocument)>,
    /// Standalone `AWS::IAM::Policy`/`ManagedPolicy` resources attached to the role.
    pub standalone: Vec<&'m PolicyDocument>,
    /// Attached policies sheepdog cannot read: customer managed policies outside the
    /// template, unknown ARNs. The role may be allowed more than `effective` says.
    pub unreadable: Vec<&'m Sourced<String>>,
}

impl<'m> RolePolicies<'m> {
    pub fn of(model: &'m Model, role: &'m Role) -> Self {
        let mut managed = Vec::new();
        let mut unreadable = Vec::new();
        for arn in &role.managed_policy_arns {
            match &arn.value {
                Value::Known(a) => {
                    if let Some(p) = managed_policies().by_arn(a) {
                        managed.push((p.name.as_str(), p.document(&arn.span)));
                    } else if model.policy_by_arn(&arn.value).is_none() {
                        unreadable.push(arn);
                    }
                }
                Value::Unknown(_) => {
                    if model.policy_by_arn(&arn.value).is_none() {
                        unreadable.push(arn);
                    }
                }
            }
        }
        Self {
            inline: role.inline_policies.iter().map(|p| &p.document).collect(),
            managed,
            standalone: model
                .policies_of(role)
                .filter_map(|p| p.document.as_ref())
                .collect(),
            unreadable,
        }
    }

    /// Every statement of every document.
    pub fn statements(&self) -> impl Iterator<Item = &Statement> {
        self.inline
            .iter()
            .copied()
            .chain(self.managed.iter().map(|(_, d)| d))
            .chain(self.standalone.iter().copied())
            .flat_map(|d| &d.statements)
    }

    /// What the role is allowed, as far as sheepdog can see.
    pub fn effective(&self) -> Effective<'_> {
        let mut e = effective(self.statements());
        e.incomplete |= !self.unreadable.is_empty()
            || self
                .inline
                .iter()
                .chain(self.standalone.iter())
                .any(|d| d.incomplete);
        e
    }

    /// The name of the managed policy a statement belongs to, when it is one.
    pub fn managed_name(&self, statement: &Statement) -> Option<&'static str> {
        self.managed
            .iter()
            .find(|(_, d)| d.statements.iter().any(|s| std::ptr::eq(s, statement)))
            .map(|(n, _)| *n)
    }
}

/// Where a statement is, for messages: its `Sid` when it has one.
pub fn statement_label(statement: &Statement) -> String {
    statement
        .sid
        .as_ref()
        .and_then(|s| s.value.as_str())
        .map_or_else(String::new, |sid| format!(" (statement `{sid}`)"))
}

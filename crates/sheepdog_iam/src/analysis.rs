//! What a set of policy statements effectively allows: wildcards expanded against the
//! catalog, `NotAction` turned into the actions it leaves, unconditional `Deny` subtracted.

use std::collections::HashSet;

use sheepdog_diagnostics::Span;

use crate::catalog::{Action, catalog};
use crate::matching::is_any;
use crate::{Effect, Statement};

/// The resources a grant reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Reach {
    /// `Resource: "*"` (or `NotResource`, which allows everything it does not name).
    AnyResource,
    /// Only named resources (ARNs, patterns narrower than `*`).
    Scoped,
    /// A resource could not be resolved: it may or may not be `*`.
    Unknown,
}

/// One action a statement allows.
#[derive(Debug, Clone)]
pub struct Grant<'d> {
    pub action: &'static Action,
    pub statement: &'d Statement,
    /// The `Action` entry that grants it (or the `NotAction` element).
    pub span: &'d Span,
    /// That entry as written (`s3:*`, or `NotAction` for a `NotAction` statement).
    pub pattern: &'d str,
    pub reach: Reach,
    /// The statement has a `Condition`: the grant holds only sometimes.
    pub conditional: bool,
}

/// The effect of a set of statements.
#[derive(Debug, Default)]
pub struct Effective<'d> {
    pub grants: Vec<Grant<'d>>,
    /// `Action`/`NotAction` entries that name no action in the catalog, with where they are:
    /// a typo, or an action AWS removed. In a `Deny` that is a real hole.
    pub unknown_actions: Vec<(&'d str, &'d Span, Effect)>,
    /// Something could not be evaluated (an unresolved element, an unknown effect): the
    /// grants are a lower bound and absences prove nothing.
    pub incomplete: bool,
}

impl Effective<'_> {
    /// Whether `action` (`service:Name`) is allowed on any resource, unconditionally.
    pub fn allows_on_any(&self, action: &str) -> bool {
        self.grants.iter().any(|g| {
            g.reach == Reach::AnyResource
                && !g.conditional
                && g.action.full_name().eq_ignore_ascii_case(action)
        })
    }

    /// The broadest grant of each action (any resource over scoped, unconditional over
    /// conditional), one per action, in catalog order.
    pub fn by_action(&self) -> Vec<&Grant<'_>> {
        let mut best: Vec<&Grant<'_>> = Vec::new();
        let mut index: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
        for g in &self.grants {
            let key = g.action.index();
            match index.get(&key) {
                Some(&i) if rank(best[i]) >= rank(g) => {}
                Some(&i) => best[i] = g,
                None => {
                    index.insert(key, best.len());
                    best.push(g);
                }
            }
        }
        best
    }
}

fn rank(g: &Grant<'_>) -> u8 {
    let reach = match g.reach {
        Reach::AnyResource => 2,
        Reach::Unknown => 1,
        Reach::Scoped => 0,
    };
    reach * 2 + u8::from(!g.conditional)
}

/// Evaluate `statements` (of one principal's policies, identity-based).
pub fn effective<'d>(statements: impl IntoIterator<Item = &'d Statement>) -> Effective<'d> {
    let cat = catalog();
    let mut out = Effective::default();
    let mut denies: Vec<&Statement> = Vec::new();
    for st in statements {
        let Some(effect) = st.effect.value.known() else {
            out.incomplete = true;
            continue;
        };
        if *effect == Effect::Deny {
            denies.push(st);
            note_unknown_actions(st, Effect::Deny, &mut out);
            continue;
        }
        let reach = reach(st);
        let conditional = st.has_condition();
        if let Some(actions) = &st.action {
            for entry in &actions.value {
                let Some(pattern) = entry.value.as_str() else {
                    out.incomplete = true;
                    continue;
                };
                let matched = cat.expand(pattern);
                if matched.is_empty() {
                    out.unknown_actions
                        .push((pattern, &entry.span, Effect::Allow));
                }
                out.grants.extend(matched.into_iter().map(|action| Grant {
                    action,
                    statement: st,
                    span: &entry.span,
                    pattern,
                    reach,
                    conditional,
                }));
            }
        } else if let Some(not_actions) = &st.not_action {
            let patterns: Option<Vec<&str>> =
                not_actions.value.iter().map(|e| e.value.as_str()).collect();
            let Some(patterns) = patterns else {
                out.incomplete = true;
                continue;
            };
            note_unknown_actions(st, Effect::Allow, &mut out);
            let named: HashSet<usize> = patterns
                .iter()
                .flat_map(|p| cat.expand(p))
                .map(Action::index)
                .collect();
            out.grants.extend(
                cat.all()
                    .iter()
                    .filter(|a| !named.contains(&a.index()))
                    .map(|action| Grant {
                        action,
                        statement: st,
                        span: &not_actions.span,
                        pattern: "NotAction",
                        reach,
                        conditional,
                    }),
            );
        }
    }
    for deny in denies {
        subtract(deny, &mut out);
    }
    out
}

fn reach(st: &Statement) -> Reach {
    if st.not_resource.is_some() {
        return Reach::AnyResource;
    }
    let Some(resources) = &st.resource else {
        return Reach::Unknown;
    };
    let mut unknown = false;
    for r in &resources.value {
        match r.value.as_str() {
            Some(r) if is_any(r) => return Reach::AnyResource,
            Some(_) => {}
            None => unknown = true,
        }
    }
    if unknown {
        Reach::Unknown
    } else {
        Reach::Scoped
    }
}

/// Record the `Action`/`NotAction` entries of `st` that name no action (called for
/// `Deny` and `NotAction` statements; `Allow`+`Action` records them while expanding).
fn note_unknown_actions<'d>(st: &'d Statement, effect: Effect, out: &mut Effective<'d>) {
    let list = st.action.as_ref().or(st.not_action.as_ref());
    for entry in list.into_iter().flat_map(|l| &l.value) {
        if let Some(p) = entry.value.as_str()
            && catalog().expand(p).is_empty()
        {
            out.unknown_actions.push((p, &entry.span, effect));
        }
    }
}

/// Remove what an unconditional `Deny` on every resource takes away. A conditional or
/// resource-scoped `Deny` takes away only sometimes, or only some resources: grants stay.
fn subtract(deny: &Statement, out: &mut Effective<'_>) {
    if deny.has_condition() || reach(deny) != Reach::AnyResource || deny.not_resource.is_some() {
        return;
    }
    let known = |list: &crate::EntryList| -> Option<Vec<String>> {
        list.value
            .iter()
            .map(|e| e.value.as_str().map(str::to_owned))
            .collect()
    };
    if let Some(actions) = &deny.action {
        let Some(patterns) = known(actions) else {
            return;
        };
        let denied: HashSet<usize> = patterns
            .iter()
            .flat_map(|p| catalog().expand(p))
            .map(Action::index)
            .collect();
        out.grants.retain(|g| !denied.contains(&g.action.index()));
    } else if let Some(not_actions) = &deny.not_action {
        let Some(patterns) = known(not_actions) else {
            return;
        };
        // A `NotAction` deny spares only what it names.
        let spared: HashSet<usize> = patterns
            .iter()
            .flat_map(|p| catalog().expand(p))
            .map(Action::index)
            .collect();
        out.grants.retain(|g| spared.contains(&g.action.index()));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use sheepdog_diagnostics::{Pos, Span};

    use super::*;
    use crate::document_from_json;

    fn span() -> Span {
        Span::point(Arc::from("t.json"), Pos::new(1, 1))
    }

    fn eval(policy: &str) -> (usize, bool, Vec<String>) {
        let doc = document_from_json(&serde_json::from_str(policy).expect("JSON"), &span());
        let e = effective(&doc.statements);
        let unknown = e
            .unknown_actions
            .iter()
            .map(|(p, _, _)| (*p).to_owned())
            .collect();
        (e.by_action().len(), e.incomplete, unknown)
    }

    fn allows_on_any(policy: &str, action: &str) -> bool {
        let doc = document_from_json(&serde_json::from_str(policy).expect("JSON"), &span());
        effective(&doc.statements).allows_on_any(action)
    }

    #[test]
    fn expansion_counts() {
        let all = catalog().all().len();
        let s3_get = catalog().expand("s3:Get*").len();
        let cases = [
            (
                r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
                1,
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Action":["s3:Get*"],"Resource":"*"}]}"#,
                s3_get,
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
                all,
            ),
            // Deny subtracts what it names, unconditionally and on every resource.
            (
                r#"{"Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"},
                             {"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}"#,
                s3_get - 1,
            ),
            // A conditional Deny subtracts nothing.
            (
                r#"{"Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"},
                             {"Effect":"Deny","Action":"s3:GetObject","Resource":"*",
                              "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#,
                s3_get,
            ),
            // A resource-scoped Deny subtracts nothing either.
            (
                r#"{"Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"},
                             {"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#,
                s3_get,
            ),
            // NotAction allows everything it does not name.
            (
                r#"{"Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#,
                all - catalog().expand("iam:*").len(),
            ),
            // Deny with NotAction keeps only what it names.
            (
                r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
                             {"Effect":"Deny","NotAction":"s3:*","Resource":"*"}]}"#,
                catalog().expand("s3:*").len(),
            ),
        ];
        for (policy, expected) in cases {
            assert_eq!(eval(policy).0, expected, "{policy}");
        }
    }

    #[test]
    fn reach_and_conditions() {
        let scoped = r#"{"Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::123456789012:role/x"}]}"#;
        assert!(!allows_on_any(scoped, "iam:PassRole"));
        let any = r#"{"Statement":[{"Effect":"Allow","Action":"iam:Pass*","Resource":"*"}]}"#;
        assert!(allows_on_any(any, "iam:passrole"));
        let conditional = r#"{"Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*",
            "Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}}]}"#;
        assert!(!allows_on_any(conditional, "iam:PassRole"));
        let not_resource = r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::private/*"}]}"#;
        assert!(allows_on_any(not_resource, "s3:GetObject"));
    }

    #[test]
    fn unknown_actions_and_unresolved_elements() {
        let typo = r#"{"Statement":[{"Effect":"Deny","Action":"s3:DeleteBukcet","Resource":"*"}]}"#;
        assert_eq!(eval(typo).2, ["s3:DeleteBukcet"]);
        let no_prefix = r#"{"Statement":[{"Effect":"Allow","Action":"GetObject","Resource":"*"}]}"#;
        assert_eq!(eval(no_prefix).2, ["GetObject"]);
        let bad_effect =
            r#"{"Statement":[{"Effect":"Permit","Action":"s3:GetObject","Resource":"*"}]}"#;
        assert!(
            eval(bad_effect).1,
            "an unknown effect makes the result incomplete"
        );
    }

    #[test]
    fn broadest_grant_wins_per_action() {
        let policy = r#"{"Statement":[
            {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
            {"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
        let doc = document_from_json(&serde_json::from_str(policy).expect("JSON"), &span());
        let e = effective(&doc.statements);
        let best = e.by_action();
        assert_eq!(best.len(), 1);
        assert_eq!(best[0].reach, Reach::AnyResource);
    }
}

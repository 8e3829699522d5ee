//! Policy validation: what IAM would reject or silently ignore in a document, each problem
//! with the place it is written. Loaders report these as diagnostics (`SD009`);
//! `sheepdog iam explain` lists them.
//!
//! Checked: `Version` (only `2012-10-17` and `2008-10-17` exist; policy variables need the
//! first), `Effect` (`Allow` or `Deny`, case-sensitive), elements that exclude each other
//! (`Action`/`NotAction`, ...), and every `Action`/`NotAction` entry against the catalog: no
//! service prefix, an unknown service, a name or pattern that matches nothing. An unknown
//! action in a `Deny` is a real hole (the deny does nothing), and the message says so.
//! Elements the typed document cannot show (`Actions:` for `Action:`) are found by the
//! reader, which records them in [`PolicyDocument::problems`]; they are reported here too.

use sheepdog_diagnostics::{Span, UnknownReason, Value};

use crate::catalog::catalog;
use crate::{Effect, EntryList, PolicyDocument, Statement};

/// The `Version` values IAM accepts.
pub const VERSIONS: [&str; 2] = ["2012-10-17", "2008-10-17"];

/// Most problems reported for one document: past this, checking (and suggesting names)
/// stops, and one more problem says so. Keeps a hostile document's cost bounded.
pub const MAX_PROBLEMS: usize = 100;

/// Every problem of `doc`, sorted by position: `(message, where)`.
pub fn validate(doc: &PolicyDocument) -> Vec<(String, Span)> {
    let mut out: Vec<(String, Span)> = doc
        .problems
        .iter()
        .map(|p| (p.value.clone(), p.span.clone()))
        .collect();
    version(doc, &mut out);
    for st in &doc.statements {
        if out.len() > MAX_PROBLEMS {
            break;
        }
        statement(st, &mut out);
    }
    out.sort_by(|a, b| (a.1.start, &a.0).cmp(&(b.1.start, &b.0)));
    out.dedup();
    if out.len() > MAX_PROBLEMS {
        out.truncate(MAX_PROBLEMS);
        out.push((
            format!(
                "this policy document has more than {MAX_PROBLEMS} problems; only the first {MAX_PROBLEMS} are listed"
            ),
            doc.span.clone(),
        ));
    }
    out
}

fn version(doc: &PolicyDocument, out: &mut Vec<(String, Span)>) {
    let written = match &doc.version {
        None => None,
        Some(v) => match &v.value {
            Value::Known(text) => {
                if !VERSIONS.contains(&text.as_str()) {
                    out.push((
                        format!(
                            "`Version` is `{text}`: IAM knows only `2012-10-17` (current) and `2008-10-17`, and rejects the policy"
                        ),
                        v.span.clone(),
                    ));
                    // Whatever was meant, variables are judged against a valid version only.
                    return;
                }
                Some(text.as_str())
            }
            // Unresolved: it may well be 2012-10-17.
            Value::Unknown(_) => return,
        },
    };
    if written == Some("2012-10-17") {
        return;
    }
    let Some((variable, span)) = first_policy_variable(doc) else {
        return;
    };
    let why = match written {
        None => "the document has no `Version`, so IAM reads it as `2008-10-17`",
        _ => "the document says `Version: 2008-10-17`",
    };
    out.push((
        format!(
            "policy variable `{variable}` needs `Version: \"2012-10-17\"`: {why} and matches the literal text `{variable}` instead"
        ),
        span.clone(),
    ));
}

/// The first IAM policy variable (`${aws:username}`, `${*}`) in a `Resource`,
/// `NotResource` or `Condition` value. CloudFormation references the loader kept symbolic
/// (`${AWS::Region}`, `${Bucket.Arn}`) are not policy variables.
fn first_policy_variable(doc: &PolicyDocument) -> Option<(&str, &Span)> {
    doc.statements.iter().find_map(|st| {
        let lists = [st.resource.as_ref(), st.not_resource.as_ref()];
        let entries = lists.into_iter().flatten().flat_map(|l| &l.value).chain(
            st.condition
                .iter()
                .flat_map(|c| &c.value)
                .flat_map(|c| &c.values),
        );
        entries
            .filter_map(|e| e.value.as_str().map(|s| (s, &e.span)))
            .find_map(|(s, span)| policy_variable(s).map(|v| (v, span)))
    })
}

/// The first `${...}` of `text` that is an IAM policy variable.
pub fn policy_variable(text: &str) -> Option<&str> {
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let end = after.find('}')?;
        let inner = &after[..end];
        let is_variable = matches!(inner, "*" | "?" | "$")
            || (inner.contains(':')
                && !inner.contains("::")
                && !inner.contains(char::is_whitespace));
        if is_variable {
            return Some(&rest[start..start + end + 3]);
        }
        rest = &after[end + 1..];
    }
    None
}

fn statement(st: &Statement, out: &mut Vec<(String, Span)>) {
    if let Value::Unknown(u) = &st.effect.value
        && u.reason == UnknownReason::Unsupported
        // An unresolved intrinsic renders as `!Name ...`: that is unknown, not wrong.
        && !u.expr.starts_with('!')
    {
        let what = if u.expr.is_empty() {
            "`Effect` is empty".to_owned()
        } else {
            format!("`Effect` is `{}`", u.expr)
        };
        out.push((
            format!("{what}: IAM accepts only `Allow` or `Deny` (case-sensitive), and rejects the policy"),
            st.effect.span.clone(),
        ));
    }
    let pairs = [
        (
            "Action",
            st.action.is_some(),
            "NotAction",
            st.not_action.is_some(),
        ),
        (
            "Resource",
            st.resource.is_some(),
            "NotResource",
            st.not_resource.is_some(),
        ),
        (
            "Principal",
            st.principal.is_some(),
            "NotPrincipal",
            st.not_principal.is_some(),
        ),
    ];
    for (a, has_a, b, has_b) in pairs {
        if has_a && has_b {
            out.push((
                format!("statement has both `{a}` and `{b}`: IAM rejects it"),
                st.span.clone(),
            ));
        }
    }
    let effect = st.effect.value.known().copied();
    if let Some(list) = &st.action {
        actions(list, effect, false, out);
    }
    if let Some(list) = &st.not_action {
        actions(list, effect, true, out);
    }
}

fn actions(list: &EntryList, effect: Option<Effect>, not: bool, out: &mut Vec<(String, Span)>) {
    for entry in &list.value {
        if out.len() > MAX_PROBLEMS {
            return;
        }
        if let Some(pattern) = entry.value.as_str()
            && let Some(message) = action_message(pattern, effect, not)
        {
            out.push((message, entry.span.clone()));
        }
    }
}

/// The problem of an `Action` (`not` false) or `NotAction` entry of a statement with
/// `effect`, and what it means there (an unknown action in a `Deny` denies nothing).
pub fn action_message(pattern: &str, effect: Option<Effect>, not: bool) -> Option<String> {
    let problem = action_problem(pattern)?;
    let consequence = match (effect, not) {
        (Some(Effect::Allow), false) => ": it allows nothing",
        (Some(Effect::Deny), false) => {
            ": this `Deny` does not deny it, so whatever it was meant to block stays allowed"
        }
        (Some(Effect::Allow), true) => {
            ": the `NotAction` exception excludes nothing, so this `Allow` grants what it was meant to leave out"
        }
        (Some(Effect::Deny), true) => {
            ": the `NotAction` exception spares nothing, so this `Deny` also blocks what it was meant to spare"
        }
        (None, _) => "",
    };
    Some(format!("{problem}{consequence}"))
}

/// What is wrong with one `Action`/`NotAction` entry, if anything: no service prefix, an
/// unknown service, or a name or pattern the catalog has no action for.
pub fn action_problem(pattern: &str) -> Option<String> {
    let cat = catalog();
    let p = pattern.trim();
    if p.is_empty() {
        return Some("empty action".to_owned());
    }
    if p == "*" || !cat.expand(p).is_empty() {
        return None;
    }
    let Some((service, name)) = p.split_once(':') else {
        let with = services_with(p);
        let examples = match with.as_slice() {
            [] => String::new(),
            [one] => format!(": did you mean `{one}`?"),
            many => {
                let shown: Vec<String> = many.iter().take(3).map(|c| format!("`{c}`")).collect();
                let more = if many.len() > 3 { ", ..." } else { "" };
                format!(", e.g. {}{more}", shown.join(", "))
            }
        };
        return Some(format!(
            "action `{p}` has no service prefix (IAM expects `service:{p}`{examples})"
        ));
    };
    let wild = |s: &str| s.contains(['*', '?']);
    if !wild(service) && !cat.has_service(service) {
        return Some(format!(
            "action `{p}`: `{service}` is not an AWS service prefix{}",
            hint(closest_service(service, name))
        ));
    }
    if wild(service) {
        return Some(format!(
            "action pattern `{p}` matches no action{}",
            catalog_date()
        ));
    }
    let guess = if wild(name) {
        None
    } else {
        closest_action(service, name)
    };
    let tail = match guess {
        Some(g) => hint(Some(g)),
        None => catalog_date(),
    };
    let kind = if wild(name) {
        "action pattern"
    } else {
        "action"
    };
    Some(format!(
        "{kind} `{p}` matches no `{}` action{tail}",
        service.to_ascii_lowercase()
    ))
}

fn catalog_date() -> String {
    format!(" (sheepdog's IAM catalog is of {})", catalog().data_date)
}

fn hint(guess: Option<String>) -> String {
    guess.map_or_else(String::new, |g| format!(" (did you mean `{g}`?)"))
}

/// `service:Name` for every service that has an action called `name`.
fn services_with(name: &str) -> Vec<String> {
    catalog()
        .all()
        .iter()
        .filter(|a| a.name.eq_ignore_ascii_case(name))
        .map(crate::Action::full_name)
        .collect()
}

/// The service prefixes of the catalog, in catalog order.
fn service_prefixes() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for a in catalog().all() {
        if out.last() != Some(&a.service.as_str()) {
            out.push(&a.service);
        }
    }
    out
}

/// A service close to the unknown `service` that has `name` (or actions matching it).
fn closest_service(service: &str, name: &str) -> Option<String> {
    let limit = if service.len() <= 3 { 1 } else { 2 };
    service_prefixes()
        .into_iter()
        .filter_map(|s| {
            let d = distance(&s.to_ascii_lowercase(), &service.to_ascii_lowercase());
            (d <= limit).then_some((d, s))
        })
        .filter(|(_, s)| !catalog().expand(&format!("{s}:{name}")).is_empty())
        .min_by_key(|(d, _)| *d)
        .map(|(_, s)| {
            let exact = catalog().action(&format!("{s}:{name}"));
            exact.map_or_else(|| format!("{s}:{name}"), crate::Action::full_name)
        })
}

/// The action of `service` whose name is closest to `name` (a typo), if any is close.
fn closest_action(service: &str, name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let limit = match lower.len() {
        0..=4 => 1,
        5..=12 => 2,
        _ => 3,
    };
    catalog()
        .expand(&format!("{service}:*"))
        .into_iter()
        .filter_map(|a| {
            let d = distance(&a.name.to_ascii_lowercase(), &lower);
            (d <= limit).then_some((d, a))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a.full_name())
}

/// Levenshtein distance over bytes (names are ASCII).
fn distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let subst = prev[j] + usize::from(ca != cb);
            cur[j + 1] = subst.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("getobject", "getobjekt"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn variables() {
        let cases = [
            ("arn:aws:s3:::b/${aws:username}/*", Some("${aws:username}")),
            ("arn:aws:s3:::b/${*}", Some("${*}")),
            ("arn:${AWS::Partition}:s3:::b/*", None),
            ("${Bucket.Arn}/*", None),
            (
                "arn:${AWS::Partition}:s3:::${aws:PrincipalTag/team}",
                Some("${aws:PrincipalTag/team}"),
            ),
            ("no variable", None),
            ("unterminated ${aws:username", None),
        ];
        for (text, expected) in cases {
            assert_eq!(policy_variable(text), expected, "{text}");
        }
    }
}

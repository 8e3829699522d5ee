use sheepdog_diagnostics::Value;
use sheepdog_model::{Model, WebAclRule};

use crate::context::describe;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A web ACL (`AWS::WAFv2::WebACL`) that does not run the AWS managed core rule
    /// set (`AWSManagedRulesCommonRuleSet`) or the SQL database rule set
    /// (`AWSManagedRulesSQLiRuleSet`) as a `ManagedRuleGroupStatement` of one of its
    /// `Rules`, or runs one of them with `OverrideAction: {Count: {}}`, which only counts
    /// matches. Each missing group is a finding of its own. A web ACL whose `Rules` (or a
    /// rule, or a rule group's name) sheepdog cannot resolve is not reported for what it
    /// cannot see. Rule groups of your own (`RuleGroupReferenceStatement`) and vendor groups
    /// from AWS Marketplace are not taken as equivalents.
    ///
    /// ## Why it matters
    /// Practice 9 (WAF in front of API Gateway): a web ACL protects only with the rules it
    /// has. The core rule set blocks the common web exploits of the OWASP Top 10 (cross-site
    /// scripting, path traversal, oversized bodies, bad bots' signatures); the SQL database
    /// set blocks SQL injection patterns in the query string, body, headers and cookies.
    /// Without them — or in count mode, where they are often left after testing — the web
    /// ACL lets those attacks through to the function.
    ///
    /// ## How to fix
    /// Add a rule per group with `Statement.ManagedRuleGroupStatement`
    /// (`VendorName: AWS`, `Name: AWSManagedRulesCommonRuleSet` /
    /// `AWSManagedRulesSQLiRuleSet`) and `OverrideAction: {None: {}}`. To tune a noisy rule,
    /// override that rule's action with `RuleActionOverrides` rather than counting the
    /// whole group.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Resources:
    ///   WebAcl:
    ///     Type: AWS::WAFv2::WebACL
    ///     Properties:
    ///       Scope: REGIONAL
    ///       DefaultAction: {Allow: {}}
    ///       VisibilityConfig:
    ///         SampledRequestsEnabled: true
    ///         CloudWatchMetricsEnabled: true
    ///         MetricName: api
    ///       Rules:
    ///         - Name: rate
    ///           Priority: 0
    ///           Action: {Block: {}}
    ///           Statement:
    ///             RateBasedStatement: {Limit: 1000, AggregateKeyType: IP}
    ///           VisibilityConfig:
    ///             SampledRequestsEnabled: true
    ///             CloudWatchMetricsEnabled: true
    ///             MetricName: rate
    /// ```
    /// Fixed:
    /// ```yaml
    /// Resources:
    ///   WebAcl:
    ///     Type: AWS::WAFv2::WebACL
    ///     Properties:
    ///       Scope: REGIONAL
    ///       DefaultAction: {Allow: {}}
    ///       VisibilityConfig:
    ///         SampledRequestsEnabled: true
    ///         CloudWatchMetricsEnabled: true
    ///         MetricName: api
    ///       Rules:
    ///         - Name: common
    ///           Priority: 0
    ///           OverrideAction: {None: {}}
    ///           Statement:
    ///             ManagedRuleGroupStatement: {VendorName: AWS, Name: AWSManagedRulesCommonRuleSet}
    ///           VisibilityConfig:
    ///             SampledRequestsEnabled: true
    ///             CloudWatchMetricsEnabled: true
    ///             MetricName: common
    ///         - Name: sqli
    ///           Priority: 1
    ///           OverrideAction: {None: {}}
    ///           Statement:
    ///             ManagedRuleGroupStatement: {VendorName: AWS, Name: AWSManagedRulesSQLiRuleSet}
    ///           VisibilityConfig:
    ///             SampledRequestsEnabled: true
    ///             CloudWatchMetricsEnabled: true
    ///             MetricName: sqli
    /// ```
    pub struct WebAclWithoutManagedRules {
        id: "WAF002",
        name: "web-acl-without-managed-rules",
        severity: Low,
        practices: [9],
        sources: [CloudFormation, Sam, Terraform],
    }
}

/// The AWS managed rule groups every web ACL in front of an API should run.
const GROUPS: [(&str, &str); 2] = [
    ("AWSManagedRulesCommonRuleSet", "core rule set"),
    ("AWSManagedRulesSQLiRuleSet", "SQL injection rule set"),
];

/// How a web ACL runs a managed rule group.
enum Use<'a> {
    /// Not at all.
    Absent,
    /// Only counting matches: the rule whose `OverrideAction` says so.
    Counted(&'a WebAclRule),
    /// Blocking (or sheepdog cannot tell that it does not).
    Enforced,
}

fn usage<'a>(rules: &'a [WebAclRule], group: &str) -> Use<'a> {
    let mut found = Use::Absent;
    for r in rules {
        let Some(name) = &r.managed_name else {
            continue;
        };
        match &name.value {
            // A group name sheepdog cannot resolve might be this one.
            Value::Unknown(_) => return Use::Enforced,
            Value::Known(n) if n != group => continue,
            Value::Known(_) => {}
        }
        // An unknown vendor could be AWS; a known other vendor is not this group.
        if r.managed_vendor
            .as_ref()
            .is_some_and(|v| v.value.as_str().is_some_and(|v| v != "AWS"))
        {
            continue;
        }
        match r.override_action.as_ref().map(|o| &o.value) {
            Some(Value::Known(a)) if a.eq_ignore_ascii_case("Count") => found = Use::Counted(r),
            _ => return Use::Enforced,
        }
    }
    found
}

impl Rule for WebAclWithoutManagedRules {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for acl in &model.web_acls {
            if !acl.rules_complete {
                continue;
            }
            for (group, what) in GROUPS {
                match usage(&acl.rules, group) {
                    Use::Enforced => {}
                    Use::Absent => {
                        cx.report(
                            &acl.resource,
                            &acl.resource.span,
                            group,
                            format!(
                                "Web ACL {} does not run the AWS managed {what} (`{group}`)",
                                describe(&acl.resource)
                            ),
                            format!("add a rule with a `ManagedRuleGroupStatement` of vendor `AWS` and name `{group}`"),
                        );
                    }
                    Use::Counted(rule) => {
                        let at = rule
                            .override_action
                            .as_ref()
                            .map_or(&rule.span, |o| &o.span);
                        cx.report(
                            &acl.resource,
                            at,
                            group,
                            format!(
                                "Web ACL {} runs the AWS managed {what} (`{group}`) in count mode: it blocks nothing",
                                describe(&acl.resource)
                            ),
                            "set the rule's `OverrideAction` to `{None: {}}`, and override single noisy rules with `RuleActionOverrides`",
                        );
                    }
                }
            }
        }
    }
}

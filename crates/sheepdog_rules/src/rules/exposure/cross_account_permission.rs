use sheepdog_model::Model;

use super::principals::{account_of, action, condition_note, layer, own_accounts, target};
use crate::context::describe;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A resource-based permission that lets another AWS account in, when that account is
    /// not on the list of accounts you trust: an `AWS::Lambda::Permission` whose principal
    /// is an account (`"111122223333"`, `arn:aws:iam::111122223333:root`) or an IAM role or
    /// user of one (`arn:aws:iam::111122223333:role/name`), and an
    /// `AWS::Lambda::LayerVersionPermission` whose principal is an account ID.
    ///
    /// The template's own account is not reported: `${AWS::AccountId}` (`!Ref
    /// AWS::AccountId`, or `!Sub` with it), and the account of any execution role written
    /// as a literal ARN (a function's role is always in its own account). Neither are
    /// principals that are a parameter without a default or another unresolved expression,
    /// `*` (PUB001 and PUB007), service principals (PUB004), nor a layer shared with a
    /// whole organisation (`Principal: "*"` with `OrganizationId`). A permission created
    /// only under a template condition sheepdog cannot decide is reported, and the message
    /// says so.
    ///
    /// ## Why it matters
    /// Practice 14 (regular review of IAM and resource policies): a cross-account
    /// permission hands part of the function to people outside your account's control.
    /// Whoever administers the other account decides which of its roles and users may
    /// invoke the function — with whatever payload they choose, running with the function's
    /// execution role, at your cost — or download the layer's code. Such grants are
    /// legitimate between accounts of one organisation or with a known partner, and
    /// dangerous when the account is a typo, a former vendor or an account nobody remembers:
    /// keeping the trusted accounts in one list makes every new one a decision.
    ///
    /// ## How to fix
    /// Remove the permission if the account should not have access. If it should, list the
    /// account in the rule's `trusted-accounts` option (below), so that the grant is
    /// reviewed once and any other account still stands out. To share with every account
    /// of your organisation, use `Principal: "*"` with `PrincipalOrgID` (a function) or
    /// `OrganizationId` (a layer) instead of listing accounts.
    ///
    /// ## Options
    /// - `trusted-accounts` (`--rule-option PUB005.trusted-accounts=111122223333,444455556666`):
    ///   the comma-separated IDs of the accounts you trust; permissions for them (or for
    ///   roles and users in them) are not reported. Unset, every account other than the
    ///   template's own is reported.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       Role: arn:aws:iam::123456789012:role/fn
    ///       Code: {ZipFile: "def handler(e, c): pass"}
    ///   PartnerInvoke:
    ///     Type: AWS::Lambda::Permission
    ///     Properties:
    ///       FunctionName: !Ref Fn
    ///       Action: lambda:InvokeFunction
    ///       Principal: "210987654321"
    /// ```
    /// Fixed:
    /// ```yaml
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       Role: arn:aws:iam::123456789012:role/fn
    ///       Code: {ZipFile: "def handler(e, c): pass"}
    ///   OpsInvoke:
    ///     Type: AWS::Lambda::Permission
    ///     Properties:
    ///       FunctionName: !Ref Fn
    ///       Action: lambda:InvokeFunction
    ///       Principal: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/ops
    /// ```
    pub struct CrossAccountPermission {
        id: "PUB005",
        name: "cross-account-permission",
        severity: Medium,
        practices: [14],
        sources: [CloudFormation, Sam, Terraform],
        options: [("trusted-accounts", "comma-separated IDs of the accounts permissions may name without a finding")],
    }
}

impl Rule for CrossAccountPermission {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        let own = own_accounts(model);
        let configured = cx.option_list("trusted-accounts");
        // Entries may be written as account ARNs too.
        let trusted: Vec<&str> = configured
            .iter()
            .map(|t| account_of(t).unwrap_or(t))
            .collect();
        let foreign = |principal| foreign(principal, &own, &trusted);
        let help = |account: &str| {
            format!(
                "remove the permission if account {account} should not have access; if it should, trust it with `--rule-option PUB005.trusted-accounts={account}`"
            )
        };

        for p in &model.permissions {
            // An unknown principal (a parameter, an import) may be any account: quiet.
            let Some(principal) = p.principal.value.as_str().map(str::trim) else {
                continue;
            };
            let Some(account) = foreign(principal) else {
                continue;
            };
            let who = if principal == account {
                format!("account `{account}`")
            } else {
                format!("`{principal}` (account `{account}`)")
            };
            cx.report(
                &p.resource,
                &p.principal.span,
                "",
                format!(
                    "Permission {} lets {who} call {} on {}: that account is neither this template's nor in `trusted-accounts`{}",
                    describe(&p.resource),
                    action(p),
                    target(model, p),
                    condition_note(&p.resource)
                ),
                help(account),
            );
        }

        for lp in &model.layer_permissions {
            let Some(principal) = lp.principal.value.as_str().map(str::trim) else {
                continue;
            };
            let Some(account) = foreign(principal) else {
                continue;
            };
            let layer = layer(lp);
            cx.report(
                &lp.resource,
                &lp.principal.span,
                "",
                format!(
                    "Layer permission {} lets account `{account}` use {layer} (and download its code): that account is neither this template's nor in `trusted-accounts`{}",
                    describe(&lp.resource),
                    condition_note(&lp.resource)
                ),
                help(account),
            );
        }
    }
}

/// The account `principal` names, when it is neither the template's own nor trusted.
fn foreign<'a>(principal: &'a str, own: &[&str], trusted: &[&str]) -> Option<&'a str> {
    account_of(principal).filter(|a| !own.contains(a) && !trusted.contains(a))
}

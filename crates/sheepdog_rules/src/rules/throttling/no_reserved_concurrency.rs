use sheepdog_model::Model;

use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A function without `ReservedConcurrentExecutions`.
    ///
    /// ## Why it matters
    /// Practice 11 (rate limiting and throttling): without a cap, a flood of requests — an
    /// attack or a retry storm — lets one function take the whole account's concurrency,
    /// throttling every other function in the Region, and scales cost and load on
    /// downstream systems without limit. Reserved concurrency is both a cap and a guarantee.
    ///
    /// ## How to fix
    /// Set `ReservedConcurrentExecutions` to what the function needs at peak, leaving room
    /// for the others (the account limit is shared). Terraform:
    /// `reserved_concurrent_executions`, which the provider defaults to `-1` (no
    /// reservation, reported).
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    /// ```
    /// Fixed:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       ReservedConcurrentExecutions: 20
    /// ```
    pub struct NoReservedConcurrency {
        id: "THR001",
        name: "no-reserved-concurrency",
        severity: Low,
        practices: [11],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for NoReservedConcurrency {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for f in &model.functions {
            if f.reserved_concurrency.is_some() {
                continue;
            }
            cx.report(
                &f.resource,
                &f.resource.span,
                "",
                format!(
                    "Function `{}` has no reserved concurrency to cap how far it scales",
                    f.resource.id
                ),
                "set `ReservedConcurrentExecutions` to the function's expected peak",
            );
        }
    }
}

use sheepdog_model::{Function, Model, Value};

use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A function whose environment turns off TLS certificate verification:
    /// `NODE_TLS_REJECT_UNAUTHORIZED` set to `0` (also from SAM `Globals`), which makes
    /// Node.js accept any certificate for every HTTPS connection of the process.
    ///
    /// Only switches whose effect is certain are checked. Node.js disables verification for
    /// the value `0` exactly; any other value leaves it on. `PYTHONHTTPSVERIFY=0` is not
    /// reported: it only exists in some Python 2.7 builds (PEP 493), not in the Python 3
    /// runtimes of Lambda, and an empty `REQUESTS_CA_BUNDLE` does not disable verification
    /// in current versions of `requests`. The variable is not reported on a function whose
    /// runtime is known not to be Node.js (Python, Java, .NET, Ruby), where it does nothing;
    /// it is on Node.js, OS-only (`provided`) and container-image functions, and when the
    /// runtime is not known. A value sheepdog cannot resolve is not reported.
    ///
    /// ## Why it matters
    /// Practice 7 (data in transit): without certificate verification, anyone on the
    /// network path — a compromised NAT, a proxy, a DNS spoof in the VPC — can impersonate
    /// any endpoint the function calls, read what it sends (tokens, personal data) and
    /// change what it receives, including AWS SDK calls: the AWS SDK for JavaScript uses the
    /// same TLS stack, so a forged Secrets Manager or DynamoDB endpoint would be trusted.
    ///
    /// ## How to fix
    /// Remove `NODE_TLS_REJECT_UNAUTHORIZED`. To trust a private or self-signed CA, give
    /// its certificate to Node.js with `NODE_EXTRA_CA_CERTS` (a PEM file in the package or a
    /// layer) instead of turning verification off.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: nodejs22.x
    ///       Handler: index.handler
    ///       CodeUri: src/
    ///       Environment:
    ///         Variables:
    ///           NODE_TLS_REJECT_UNAUTHORIZED: "0"
    /// ```
    /// Fixed:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: nodejs22.x
    ///       Handler: index.handler
    ///       CodeUri: src/
    ///       Environment:
    ///         Variables:
    ///           NODE_EXTRA_CA_CERTS: /var/task/certs/internal-ca.pem
    /// ```
    pub struct TlsVerificationDisabled {
        id: "TLS001",
        name: "tls-verification-disabled",
        severity: High,
        practices: [7],
        sources: [CloudFormation, Sam, Terraform],
    }
}

const VARIABLE: &str = "NODE_TLS_REJECT_UNAUTHORIZED";

impl Rule for TlsVerificationDisabled {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for f in &model.functions {
            if !may_run_node(f) {
                continue;
            }
            for var in f.env_vars() {
                // Node.js compares with the string `0`, exactly.
                if var.name.value != VARIABLE || var.value.value.as_str() != Some("0") {
                    continue;
                }
                cx.report(
                    &f.resource,
                    &var.value.span,
                    VARIABLE,
                    format!(
                        "Function `{}` sets `{VARIABLE}=0`: Node.js accepts any TLS certificate, so its HTTPS calls can be intercepted",
                        f.resource.id
                    ),
                    "remove the variable; to trust a private CA, point `NODE_EXTRA_CA_CERTS` at its certificate",
                );
            }
        }
    }
}

/// False only when the function's runtime is known and is a managed runtime of another
/// language; `provided*` runtimes and images may run Node.js.
fn may_run_node(f: &Function) -> bool {
    match f.runtime.as_ref().map(|r| &r.value) {
        Some(Value::Known(r)) => {
            let r = r.to_ascii_lowercase();
            !["python", "java", "dotnet", "ruby", "go1"]
                .iter()
                .any(|other| r.starts_with(other))
        }
        None | Some(Value::Unknown(_)) => true,
    }
}

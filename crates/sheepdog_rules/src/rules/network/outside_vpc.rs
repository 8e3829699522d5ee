use sheepdog_model::{Function, Located, Model, Sourced, Span};

use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A function that is not attached to a VPC: no `VpcConfig`, or a `VpcConfig` whose
    /// `SubnetIds` or `SecurityGroupIds` list is missing or empty. Off by default: enable it
    /// with `--enable-rule NET001`. Lists given by a parameter without a default, an import
    /// or an undecidable condition count as attached.
    ///
    /// Enable it when your policy wants every function inside your network perimeter: when
    /// functions reach private resources (databases, caches, internal services), or when
    /// what leaves a function must go through the controls you run in the VPC (NAT with
    /// egress filtering, VPC endpoints with endpoint policies, flow logs), or when a
    /// framework you are audited against requires it (AWS Foundational Security Best
    /// Practices Lambda.3). Leave it off when functions only call public AWS APIs: a VPC
    /// then adds NAT cost and IP-address planning without reducing exposure, which is why
    /// the Serverless Lens advises VPC access only when necessary.
    ///
    /// ## Why it matters
    /// Practices 6 and 12 (network security, VPC and security groups): a function outside a
    /// VPC runs on the Lambda service network and reaches the internet directly. Whatever
    /// its code does — a dependency that phones home, an injected request to an attacker's
    /// host — leaves without passing a security group, a NAT, a flow log or a VPC endpoint
    /// policy, and the function cannot reach private resources without exposing them.
    ///
    /// ## How to fix
    /// Set `VpcConfig` with private subnets in at least two Availability Zones and a
    /// security group whose egress you restrict; give the function a route to the AWS
    /// services it calls (VPC endpoints, or a NAT gateway). In SAM, `VpcConfig` can be set
    /// once under `Globals.Function`; the implicit role then gets
    /// `AWSLambdaVPCAccessExecutionRole`. In CloudFormation, the execution role needs
    /// `ec2:CreateNetworkInterface`, `ec2:DescribeNetworkInterfaces` and
    /// `ec2:DeleteNetworkInterface`. Terraform: a `vpc_config` block with `subnet_ids` and
    /// `security_group_ids` (the registry module: `vpc_subnet_ids`,
    /// `vpc_security_group_ids` and `attach_network_policy = true`).
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
    /// Parameters:
    ///   PrivateSubnets:
    ///     Type: List<AWS::EC2::Subnet::Id>
    ///   FunctionSecurityGroup:
    ///     Type: AWS::EC2::SecurityGroup::Id
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       VpcConfig:
    ///         SubnetIds: !Ref PrivateSubnets
    ///         SecurityGroupIds: [!Ref FunctionSecurityGroup]
    /// ```
    pub struct FunctionOutsideVpc {
        id: "NET001",
        name: "function-outside-vpc",
        severity: Low,
        practices: [6, 12],
        sources: [CloudFormation, Sam, Terraform],
        opt_in: true,
    }
}

const HELP: &str = "if the function must reach private resources or stay behind your network controls, set `VpcConfig` with private subnets in two or more AZs and a security group";

impl Rule for FunctionOutsideVpc {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for f in &model.functions {
            let Some(vpc) = &f.vpc else {
                cx.report(
                    &f.resource,
                    &f.resource.span,
                    "",
                    format!("Function `{}` is not attached to a VPC", f.resource.id),
                    HELP,
                );
                continue;
            };
            for (list, what) in [
                (&vpc.subnet_ids, "subnets"),
                (&vpc.security_group_ids, "security groups"),
            ] {
                if let Some(span) = missing_or_empty(list.as_ref(), &vpc.span) {
                    report_empty(cx, f, span, what);
                    // One finding per function: either list missing detaches it.
                    break;
                }
            }
        }
    }
}

/// Where a `VpcConfig` list is missing (the `VpcConfig` itself) or empty (the list), or
/// `None` when it has at least one entry, known or not.
fn missing_or_empty<'a>(
    list: Option<&'a Located<Vec<Sourced<String>>>>,
    vpc: &'a Span,
) -> Option<&'a Span> {
    match list {
        None => Some(vpc),
        Some(l) if l.value.is_empty() => Some(&l.span),
        Some(_) => None,
    }
}

fn report_empty(cx: &mut Context<'_>, f: &Function, span: &Span, what: &str) {
    cx.report(
        &f.resource,
        span,
        "",
        format!(
            "Function `{}` has a `VpcConfig` with no {what}, so it is not attached to a VPC",
            f.resource.id
        ),
        HELP,
    );
}

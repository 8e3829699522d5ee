use sheepdog_model::Model;

use super::groups::{Group, anywhere, function_groups, traffic};
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A security group of a function (in its `VpcConfig.SecurityGroupIds`, by `!Ref` or
    /// `!GetAtt ...GroupId` to a group of the template, or by a literal ID that standalone
    /// rules of the template name) that accepts inbound traffic from anywhere: an ingress
    /// rule from `0.0.0.0/0` or `::/0`, on any protocol and port. Inline
    /// `SecurityGroupIngress` rules and standalone `AWS::EC2::SecurityGroupIngress`
    /// resources are checked. The source is what is reported, so a rule from anywhere whose
    /// protocol or ports are parameters is reported too; a source that is a parameter
    /// without a default is not.
    ///
    /// ## Why it matters
    /// Practices 6 and 12 (network security, VPC and security groups): a function is only
    /// ever invoked through the Lambda API, never over the network, so its own security
    /// group needs no ingress rule at all. An ingress rule from anywhere on it serves
    /// whatever else shares the group — a database, a cache, an instance — and exposes
    /// that to the internet, or it is a rule copied from a public-facing group. Either way
    /// it opens a path no function needs, and it grows with every resource later added to
    /// the group.
    ///
    /// ## How to fix
    /// Remove the ingress rule from the function's group. Give the resources the function
    /// talks to their own groups, and allow ingress there from the function's group
    /// (`SourceSecurityGroupId`; Terraform: `referenced_security_group_id` or
    /// `security_groups`) on the one port they serve, instead of from a CIDR.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Parameters:
    ///   VpcId:
    ///     Type: AWS::EC2::VPC::Id
    ///   PrivateSubnets:
    ///     Type: List<AWS::EC2::Subnet::Id>
    /// Resources:
    ///   FnSecurityGroup:
    ///     Type: AWS::EC2::SecurityGroup
    ///     Properties:
    ///       GroupDescription: orders function
    ///       VpcId: !Ref VpcId
    ///       SecurityGroupIngress:
    ///         - IpProtocol: tcp
    ///           FromPort: 22
    ///           ToPort: 22
    ///           CidrIp: 0.0.0.0/0
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       Role: arn:aws:iam::123456789012:role/orders
    ///       Code: {ZipFile: "def handler(e, c): pass"}
    ///       VpcConfig:
    ///         SubnetIds: !Ref PrivateSubnets
    ///         SecurityGroupIds: [!Ref FnSecurityGroup]
    /// ```
    /// Fixed:
    /// ```yaml
    /// Parameters:
    ///   VpcId:
    ///     Type: AWS::EC2::VPC::Id
    ///   PrivateSubnets:
    ///     Type: List<AWS::EC2::Subnet::Id>
    /// Resources:
    ///   FnSecurityGroup:
    ///     Type: AWS::EC2::SecurityGroup
    ///     Properties:
    ///       GroupDescription: orders function
    ///       VpcId: !Ref VpcId
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       Role: arn:aws:iam::123456789012:role/orders
    ///       Code: {ZipFile: "def handler(e, c): pass"}
    ///       VpcConfig:
    ///         SubnetIds: !Ref PrivateSubnets
    ///         SecurityGroupIds: [!Ref FnSecurityGroup]
    /// ```
    pub struct OpenIngress {
        id: "NET003",
        name: "security-group-open-ingress",
        severity: Medium,
        practices: [6, 12],
        sources: [CloudFormation, Sam, Terraform],
    }
}

const HELP: &str = "remove the rule: a function needs no ingress; allow what shares the group only from the security groups that need it";

impl Rule for OpenIngress {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for used in function_groups(model) {
            let of = used.functions_phrase();
            let name = used.name();
            if let Group::Declared(g) = used.group {
                for (i, rule) in g.ingress.iter().enumerate() {
                    let Some(cidr) = anywhere(rule) else {
                        continue;
                    };
                    cx.report(
                        &g.resource,
                        &cidr.span,
                        format!("ingress/{i}"),
                        format!(
                            "Security group `{name}` of {of} accepts {} from anywhere (`{}`)",
                            traffic(rule),
                            cidr.value.as_str().unwrap_or_default().trim()
                        ),
                        HELP,
                    );
                }
            }
            for r in used.standalone_rules(model, false) {
                let Some(cidr) = anywhere(&r.rule) else {
                    continue;
                };
                cx.report(
                    &r.resource,
                    &cidr.span,
                    "",
                    format!(
                        "Ingress rule `{}` opens security group `{name}` of {of} to {} from anywhere (`{}`)",
                        r.resource.id,
                        traffic(&r.rule),
                        cidr.value.as_str().unwrap_or_default().trim()
                    ),
                    HELP,
                );
            }
        }
    }
}

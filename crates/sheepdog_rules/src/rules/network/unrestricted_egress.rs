use sheepdog_model::Model;

use super::groups::{Group, allows_all_traffic, anywhere, function_groups, traffic};
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A security group of a function (in its `VpcConfig.SecurityGroupIds`, by `!Ref` or
    /// `!GetAtt ...GroupId` to a group of the template, or by a literal ID that standalone
    /// rules of the template name) that allows all outbound traffic to anywhere: an egress
    /// rule for every protocol (`IpProtocol: -1`), or every TCP or UDP port, to `0.0.0.0/0`
    /// or `::/0`. Inline `SecurityGroupEgress` rules and standalone
    /// `AWS::EC2::SecurityGroupEgress` resources are checked.
    ///
    /// A group declared without `SecurityGroupEgress` (or with an empty list) is reported
    /// too: AWS then adds its default egress rules, which allow all outbound IPv4 and IPv6
    /// traffic, and standalone egress rules added later do not remove them. Some scanners
    /// only look at rules that are written; the group behaves the same either way. Not so
    /// in Terraform: it removes the default rules when it creates an `aws_security_group`,
    /// so a group without `egress` blocks allows no egress and is not reported. A
    /// `SecurityGroupEgress` that cannot be resolved, and rules whose protocol, ports or
    /// destination are parameters without a default, are not reported.
    ///
    /// ## Why it matters
    /// Practices 6 and 12 (network security, VPC and security groups): a function that can
    /// open any connection to any address gives whoever controls its code — an injected
    /// command, a compromised dependency, a server-side request forgery — a direct channel
    /// to send data and credentials out, and to fetch a second stage. Restricted egress is
    /// the control that stops that channel when the code has been subverted.
    ///
    /// ## How to fix
    /// Write `SecurityGroupEgress` with only what the function needs: HTTPS (443) to the
    /// prefix lists of the VPC endpoints it uses (`DestinationPrefixListId`), the security
    /// groups of the databases it reaches (`DestinationSecurityGroupId`), or specific CIDRs
    /// and ports. Writing any egress rule removes AWS's default allow-all rule. Reach AWS
    /// services through VPC endpoints rather than through a NAT to the whole internet.
    /// Terraform: `egress` blocks (or `aws_vpc_security_group_egress_rule` resources) for
    /// those destinations only, instead of `protocol = "-1"` to `0.0.0.0/0`.
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
    ///       SecurityGroupEgress:
    ///         - IpProtocol: "-1"
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
    ///         SecurityGroupIds: [!GetAtt FnSecurityGroup.GroupId]
    /// ```
    /// Fixed:
    /// ```yaml
    /// Parameters:
    ///   VpcId:
    ///     Type: AWS::EC2::VPC::Id
    ///   PrivateSubnets:
    ///     Type: List<AWS::EC2::Subnet::Id>
    ///   EndpointPrefixList:
    ///     Type: String
    /// Resources:
    ///   FnSecurityGroup:
    ///     Type: AWS::EC2::SecurityGroup
    ///     Properties:
    ///       GroupDescription: orders function
    ///       VpcId: !Ref VpcId
    ///       SecurityGroupEgress:
    ///         - IpProtocol: tcp
    ///           FromPort: 443
    ///           ToPort: 443
    ///           DestinationPrefixListId: !Ref EndpointPrefixList
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       Role: arn:aws:iam::123456789012:role/orders
    ///       Code: {ZipFile: "def handler(e, c): pass"}
    ///       VpcConfig:
    ///         SubnetIds: !Ref PrivateSubnets
    ///         SecurityGroupIds: [!GetAtt FnSecurityGroup.GroupId]
    /// ```
    pub struct UnrestrictedEgress {
        id: "NET002",
        name: "security-group-unrestricted-egress",
        severity: Low,
        practices: [6, 12],
        sources: [CloudFormation, Sam, Terraform],
    }
}

const HELP: &str = "allow egress only to what the function needs (VPC endpoint prefix lists, database security groups, specific CIDRs and ports)";

impl Rule for UnrestrictedEgress {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for used in function_groups(model) {
            let of = used.functions_phrase();
            let name = used.name();
            if let Group::Declared(g) = used.group {
                match &g.egress {
                    // AWS's default rules: nothing written, or an empty list (not in
                    // Terraform, which removes them: `default_egress` is false).
                    None if g.default_egress => {
                        default_egress(cx, g, &of, "has no `SecurityGroupEgress`");
                    }
                    Some(rules) if rules.is_empty() && g.egress_complete && g.default_egress => {
                        default_egress(cx, g, &of, "has an empty `SecurityGroupEgress`");
                    }
                    None => {}
                    Some(rules) => {
                        for (i, rule) in rules.iter().enumerate() {
                            let Some(cidr) = anywhere(rule).filter(|_| allows_all_traffic(rule))
                            else {
                                continue;
                            };
                            cx.report(
                                &g.resource,
                                &cidr.span,
                                format!("egress/{i}"),
                                format!(
                                    "Security group `{name}` of {of} allows {} out to anywhere (`{}`)",
                                    traffic(rule),
                                    cidr.value.as_str().unwrap_or_default().trim()
                                ),
                                HELP,
                            );
                        }
                    }
                }
            }
            for r in used.standalone_rules(model, true) {
                let Some(cidr) = anywhere(&r.rule).filter(|_| allows_all_traffic(&r.rule)) else {
                    continue;
                };
                cx.report(
                    &r.resource,
                    &cidr.span,
                    "",
                    format!(
                        "Egress rule `{}` lets security group `{name}` of {of} send {} to anywhere (`{}`)",
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

fn default_egress(cx: &mut Context<'_>, g: &sheepdog_model::SecurityGroup, of: &str, why: &str) {
    cx.report(
        &g.resource,
        &g.resource.span,
        "default",
        format!(
            "Security group `{}` of {of} {why}, so AWS's default rules allow all traffic out to anywhere",
            g.resource.id
        ),
        "write `SecurityGroupEgress` rules for what the function needs: they replace AWS's default allow-all rules",
    );
}

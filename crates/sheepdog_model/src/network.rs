use serde::Serialize;
use sheepdog_diagnostics::{Sourced, Span};

use crate::Resource;

/// `AWS::EC2::SecurityGroup` with its inline rules.
#[derive(Debug, Clone, Serialize)]
pub struct SecurityGroup {
    pub resource: Resource,
    pub name: Option<Sourced<String>>,
    pub vpc: Option<Sourced<String>>,
    pub ingress: Vec<SgRule>,
    /// `None` when `SecurityGroupEgress` is not written: AWS then allows all egress, unless
    /// `default_egress` is false.
    pub egress: Option<Vec<SgRule>>,
    /// False when `SecurityGroupEgress` is written as a value sheepdog could not resolve
    /// into a list (a parameter, an `Fn::If` on an undecidable condition): `egress` is then
    /// empty although the group may have rules. An empty list that is resolved is `[]`
    /// written: AWS adds its default allow-all egress rules then too.
    pub egress_complete: bool,
    /// Whether AWS's default egress rules (all traffic to anywhere) stay on the group when
    /// `egress` is `None` or empty. True for CloudFormation, where a group created without
    /// `SecurityGroupEgress` (or with an empty list) keeps them. False for Terraform, which
    /// removes them when it creates the group: an `aws_security_group` without `egress`
    /// blocks allows no egress at all (set by the Terraform loader).
    pub default_egress: bool,
}

/// One ingress or egress rule.
#[derive(Debug, Clone, Serialize)]
pub struct SgRule {
    pub span: Span,
    pub protocol: Option<Sourced<String>>,
    pub from_port: Option<Sourced<i64>>,
    pub to_port: Option<Sourced<i64>>,
    pub cidr_ipv4: Option<Sourced<String>>,
    pub cidr_ipv6: Option<Sourced<String>>,
    pub source_group: Option<Sourced<String>>,
    pub prefix_list: Option<Sourced<String>>,
}

/// A standalone `AWS::EC2::SecurityGroupIngress` / `SecurityGroupEgress`.
#[derive(Debug, Clone, Serialize)]
pub struct SecurityGroupRule {
    pub resource: Resource,
    pub group: Sourced<String>,
    pub egress: bool,
    pub rule: SgRule,
}

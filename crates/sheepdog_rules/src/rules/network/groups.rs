//! The security groups functions are placed in, and what their rules allow: shared by the
//! security-group rules of this family so they link groups to functions the same way.

use sheepdog_model::{Model, SecurityGroup, SecurityGroupRule, SgRule, Sourced, Value};

/// A security group named in a function's `VpcConfig.SecurityGroupIds`.
pub(super) enum Group<'m> {
    /// A group of the template (`!Ref Sg`, `!GetAtt Sg.GroupId`): its inline rules and the
    /// standalone rules that name it are all known.
    Declared(&'m SecurityGroup),
    /// A group outside the template, by its literal ID (`sg-0123...`): only the standalone
    /// rules the template adds to it are seen.
    External(&'m str),
}

/// A group and the functions placed in it.
pub(super) struct GroupUse<'m> {
    pub group: Group<'m>,
    /// Logical IDs of the functions in the group, in template order, each once.
    pub functions: Vec<&'m str>,
}

impl GroupUse<'_> {
    /// How the group is named in messages: its logical ID, or its literal ID.
    pub fn name(&self) -> &str {
        match self.group {
            Group::Declared(g) => &g.resource.id,
            Group::External(id) => id,
        }
    }

    /// "`Fn`", "`A` and `B`", "`A`, `B` and `C`".
    pub fn functions_phrase(&self) -> String {
        let names: Vec<String> = self.functions.iter().map(|f| format!("`{f}`")).collect();
        match names.split_last() {
            None => String::new(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        }
    }

    /// The standalone `AWS::EC2::SecurityGroupIngress`/`Egress` rules that name this group.
    pub fn standalone_rules<'a>(
        &'a self,
        model: &'a Model,
        egress: bool,
    ) -> impl Iterator<Item = &'a SecurityGroupRule> + 'a {
        model.security_group_rules.iter().filter(move |r| {
            r.egress == egress
                && match self.group {
                    Group::Declared(g) => {
                        r.group.value.resource_ref() == Some(g.resource.id.as_str())
                    }
                    Group::External(id) => r.group.value.as_str() == Some(id),
                }
        })
    }
}

/// Every security group functions of `model` are placed in, each once, in the order the
/// functions name them. Entries that cannot be resolved (a parameter, an import) are left
/// out: nothing is known of their rules.
pub(super) fn function_groups(model: &Model) -> Vec<GroupUse<'_>> {
    let mut uses: Vec<GroupUse<'_>> = Vec::new();
    for f in &model.functions {
        let Some(ids) = f.vpc.as_ref().and_then(|v| v.security_group_ids.as_ref()) else {
            continue;
        };
        for id in &ids.value {
            let group = if let Some(target) = id.value.resource_ref() {
                match model
                    .security_groups
                    .iter()
                    .find(|g| g.resource.id == target)
                {
                    Some(g) => Group::Declared(g),
                    None => continue,
                }
            } else if let Value::Known(literal) = &id.value {
                Group::External(literal)
            } else {
                continue;
            };
            let function = f.resource.id.as_str();
            let existing = uses.iter_mut().find(|u| same_group(&u.group, &group));
            match existing {
                Some(u) if !u.functions.contains(&function) => u.functions.push(function),
                Some(_) => {}
                None => uses.push(GroupUse {
                    group,
                    functions: vec![function],
                }),
            }
        }
    }
    uses
}

fn same_group(a: &Group<'_>, b: &Group<'_>) -> bool {
    match (a, b) {
        (Group::Declared(x), Group::Declared(y)) => x.resource.id == y.resource.id,
        (Group::External(x), Group::External(y)) => x == y,
        _ => false,
    }
}

/// The CIDR of `rule` that covers every address (`0.0.0.0/0`, `::/0`: any prefix length 0),
/// when it has one.
pub(super) fn anywhere(rule: &SgRule) -> Option<&Sourced<String>> {
    [&rule.cidr_ipv4, &rule.cidr_ipv6]
        .into_iter()
        .flatten()
        .find(|c| c.value.as_str().is_some_and(|c| c.trim().ends_with("/0")))
}

/// The protocol of a rule, normalized: `-1` for all protocols, `tcp`, `udp`, `icmp`,
/// `icmpv6`, or the number or name as written. `None` when not written or unknown.
fn protocol(rule: &SgRule) -> Option<String> {
    let p = rule
        .protocol
        .as_ref()?
        .value
        .as_str()?
        .trim()
        .to_ascii_lowercase();
    Some(match p.as_str() {
        "-1" | "all" => "-1".to_owned(),
        "6" => "tcp".to_owned(),
        "17" => "udp".to_owned(),
        "1" => "icmp".to_owned(),
        "58" => "icmpv6".to_owned(),
        _ => p,
    })
}

/// The port range of a TCP/UDP rule, when both ends are known.
fn ports(rule: &SgRule) -> Option<(i64, i64)> {
    let from = *rule.from_port.as_ref()?.value.known()?;
    let to = *rule.to_port.as_ref()?.value.known()?;
    Some((from, to))
}

/// Whether a TCP/UDP port range covers every port (`0`–`65535`, or `-1`).
fn all_ports(range: (i64, i64)) -> bool {
    let (from, to) = range;
    (from <= 0 && to >= 65535) || (from == -1 && to == -1)
}

/// Whether `rule` allows every protocol, or every port of TCP or UDP. An unknown protocol
/// or port is not "every".
pub(super) fn allows_all_traffic(rule: &SgRule) -> bool {
    match protocol(rule).as_deref() {
        Some("-1") => true,
        Some("tcp" | "udp") => ports(rule).is_some_and(all_ports),
        _ => false,
    }
}

/// What `rule` lets through, for messages: "all traffic", "TCP port 22", "UDP ports
/// 1000-2000", "all TCP ports", "ICMP", "protocol 50", "traffic (protocol unknown)".
pub(super) fn traffic(rule: &SgRule) -> String {
    let Some(p) = protocol(rule) else {
        return "traffic (protocol unknown)".to_owned();
    };
    let name = match p.as_str() {
        "-1" => return "all traffic".to_owned(),
        "tcp" => "TCP",
        "udp" => "UDP",
        "icmp" => return "ICMP".to_owned(),
        "icmpv6" => return "ICMPv6".to_owned(),
        other => return format!("protocol {other}"),
    };
    match ports(rule) {
        Some(range) if all_ports(range) => format!("all {name} ports"),
        Some((from, to)) if from == to => format!("{name} port {from}"),
        Some((from, to)) => format!("{name} ports {from}-{to}"),
        None => format!("{name} (ports unknown)"),
    }
}

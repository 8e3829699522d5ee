use crate::Rule;
mod groups;
mod open_ingress;
mod outside_vpc;
mod single_subnet;
mod unrestricted_egress;

use open_ingress::OpenIngress;
use outside_vpc::FunctionOutsideVpc;
use single_subnet::SingleSubnet;
use unrestricted_egress::UnrestrictedEgress;

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[
    &FunctionOutsideVpc,
    &UnrestrictedEgress,
    &OpenIngress,
    &SingleSubnet,
];

use sheepdog_model::{Model, Value};

use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A function attached to a VPC through a single subnet: its `VpcConfig.SubnetIds`
    /// names one subnet (the same one written twice counts once). Each entry of a list
    /// written out is one subnet, whatever it is (`- !Ref PrivateSubnetA`, an import). A
    /// list given by one expression sheepdog cannot resolve — `!Ref` to a
    /// `List<AWS::EC2::Subnet::Id>` parameter without a default, an import split into a
    /// list, an `Fn::If` on an undecidable condition — may hold several subnets and is not
    /// reported. A function with no subnets at all is NET001's.
    ///
    /// ## Why it matters
    /// Practices 6 and 12 (network security, VPC and security groups): a subnet lives in
    /// one Availability Zone. A function attached through a single subnet runs only there,
    /// so an outage of that zone takes the function down, with everything that invokes it;
    /// Lambda's own zone redundancy only works across the subnets you give it.
    ///
    /// ## How to fix
    /// List private subnets in at least two Availability Zones (three where the region has
    /// them) in `VpcConfig.SubnetIds`, each with a route to what the function reaches. In
    /// SAM, set `VpcConfig` once under `Globals.Function`. Terraform: `vpc_config.subnet_ids`
    /// (the registry module: `vpc_subnet_ids`).
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
    ///       VpcConfig:
    ///         SubnetIds: [subnet-0a1b2c3d4e5f60718]
    ///         SecurityGroupIds: [sg-0a1b2c3d4e5f60718]
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
    ///       VpcConfig:
    ///         SubnetIds: [subnet-0a1b2c3d4e5f60718, subnet-0f1e2d3c4b5a69788]
    ///         SecurityGroupIds: [sg-0a1b2c3d4e5f60718]
    /// ```
    pub struct SingleSubnet {
        id: "NET004",
        name: "function-single-subnet",
        severity: Medium,
        practices: [6, 12],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for SingleSubnet {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for f in &model.functions {
            let Some(vpc) = &f.vpc else { continue };
            let Some(subnets) = &vpc.subnet_ids else {
                continue;
            };
            let entries = &subnets.value;
            // A list written as one unresolved expression may hold any number of subnets;
            // each entry of a list written out is one subnet, known or not.
            if !vpc.subnet_ids_listed && entries.iter().any(|e| e.value.is_unknown()) {
                continue;
            }
            let mut distinct: Vec<&str> = Vec::new();
            for e in entries {
                let id = match &e.value {
                    Value::Known(s) => s.trim(),
                    Value::Unknown(u) => u.expr.as_str(),
                };
                if !distinct.contains(&id) {
                    distinct.push(id);
                }
            }
            let [subnet] = distinct.as_slice() else {
                continue;
            };
            cx.report(
                &f.resource,
                &subnets.span,
                "",
                format!(
                    "Function `{}` is attached to a single subnet (`{subnet}`), so it runs in a single Availability Zone",
                    f.resource.id
                ),
                "list private subnets in at least two Availability Zones in `VpcConfig.SubnetIds`",
            );
        }
    }
}

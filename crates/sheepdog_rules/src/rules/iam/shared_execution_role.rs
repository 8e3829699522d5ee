use sheepdog_diagnostics::Related;
use sheepdog_model::{Function, Model};

use crate::context::describe;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An execution role of the template that two or more functions run as: their `Role`
    /// properties all designate the same `AWS::IAM::Role` (by `!GetAtt Role.Arn`, `!Ref`, or
    /// an ARN ending in the role's name). The finding is on the role and names the functions;
    /// each function's `Role` value is a related location. A role given as a parameter or an
    /// ARN of a role outside the template is not a role of the template, so it is not
    /// counted; a role SAM creates for a function belongs to that function alone.
    ///
    /// ## Why it matters
    /// Practice 1 (least privilege) and 14 (regular IAM review): a shared role holds the
    /// union of what every one of its functions needs, so each function can do what the
    /// others do. A bug in the smallest function (an injection, a compromised dependency)
    /// then reaches every table, bucket and queue of the whole group, and no one can tell
    /// from the role which function needs which permission, so it is never trimmed.
    ///
    /// ## How to fix
    /// Give each function its own role with only the permissions it uses. In SAM, drop
    /// `Role` and list the function's own `Policies` (policy templates such as
    /// `DynamoDBReadPolicy: {TableName: !Ref Table}`): SAM creates one role per function.
    /// In CloudFormation, declare one `AWS::IAM::Role` per function.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Resources:
    ///   AppRole:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument:
    ///         Statement:
    ///           - Effect: Allow
    ///             Principal: {Service: lambda.amazonaws.com}
    ///             Action: sts:AssumeRole
    ///       ManagedPolicyArns:
    ///         - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
    ///   Reader:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: reader.handler
    ///       Role: !GetAtt AppRole.Arn
    ///       Code: {ZipFile: "def handler(e, c): pass"}
    ///   Writer:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: writer.handler
    ///       Role: !GetAtt AppRole.Arn
    ///       Code: {ZipFile: "def handler(e, c): pass"}
    /// ```
    /// Fixed:
    /// ```yaml
    /// Resources:
    ///   ReaderRole:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument:
    ///         Statement:
    ///           - Effect: Allow
    ///             Principal: {Service: lambda.amazonaws.com}
    ///             Action: sts:AssumeRole
    ///       ManagedPolicyArns:
    ///         - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
    ///   WriterRole:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument:
    ///         Statement:
    ///           - Effect: Allow
    ///             Principal: {Service: lambda.amazonaws.com}
    ///             Action: sts:AssumeRole
    ///       ManagedPolicyArns:
    ///         - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
    ///   Reader:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: reader.handler
    ///       Role: !GetAtt ReaderRole.Arn
    ///       Code: {ZipFile: "def handler(e, c): pass"}
    ///   Writer:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: writer.handler
    ///       Role: !GetAtt WriterRole.Arn
    ///       Code: {ZipFile: "def handler(e, c): pass"}
    /// ```
    pub struct SharedExecutionRole {
        id: "IAM007",
        name: "shared-execution-role",
        severity: Low,
        practices: [1, 14],
        sources: [CloudFormation, Sam, Terraform],
    }
}

const HELP: &str = "give each function its own role with only the permissions it uses";

impl Rule for SharedExecutionRole {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        let runs_as = model.functions_by_role();
        for role in &model.roles {
            let functions: &[&Function] = runs_as
                .get(role.resource.id.as_str())
                .map_or(&[], Vec::as_slice);
            if functions.len() < 2 {
                continue;
            }
            let names: Vec<String> = functions
                .iter()
                .map(|f| format!("`{}`", f.resource.id))
                .collect();
            let finding = cx.report(
                &role.resource,
                &role.resource.span,
                "",
                format!(
                    "Execution role {} is shared by {} functions ({}): each of them can do what any of them needs",
                    describe(&role.resource),
                    functions.len(),
                    join(&names),
                ),
                HELP,
            );
            for f in functions {
                let span = f.role.as_ref().map_or(&f.resource.span, |r| &r.span);
                finding.related.push(Related {
                    message: format!("`{}` runs as this role", f.resource.id),
                    span: span.clone(),
                });
            }
        }
    }
}

/// `a`, `a and b`, `a, b and c`; past five items, `a, b, c, d, e and 3 more`.
fn join(items: &[String]) -> String {
    const SHOWN: usize = 5;
    if items.len() > SHOWN {
        return format!(
            "{} and {} more",
            items[..SHOWN].join(", "),
            items.len() - SHOWN
        );
    }
    crate::context::join(items, "and")
}

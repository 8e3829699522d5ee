#!/usr/bin/env python3
"""Generate a synthetic but realistic corpus of Terraform root modules for Lambda.

Usage:
    python3 bench/gen_tf_corpus.py --count N --out DIR [--seed S] [--functions F]

Writes DIR/app-00001/{main.tf,variables.tf,terraform.tfvars,modules/fn/main.tf}, ...:
N root modules of about F functions each (default 20). Each module has variables
(defaults and tfvars), locals, a `for_each` over a map of functions, a local module
called for some of them, IAM roles with `jsonencode` and `aws_iam_policy_document`
policies (some too broad), log groups (some without retention), function URLs,
permissions, an HTTP API with routes and a stage, security groups, alarms and a
secret: what a real estate writes, with the usual mistakes at a realistic rate.

Module ``i`` is built from its own random stream seeded with (seed, i), so the output
is deterministic and corpus-100 is a prefix of corpus-1000. Standard library only.
"""

from __future__ import annotations

import argparse
import os
import random

RUNTIMES = ["python3.12", "python3.13", "nodejs20.x", "nodejs22.x", "python3.9", "nodejs18.x", "java21"]
ACTIONS = [
    ["dynamodb:GetItem", "dynamodb:Query"],
    ["s3:GetObject"],
    ["sqs:SendMessage"],
    ["sns:Publish"],
    ["dynamodb:*"],
    ["s3:*"],
    ["*"],
]


def fn_block(r: random.Random, i: int) -> str:
    runtime = r.choice(RUNTIMES)
    memory = r.choice([128, 256, 512, 1024])
    timeout = r.choice([3, 10, 30, 60])
    env = {"STAGE": "var.stage", "TABLE": "aws_dynamodb_table.main.name"}
    if r.random() < 0.1:
        env["DB_PASSWORD"] = '"hunter2-%d"' % i
    if r.random() < 0.1:
        env["DEBUG"] = '"true"'
    env_lines = "\n".join(f"      {k} = {v}" for k, v in env.items())
    return f'''    fn{i:02d} = {{
      runtime = "{runtime}"
      memory  = {memory}
      timeout = {timeout}
      public  = {"true" if r.random() < 0.15 else "false"}
      actions = {list_hcl(r.choice(ACTIONS))}
    }}
''', env_lines


def list_hcl(items) -> str:
    return "[" + ", ".join(f'"{x}"' for x in items) + "]"


def module(r: random.Random, index: int, functions: int) -> dict[str, str]:
    name = f"svc{index:05d}"
    entries = []
    env_lines = ""
    for i in range(functions):
        block, env = fn_block(r, i)
        entries.append(block)
        env_lines = env
    tracing = "Active" if r.random() < 0.6 else "PassThrough"
    retention = r.choice(["14", "30", "null", "365"])
    main = f'''# {name}: a generated Lambda service (bench/gen_tf_corpus.py).

locals {{
  name = "${{var.service}}-${{var.stage}}"
  functions = {{
{"".join(entries)}  }}
  public = {{ for k, f in local.functions : k => f if f.public }}
}}

resource "aws_dynamodb_table" "main" {{
  name         = "${{local.name}}-table"
  hash_key     = "id"
  billing_mode = "PAY_PER_REQUEST"
}}

data "aws_iam_policy_document" "trust" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }}
  }}
}}

resource "aws_iam_role" "fn" {{
  for_each           = local.functions
  name               = "${{local.name}}-${{each.key}}"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}}

resource "aws_iam_role_policy" "fn" {{
  for_each = local.functions
  role     = aws_iam_role.fn[each.key].id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect   = "Allow"
      Action   = each.value.actions
      Resource = "*"
    }}]
  }})
}}

resource "aws_iam_role_policy_attachment" "logs" {{
  for_each   = local.functions
  role       = aws_iam_role.fn[each.key].name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}}

resource "aws_lambda_function" "fn" {{
  for_each      = local.functions
  function_name = "${{local.name}}-${{each.key}}"
  role          = aws_iam_role.fn[each.key].arn
  runtime       = each.value.runtime
  handler       = "app.handler"
  filename      = "build/${{each.key}}.zip"
  memory_size   = each.value.memory
  timeout       = each.value.timeout

  environment {{
    variables = {{
{env_lines}
    }}
  }}

  tracing_config {{
    mode = "{tracing}"
  }}
}}

resource "aws_cloudwatch_log_group" "fn" {{
  for_each          = local.functions
  name              = "/aws/lambda/${{local.name}}-${{each.key}}"
  retention_in_days = {retention}
}}

resource "aws_lambda_function_url" "public" {{
  for_each           = local.public
  function_name      = aws_lambda_function.fn[each.key].function_name
  authorization_type = "NONE"
}}

resource "aws_apigatewayv2_api" "http" {{
  name          = local.name
  protocol_type = "HTTP"
}}

resource "aws_apigatewayv2_integration" "fn" {{
  for_each         = local.functions
  api_id           = aws_apigatewayv2_api.http.id
  integration_type = "AWS_PROXY"
  integration_uri  = aws_lambda_function.fn[each.key].invoke_arn
}}

resource "aws_apigatewayv2_route" "fn" {{
  for_each           = local.functions
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "GET /${{each.key}}"
  authorization_type = "{r.choice(["NONE", "AWS_IAM", "JWT"])}"
  target             = "integrations/${{aws_apigatewayv2_integration.fn[each.key].id}}"
}}

resource "aws_apigatewayv2_stage" "default" {{
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {{
    throttling_burst_limit = 100
    throttling_rate_limit  = 50
  }}
}}

resource "aws_lambda_permission" "api" {{
  for_each      = local.functions
  statement_id  = "AllowApi"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn[each.key].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${{aws_apigatewayv2_api.http.execution_arn}}/*/*"
}}

resource "aws_security_group" "fn" {{
  name   = "${{local.name}}-fn"
  vpc_id = var.vpc_id

  egress {{
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}

resource "aws_cloudwatch_metric_alarm" "errors" {{
  for_each            = local.functions
  alarm_name          = "${{local.name}}-${{each.key}}-errors"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  period              = 60
  statistic           = "Sum"
  threshold           = 0
  dimensions = {{
    FunctionName = aws_lambda_function.fn[each.key].function_name
  }}
}}

resource "aws_secretsmanager_secret" "db" {{
  name = "${{local.name}}/db"
}}

module "worker" {{
  source  = "./modules/fn"
  name    = "${{local.name}}-worker"
  runtime = var.worker_runtime
}}
'''
    variables = '''variable "service" {
  type    = string
  default = "%s"
}

variable "stage" {
  type    = string
  default = "dev"
}

variable "worker_runtime" {
  type    = string
  default = "python3.12"
}

variable "vpc_id" {
  type = string
}
''' % name
    tfvars = 'stage = "%s"\n' % r.choice(["prod", "staging", "dev"])
    child = '''variable "name" {
  type = string
}

variable "runtime" {
  type = string
}

resource "aws_iam_role" "this" {
  name = var.name
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = aws_iam_role.this.arn
  runtime       = var.runtime
  handler       = "worker.handler"
  filename      = "${path.module}/worker.zip"
}

output "arn" {
  value = aws_lambda_function.this.arn
}
'''
    return {
        "main.tf": main,
        "variables.tf": variables,
        "terraform.tfvars": tfvars,
        "modules/fn/main.tf": child,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--functions", type=int, default=20)
    args = p.parse_args()
    for i in range(1, args.count + 1):
        r = random.Random(f"{args.seed}-{i}")
        files = module(r, i, args.functions)
        root = os.path.join(args.out, f"app-{i:05d}")
        for rel, text in files.items():
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)


if __name__ == "__main__":
    main()

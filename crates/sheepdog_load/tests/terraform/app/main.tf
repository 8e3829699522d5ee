# An orders service: the loader's Terraform review fixture (model snapshot in
# tests/snapshots/terraform__app.snap). Values come from variables, tfvars, locals,
# a local module, policy documents, jsonencode, a heredoc and a policy file.

locals {
  name = "${var.service}-${var.stage}"
  env = {
    TABLE     = aws_dynamodb_table.orders.name
    LOG_LEVEL = var.stage == "prod" ? "INFO" : "DEBUG"
  }
  queues = toset(["emails", "invoices"])
}

resource "aws_dynamodb_table" "orders" {
  name     = "${local.name}-orders"
  hash_key = "id"
}

resource "aws_iam_role" "api" {
  name               = "${local.name}-api"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name = "read-orders"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:Query"]
        Resource = aws_dynamodb_table.orders.arn
      }]
    })
  }
}

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "queues" {
  dynamic "statement" {
    for_each = local.queues
    content {
      sid       = "Send${title(statement.value)}"
      actions   = ["sqs:SendMessage"]
      resources = ["arn:aws:sqs:*:*:${statement.value}"]
    }
  }
}

resource "aws_iam_role_policy" "queues" {
  role   = aws_iam_role.api.id
  policy = data.aws_iam_policy_document.queues.json
}

resource "aws_iam_role_policy" "heredoc" {
  name   = "logs"
  role   = aws_iam_role.api.name
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": "logs:*", "Resource": "*"}
      ]
    }
  EOT
}

resource "aws_iam_policy" "from_file" {
  name   = "${local.name}-read"
  policy = file("${path.module}/policies/read.json")
}

resource "aws_iam_role_policy_attachment" "from_file" {
  role       = aws_iam_role.api.name
  policy_arn = aws_iam_policy.from_file.arn
}

resource "aws_lambda_function" "api" {
  function_name = local.name
  role          = aws_iam_role.api.arn
  runtime       = var.runtime
  handler       = "app.handler"
  filename      = "build/api.zip"
  timeout       = 10
  publish       = true

  environment {
    variables = merge(local.env, { STAGE = var.stage })
  }

  tracing_config {
    mode = "Active"
  }
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.api.function_name
  function_version = aws_lambda_function.api.version
}

resource "aws_lambda_permission" "api" {
  for_each      = toset(["GET", "POST"])
  statement_id  = "Allow${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api.function_name
  qualifier     = aws_lambda_alias.live.name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.http.execution_arn}/*/${each.key}/orders"
}

resource "aws_apigatewayv2_api" "http" {
  name          = local.name
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "api" {
  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_alias.live.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "orders" {
  count              = length(var.routes)
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = var.routes[count.index]
  authorization_type = "NONE"
  target             = "integrations/${aws_apigatewayv2_integration.api.id}"
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/aws/lambda/${aws_lambda_function.api.function_name}"
  retention_in_days = var.stage == "prod" ? 365 : 14
}

resource "aws_security_group" "worker" {
  name   = "${local.name}-worker"
  vpc_id = var.vpc_id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8", "0.0.0.0/0"]
  }
}

module "worker" {
  source             = "./modules/worker"
  name               = "${local.name}-worker"
  security_group_ids = [aws_security_group.worker.id]
  queue_arns         = [for q in local.queues : "arn:aws:sqs:eu-west-1:123456789012:${q}"]
}

module "notifier" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 7.0"

  function_name      = "${local.name}-notifier"
  handler            = "index.handler"
  runtime            = "nodejs16.x"
  create_function_url = true

  attach_policy_statements = true
  policy_statements = {
    sns = {
      effect    = "Allow"
      actions   = ["sns:*"]
      resources = ["*"]
    }
  }
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.1.0"
}

# Orders service — the INSECURE Terraform twin of ../insecure-app. Every problem here is
# one sheepdog reports; ../secure-terraform-app is the same service with each of them fixed.

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.aws_region
}

locals {
  prefix = "orders-${var.stage}"

  # No kms_key_arn on the functions that get these (SEC002).
  common_env = {
    STAGE      = var.stage
    TABLE_NAME = aws_dynamodb_table.orders.name
  }
}

resource "aws_dynamodb_table" "orders" {
  name         = "${local.prefix}-orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}

# Public API function: no tracing, no alias, no concurrency cap, no log group.
module "create_order" {
  source = "./modules/function"

  name     = "${local.prefix}-create-order"
  handler  = "app.create_order"
  runtime  = var.runtime
  filename = var.artifact

  environment_variables = merge(local.common_env, {
    PAYMENT_API_KEY = "sk_live_51HqLyjWDarjtT1zdp7dcQx9Kf" # secret in an env var (SEC001)
    DB_PASSWORD     = "correct-horse-battery-staple"       # SEC001
  })

  policy_json = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*" # full admin (IAM001)
      Resource = "*"
    }]
  })
}

# Report function exposed through an unauthenticated function URL.
data "aws_iam_policy_document" "report" {
  statement {
    actions = [
      "dynamodb:GetItem",
      "dynamodb:Scan",
      "dynamodb:Query",
      "dynamodb:BatchGetItem",
      "dynamodb:DescribeTable",
    ]
    resources = [aws_dynamodb_table.orders.arn, "${aws_dynamodb_table.orders.arn}/index/*"]
  }
}

module "report" {
  source = "./modules/function"

  name                  = "${local.prefix}-report"
  handler               = "app.report"
  runtime               = var.runtime
  filename              = var.artifact
  environment_variables = local.common_env
  policy_json           = data.aws_iam_policy_document.report.json

  function_url_authorization_type = "NONE" # anyone can call it (PUB002)
}

# The REST API in front of create_order: no authorization, no validation, no access logs,
# no tracing, no throttling, no WAF.
resource "aws_api_gateway_rest_api" "orders" {
  name = "${local.prefix}-api"
}

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  parent_id   = aws_api_gateway_rest_api.orders.root_resource_id
  path_part   = "orders"
}

resource "aws_api_gateway_method" "create_order" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "POST"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "create_order" {
  rest_api_id             = aws_api_gateway_rest_api.orders.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.create_order.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = module.create_order.invoke_arn
}

resource "aws_api_gateway_deployment" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id

  triggers = {
    redeployment = sha1(jsonencode([
      aws_api_gateway_resource.orders.id,
      aws_api_gateway_method.create_order.id,
      aws_api_gateway_integration.create_order.id,
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "orders" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = var.stage
}

resource "aws_lambda_permission" "api_create_order" {
  statement_id  = "AllowApiGateway"
  action        = "lambda:InvokeFunction"
  function_name = module.create_order.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.orders.execution_arn}/*/POST/orders"
}

# A plain function, with its own role, invoked by anyone.
data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "webhook" {
  name               = "${local.prefix}-webhook"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy_attachment" "webhook_logs" {
  role       = aws_iam_role.webhook.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_lambda_function" "webhook" {
  function_name = "${local.prefix}-webhook"
  runtime       = "python3.12"
  handler       = "app.webhook"
  role          = aws_iam_role.webhook.arn
  filename      = var.artifact
}

resource "aws_lambda_permission" "webhook_public" {
  statement_id  = "AllowAnyone"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.webhook.function_name
  principal     = "*" # public invoke (PUB001)
}

resource "aws_cloudwatch_log_group" "webhook" {
  name = "/aws/lambda/${aws_lambda_function.webhook.function_name}" # no retention_in_days (LOG002)
}

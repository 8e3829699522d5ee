# Orders service — the FIXED Terraform twin of ../insecure-terraform-app (and of the SAM
# app ../secure-app). `sheepdog scan` reports nothing here: every practice sheepdog checks
# in infrastructure code is followed.

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

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  prefix    = "orders-${var.stage}"
  account   = data.aws_caller_identity.current.account_id
  region    = data.aws_region.current.name
  partition = data.aws_partition.current.partition

  common_env = {
    STAGE      = var.stage
    TABLE_NAME = aws_dynamodb_table.orders.name
  }
}

# One customer-managed key for environment variables, logs and the dead-letter queue.
data "aws_iam_policy_document" "service_key" {
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account}:root"]
    }
  }

  statement {
    sid       = "CloudWatchLogs"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${local.region}:${local.account}:log-group:*"]
    }
  }
}

resource "aws_kms_key" "service" {
  description             = "${local.prefix}: environment variables, logs, dead letters"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.service_key.json
}

# Only code signed by this profile deploys.
resource "aws_signer_signing_profile" "lambda" {
  name_prefix = "orders_"
  platform_id = "AWSLambda-SHA384-ECDSA"
}

resource "aws_lambda_code_signing_config" "orders" {
  description = "${local.prefix}: signed code only"

  allowed_publishers {
    signing_profile_version_arns = [aws_signer_signing_profile.lambda.version_arn]
  }

  policies {
    untrusted_artifact_on_deployment = "Enforce"
  }
}

resource "aws_signer_signing_job" "package" {
  profile_name = aws_signer_signing_profile.lambda.name

  source {
    s3 {
      bucket  = var.package.bucket
      key     = var.package.key
      version = var.package.version
    }
  }

  destination {
    s3 {
      bucket = var.package.bucket
      prefix = "signed/"
    }
  }

  ignore_signing_job_failure = false
}

locals {
  signed_package = {
    bucket = aws_signer_signing_job.package.signed_object[0].s3[0].bucket
    key    = aws_signer_signing_job.package.signed_object[0].s3[0].key
  }

  # What every function of the service shares.
  function_defaults = {
    runtime                 = var.runtime
    package                 = local.signed_package
    kms_key_arn             = aws_kms_key.service.arn
    code_signing_config_arn = aws_lambda_code_signing_config.orders.arn
    alarm_topic_arn         = var.alarm_topic_arn
    canary_weight           = var.canary_weight
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

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }
}

# Creates orders behind the REST API (api.tf). The API key is read from Secrets Manager at
# run time: the function gets the secret's ARN, never its value.
data "aws_iam_policy_document" "create_order" {
  statement {
    sid       = "OrdersTable"
    actions   = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"]
    resources = [aws_dynamodb_table.orders.arn]
  }

  statement {
    sid       = "PaymentApiKey"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.payment_api_key_secret_arn]
  }
}

module "create_order" {
  source = "./modules/function"

  name                           = "${local.prefix}-create-order"
  handler                        = "app.create_order"
  runtime                        = local.function_defaults.runtime
  package                        = local.function_defaults.package
  kms_key_arn                    = local.function_defaults.kms_key_arn
  code_signing_config_arn        = local.function_defaults.code_signing_config_arn
  alarm_topic_arn                = local.function_defaults.alarm_topic_arn
  canary_weight                  = local.function_defaults.canary_weight
  live_version                   = var.live_versions["create_order"]
  reserved_concurrent_executions = 20
  policy_json                    = data.aws_iam_policy_document.create_order.json

  environment_variables = merge(local.common_env, {
    PAYMENT_API_KEY_SECRET_ARN = var.payment_api_key_secret_arn # a pointer, not the secret
  })
}

# Reports, behind a function URL that only signed requests reach.
module "report" {
  source = "./modules/function"

  name                           = "${local.prefix}-report"
  handler                        = "app.report"
  runtime                        = local.function_defaults.runtime
  package                        = local.function_defaults.package
  kms_key_arn                    = local.function_defaults.kms_key_arn
  code_signing_config_arn        = local.function_defaults.code_signing_config_arn
  alarm_topic_arn                = local.function_defaults.alarm_topic_arn
  canary_weight                  = local.function_defaults.canary_weight
  live_version                   = var.live_versions["report"]
  reserved_concurrent_executions = 20
  environment_variables          = local.common_env
  function_url                   = true # AWS_IAM: callers sign their requests

  policy_json = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "OrdersTableRead"
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:DescribeTable"]
      Resource = [aws_dynamodb_table.orders.arn, "${aws_dynamodb_table.orders.arn}/index/*"]
    }]
  })
}

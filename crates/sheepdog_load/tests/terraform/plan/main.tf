# The configuration plan.json was made from (by hand, as `terraform show -json` prints
# it): findings on the plan's resources also name these blocks.
locals {
  name = "orders-${var.stage}"
}

variable "stage" {
  type = string
}

resource "aws_iam_role" "exec" {
  name               = "${local.name}-exec"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Action = "sts:AssumeRole", Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" } }] })
  inline_policy {
    name   = "everything"
    policy = jsonencode({ Version = "2012-10-17", Statement = [{ Action = "*", Effect = "Allow", Resource = "*" }] })
  }
}

resource "aws_lambda_function" "api" {
  function_name = local.name
  role          = aws_iam_role.exec.arn
  runtime       = "python3.8"
  handler       = "app.handler"
  filename      = "build/api.zip"
  environment {
    variables = {
      DB_PASSWORD = "correct-horse-battery-staple"
      STAGE       = var.stage
    }
  }
  tracing_config {
    mode = "PassThrough"
  }
}

resource "aws_lambda_function_url" "api" {
  function_name      = aws_lambda_function.api.function_name
  authorization_type = "NONE"
}

module "worker" {
  source = "./modules/worker"
  name   = "${local.name}-worker"
}

variable "name" {
  type = string
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Action = "sts:AssumeRole", Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" } }] })
}

resource "aws_lambda_function" "this" {
  count                          = 1
  function_name                  = var.name
  role                           = aws_iam_role.this.arn
  runtime                        = "nodejs22.x"
  handler                        = "index.handler"
  reserved_concurrent_executions = 5
  tracing_config {
    mode = "Active"
  }
}

variable "name" {
  type = string
}

variable "security_group_ids" {
  type = list(string)
}

variable "queue_arns" {
  type = list(string)
}

variable "runtime" {
  type    = string
  default = "nodejs20.x"
}

resource "aws_iam_role" "this" {
  name = var.name
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"]
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = aws_iam_role.this.arn
  runtime       = var.runtime
  handler       = "index.handler"
  filename      = "${path.module}/worker.zip"

  vpc_config {
    subnet_ids         = ["subnet-0a", "subnet-0b"]
    security_group_ids = var.security_group_ids
  }
}

resource "aws_lambda_event_source_mapping" "queues" {
  count            = length(var.queue_arns)
  function_name    = aws_lambda_function.this.arn
  event_source_arn = var.queue_arns[count.index]
}

output "function_arn" {
  value = aws_lambda_function.this.arn
}

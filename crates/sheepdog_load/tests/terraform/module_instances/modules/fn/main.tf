variable "name" {
  type = string
}

variable "runtime" {
  type = string
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  runtime       = var.runtime
  handler       = "app.handler"
  role          = "arn:aws:iam::123456789012:role/fn"
  filename      = "app.zip"
}

output "name" {
  value = aws_lambda_function.this.function_name
}

output "function_name" {
  value = aws_lambda_function.this.function_name
}

output "alias_name" {
  value = aws_lambda_alias.live.name
}

output "alias_arn" {
  value = aws_lambda_alias.live.arn
}

output "alias_invoke_arn" {
  value = aws_lambda_alias.live.invoke_arn
}

output "role_name" {
  value = aws_iam_role.this.name
}

output "function_url" {
  value = one(aws_lambda_function_url.this[*].function_url)
}

# A policy written as a template file, rendered with templatefile().
variable "table_arn" {
  type = string
}

resource "aws_iam_policy" "reader" {
  name = "reader"
  policy = templatefile("${path.module}/policy.json.tpl", {
    bucket    = "orders-archive"
    table_arn = var.table_arn
  })
}

# Directives and jsonencode inside the template.
resource "aws_iam_policy" "buckets" {
  name = "buckets"
  policy = templatefile("${path.module}/buckets.json.tpl", {
    buckets = ["orders", "invoices"]
    tables  = ["arn:aws:dynamodb:eu-west-1:123456789012:table/orders"]
    admin   = true
  })
}

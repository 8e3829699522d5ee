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

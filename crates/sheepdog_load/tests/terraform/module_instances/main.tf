# Module calls with for_each and count: one instance each, addressed as Terraform does.
locals {
  functions = {
    orders  = "python3.8"
    billing = "python3.13"
  }
}

module "fn" {
  for_each = local.functions
  source   = "./modules/fn"
  name     = each.key
  runtime  = each.value
}

module "worker" {
  count   = 2
  source  = "./modules/fn"
  name    = "worker-${count.index}"
  runtime = "nodejs22.x"
}

module "never" {
  count   = 0
  source  = "./modules/fn"
  name    = "never"
  runtime = "python2.7"
}

resource "aws_lambda_permission" "orders" {
  action        = "lambda:InvokeFunction"
  function_name = module.fn["orders"].name
  principal     = "sns.amazonaws.com"
}

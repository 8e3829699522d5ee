aws_region = "eu-west-1"
stage      = "prod"

stage   = "prod"
runtime = "python3.9"

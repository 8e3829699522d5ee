variable "aws_region" {
  description = "Region the orders service is deployed to"
  type        = string
  default     = "eu-west-1"
}

variable "stage" {
  description = "Deployment stage, part of every name"
  type        = string
  default     = "prod"
}

variable "runtime" {
  description = "Lambda runtime of the Python functions"
  type        = string
  default     = "python3.8" # deprecated runtime (RUN001)
}

variable "artifact" {
  description = "Zip package of the handlers (../insecure-app/src, zipped by the build)"
  type        = string
  default     = "build/orders.zip"
}

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
  default     = "python3.13"
}

variable "package" {
  description = "Unsigned zip package of the handlers (../secure-app/src) in a versioned bucket; it is signed before deployment"
  type = object({
    bucket  = string
    key     = string
    version = string
  })
}

variable "live_versions" {
  description = "Published version each function's `live` alias serves; the release pipeline promotes the newest one once its canary has run clean"
  type        = map(string)
}

variable "canary_weight" {
  description = "Share of the traffic an unpromoted new version receives"
  type        = number
  default     = 0.1
}

variable "payment_api_key_secret_arn" {
  description = "ARN of the Secrets Manager secret holding the payment provider's API key"
  type        = string
}

variable "alarm_topic_arn" {
  description = "SNS topic of the on-call rotation"
  type        = string
}

variable "name" {
  description = "Function name"
  type        = string
}

variable "handler" {
  type = string
}

variable "runtime" {
  type = string
}

variable "package" {
  description = "Signed zip package in S3"
  type = object({
    bucket = string
    key    = string
  })
}

variable "environment_variables" {
  description = "Encrypted at rest with kms_key_arn; never secrets, only their names or ARNs"
  type        = map(string)
  default     = {}
}

variable "policy_json" {
  description = "What the function itself needs, added to the role's logging and tracing permissions"
  type        = string
}

variable "kms_key_arn" {
  description = "Customer-managed key of the environment variables and the log group"
  type        = string
}

variable "code_signing_config_arn" {
  type = string
}

variable "reserved_concurrent_executions" {
  description = "Concurrency cap"
  type        = number
}

variable "log_retention_in_days" {
  type    = number
  default = 30
}

variable "alarm_topic_arn" {
  description = "SNS topic the error and throttle alarms notify"
  type        = string
}

variable "live_version" {
  description = "Published version the `live` alias serves"
  type        = string
}

variable "canary_weight" {
  description = "Share of the alias's traffic the newest version receives until it is promoted"
  type        = number
}

variable "function_url" {
  description = "Create a function URL on the `live` alias (IAM-authenticated: callers sign their requests)"
  type        = bool
  default     = false
}

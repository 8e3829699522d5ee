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

variable "filename" {
  description = "Path of the zip package"
  type        = string
}

variable "environment_variables" {
  type    = map(string)
  default = {}
}

variable "policy_json" {
  description = "Inline policy of the execution role"
  type        = string
}

variable "function_url_authorization_type" {
  description = "AWS_IAM or NONE to create a function URL; null for none"
  type        = string
  default     = null
}

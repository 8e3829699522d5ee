variable "service" {
  type    = string
  default = "orders"
}

variable "stage" {
  type    = string
  default = "dev"
}

variable "runtime" {
  type    = string
  default = "python3.12"
}

variable "routes" {
  type    = list(string)
  default = ["GET /orders", "POST /orders"]
}

# No default and no value: stays unknown.
variable "vpc_id" {
  type = string
}

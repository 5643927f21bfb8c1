variable "region" {
  type    = string
  default = "cn-hangzhou"
}

variable "project" {
  type = string
}

variable "env" {
  type    = string
  default = "dev"
}

variable "vpc_cidr" {
  type    = string
  default = "10.0.0.0/16"
}

variable "zones" {
  type    = list(string)
  default = ["cn-hangzhou-h", "cn-hangzhou-i"]
}

variable "admin_cidr" {
  description = "Where SSH may come from. The default is the planted problem."
  type        = string
  default     = "0.0.0.0/0"
}

variable "extra_db_cidrs" {
  type    = list(string)
  default = []
}

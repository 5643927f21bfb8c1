variable "label" {
  type = string
}

variable "size" {
  type    = number
  default = 1
}

variable "enabled" {
  type    = bool
  default = true
}

locals {
  doubled = var.size * 2
  summary = "${var.label}:${var.size}:${var.enabled ? "on" : "off"}"
}

module "grand" {
  source = "./grand"
  input  = upper(var.label)
}

output "summary" {
  value = local.summary
}

output "doubled" {
  value = local.doubled
}

output "grand" {
  value = module.grand.echo
}

t# Differential test of module evaluation: inputs, count and for_each on
# module calls, outputs of nested modules, path and variable precedence.

variable "zones" {
  type    = set(string)
  default = ["b", "a"]
}

variable "count_n" {
  type    = number
  default = 2
}

variable "override_me" {
  type    = string
  default = "default"
}

locals {
  settings = {
    alpha = { size = 1, enabled = true }
    beta  = { size = 5, enabled = false }
  }
}

module "single" {
  source = "./modules/child"
  label  = "one"
  size   = 3
}

module "each" {
  source   = "./modules/child"
  for_each = local.settings
  label    = each.key
  size     = each.value.size
  enabled  = each.value.enabled
}

module "counted" {
  source = "./modules/child"
  count  = var.count_n
  label  = "c${count.index}"
  size   = count.index * 10
}

module "by_zone" {
  source   = "./modules/child"
  for_each = var.zones
  label    = "zone-${each.value}"
}

output "single" {
  value = module.single.summary
}
output "single_nested" {
  value = module.single.grand
}
output "each_map" {
  value = { for k, m in module.each : k => m.summary }
}
output "each_index" {
  value = module.each["beta"].doubled
}
output "counted_splat" {
  value = module.counted[*].summary
}
output "counted_len" {
  value = length(module.counted)
}
output "zones" {
  value = [for z in module.by_zone : z.summary]
}
output "override" {
  value = var.override_me
}

variable "cidr" {
  type = string
}

variable "name" {
  type = string
}

resource "alicloud_vswitch" "this" {
  for_each   = toset(["a", "b"])
  cidr_block = cidrsubnet(var.cidr, 8, each.key == "a" ? 1 : 2)
  vswitch_name = "${var.name}-${each.key}"
}

output "vswitch_ids" {
  value = { for k, v in alicloud_vswitch.this : k => v.id }
}

variable "name" {
  type = string
}
variable "vpc_cidr" {
  type = string
}
variable "zones" {
  type = list(string)
}
variable "admin_cidr" {
  type = string
}
variable "tags" {
  type    = map(string)
  default = {}
}

resource "alicloud_vpc" "this" {
  vpc_name   = var.name
  cidr_block = var.vpc_cidr
  tags       = var.tags
}

resource "alicloud_vswitch" "this" {
  for_each     = { for i, z in var.zones : z => i }
  vpc_id       = alicloud_vpc.this.id
  zone_id      = each.key
  cidr_block   = cidrsubnet(var.vpc_cidr, 8, each.value)
  vswitch_name = "${var.name}-${each.key}"
}

resource "alicloud_security_group" "this" {
  security_group_name = "${var.name}-sg"
  vpc_id              = alicloud_vpc.this.id
}

resource "alicloud_security_group_rule" "ssh" {
  type              = "ingress"
  ip_protocol       = "tcp"
  port_range        = "22/22"
  security_group_id = alicloud_security_group.this.id
  cidr_ip           = var.admin_cidr
}

resource "alicloud_security_group_rule" "https" {
  type              = "ingress"
  ip_protocol       = "tcp"
  port_range        = "443/443"
  security_group_id = alicloud_security_group.this.id
  cidr_ip           = var.vpc_cidr
}

output "vpc_id" {
  value = alicloud_vpc.this.id
}

output "vswitch_ids" {
  value = { for z, v in alicloud_vswitch.this : z => v.id }
}

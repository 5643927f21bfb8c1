variable "name" {
  type = string
}
variable "vswitch_id" {
  type = string
}
variable "allowed_cidrs" {
  type = list(string)
}

resource "alicloud_db_instance" "this" {
  engine           = "MySQL"
  engine_version   = "8.0"
  instance_type    = "rds.mysql.s2.large"
  instance_storage = 50
  instance_name    = var.name
  vswitch_id       = var.vswitch_id
  security_ips     = var.allowed_cidrs
  ssl_action       = "Open"
}

# The example estate as Terraform source: one root module with local
# modules, variables from terraform.tfvars and an *.auto.tfvars file.
# Planted problems (for `gongdan scan examples/terraform`):
#   - module.storage["logs"]: an OSS bucket with acl = "public-read"
#   - module.network: SSH (22/22) open to 0.0.0.0/0 when var.admin_cidr is
#     left at its default
#   - module.database: an RDS allow-list that contains 0.0.0.0/0
#   - tencentcloud_cos_bucket.assets: public-read ACL

terraform {
  required_providers {
    alicloud     = { source = "aliyun/alicloud" }
    tencentcloud = { source = "tencentcloudstack/tencentcloud" }
    huaweicloud  = { source = "huaweicloud/huaweicloud" }
  }
}

provider "alicloud" {
  region = var.region
}

locals {
  common_tags = {
    project = var.project
    env     = var.env
    owner   = "platform-team"
  }
  buckets = {
    data = { acl = "private", versioning = true }
    logs = { acl = "public-read", versioning = false }
  }
}

module "network" {
  source     = "./modules/network"
  name       = "${var.project}-${var.env}"
  vpc_cidr   = var.vpc_cidr
  zones      = var.zones
  admin_cidr = var.admin_cidr
  tags       = local.common_tags
}

module "storage" {
  source     = "./modules/storage"
  for_each   = local.buckets
  name       = "${var.project}-${each.key}"
  acl        = each.value.acl
  versioning = each.value.versioning
  tags       = local.common_tags
}

module "database" {
  source        = "./modules/database"
  name          = "${var.project}-db"
  vswitch_id    = module.network.vswitch_ids[var.zones[0]]
  allowed_cidrs = concat([var.vpc_cidr], var.extra_db_cidrs)
}

resource "tencentcloud_cos_bucket" "assets" {
  bucket = "${var.project}-assets-1250000000"
  acl    = "public-read"
}

resource "huaweicloud_obs_bucket" "backup" {
  bucket = "${var.project}-backup"
  acl    = "private"
  versioning = true
}

output "vpc_id" {
  value = module.network.vpc_id
}

output "bucket_names" {
  value = { for k, m in module.storage : k => m.bucket }
}

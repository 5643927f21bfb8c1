variable "name" {
  type = string
}
variable "acl" {
  type    = string
  default = "private"
}
variable "versioning" {
  type    = bool
  default = true
}
variable "tags" {
  type    = map(string)
  default = {}
}

resource "alicloud_oss_bucket" "this" {
  bucket = var.name
  acl    = var.acl
  tags   = var.tags

  dynamic "versioning" {
    for_each = var.versioning ? ["Enabled"] : []
    content {
      status = versioning.value
    }
  }

  server_side_encryption_rule {
    sse_algorithm = "KMS"
  }
}

output "bucket" {
  value = alicloud_oss_bucket.this.bucket
}

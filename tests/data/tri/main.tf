# One small estate in three forms: this source, terraform.tfstate (after apply) and plan.json
# (terraform show -json of the plan). tests/cli/scan_three_forms.sh checks that all three give the
# same findings.
variable "office_cidr" {
  type    = string
  default = "203.0.113.0/24"
}

locals {
  buckets = {
    assets  = "public-read"
    records = "private"
  }
}

resource "alicloud_oss_bucket" "b" {
  for_each = local.buckets
  bucket   = "acme-${each.key}"
  acl      = each.value
}

resource "aws_security_group" "admin" {
  name   = "admin"
  vpc_id = "vpc-0eu"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [var.office_cidr]
  }
}

resource "aws_db_instance" "reporting" {
  count               = 2
  identifier          = "reporting-${count.index}"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  publicly_accessible = count.index == 0
  storage_encrypted   = true
}

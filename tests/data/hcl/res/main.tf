variable "envs" {
  default = {
    prod = "10.0.0.0/16"
    dev  = "10.1.0.0/16"
  }
}

variable "unset" {
  type = string
}

data "aws_ami" "ubuntu" {
  most_recent = true
}

resource "aws_vpc" "main" {
  cidr_block = "10.9.0.0/16"
}

resource "aws_instance" "web" {
  count         = 2
  ami           = data.aws_ami.ubuntu.id
  instance_type = "t3.micro"
  subnet_id     = aws_vpc.main.id
  tags = {
    Name = "web-${count.index}"
    Cidr = aws_vpc.main.cidr_block
  }
  root_block_device {
    encrypted = true
  }
  lifecycle {
    ignore_changes = [tags]
  }
}

resource "aws_security_group" "sg" {
  name = var.unset
  dynamic "ingress" {
    for_each = [22, 443]
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
  egress {
    from_port = 0
  }
}

module "net" {
  source   = "./modules/net"
  for_each = var.envs
  cidr     = each.value
  name     = each.key
}

module "remote" {
  source = "terraform-aws-modules/vpc/aws"
}

resource "alicloud_oss_bucket" "logs" {
  provider = alicloud.hz
  bucket   = "logs-${module.net["prod"].vswitch_ids["a"]}"
  acl      = "public-read"
}

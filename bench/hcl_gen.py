#!/usr/bin/env python3
"""hcl_gen.py — generate the HCL benchmark tree: 10,000 resources in 500
files, with variables, locals, count, for_each, templates, functions,
nested and dynamic blocks, and a local module instantiated ten times.

Layout (deterministic):
  OUT/variables.tf, OUT/terraform.tfvars
  OUT/r000.tf .. r399.tf   400 files x 20 resource blocks (count = 1)  = 8000
  OUT/modules/app/a00.tf .. a97.tf, vars.tf
                           99 files: 200 resources per instance, the
                           module called with for_each over 10 keys    = 2000
usage: hcl_gen.py OUT
"""
import os
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "hcl-bench"
os.makedirs(os.path.join(out, "modules", "app"), exist_ok=True)

def write(path, text):
    with open(os.path.join(out, path), "w") as f:
        f.write(text)

write("variables.tf", """
variable "project" {
  type = string
}
variable "env" {
  type    = string
  default = "dev"
}
variable "cidr" {
  type    = string
  default = "10.0.0.0/8"
}
variable "apps" {
  type    = set(string)
  default = ["a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9"]
}
locals {
  tags = {
    project = var.project
    env     = var.env
  }
  ports = [22, 80, 443]
}
module "app" {
  source   = "./modules/app"
  for_each = var.apps
  name     = "${var.project}-${each.key}"
  tags     = merge(local.tags, { app = each.key })
}
""")
write("terraform.tfvars", 'project = "bench"\nenv = "prod"\n')

for f in range(400):
    parts = []
    for r in range(20):
        i = f * 20 + r
        parts.append(f"""
resource "alicloud_oss_bucket" "b{i}" {{
  bucket = "${{var.project}}-${{var.env}}-{i}"
  acl    = {i} % 7 == 0 ? "public-read" : "private"
  tags   = merge(local.tags, {{ index = "{i}", name = upper("b{i}") }})
  versioning {{
    status = "Enabled"
  }}
  server_side_encryption_rule {{
    sse_algorithm = "KMS"
  }}
}}
""" if r % 2 == 0 else f"""
resource "alicloud_security_group_rule" "r{i}" {{
  type              = "ingress"
  ip_protocol       = "tcp"
  port_range        = "${{local.ports[{i} % 3]}}/${{local.ports[{i} % 3]}}"
  cidr_ip           = cidrsubnet(var.cidr, 16, {i})
  security_group_id = "sg-${{lower(var.env)}}"
  description       = format("rule %d of %s", {i}, var.project)
}}
""")
    write(f"r{f:03d}.tf", "".join(parts))

write("modules/app/vars.tf", """
variable "name" {
  type = string
}
variable "tags" {
  type = map(string)
}
""")
for f in range(98):
    parts = []
    for r in range(2 if f < 97 else 6):
        i = f * 2 + r
        parts.append(f"""
resource "alicloud_security_group" "sg{i}" {{
  security_group_name = "${{var.name}}-sg{i}"
  inner_access_policy = "Drop"
  tags                = var.tags
  dynamic "rule" {{
    for_each = {{ ssh = 22, https = 443 }}
    content {{
      name = rule.key
      port = rule.value
    }}
  }}
}}
""")
    write(f"modules/app/a{f:02d}.tf", "".join(parts))

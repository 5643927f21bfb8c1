# checks.jq — a dozen of gongdan's checks written for jq, the baseline of bench/run.sh.
# Emits one line per failing (rule, resource), like `gongdan scan -f json` lists findings.
.resources[] | select(.mode == "managed") | . as $r | .instances[] | .attributes as $a |
  ($r.type + "." + $r.name + (if .index_key == null then "" elif (.index_key|type) == "number"
     then "[\(.index_key)]" else "[\"\(.index_key)\"]" end)) as $addr |
  [
    (select($r.type == "alicloud_oss_bucket" and ($a.acl == "public-read" or $a.acl == "public-read-write")) | "oss-acl"),
    (select($r.type == "alicloud_oss_bucket" and (($a.versioning // []) | length == 0 or .[0].status != "Enabled")) | "oss-versioning"),
    (select($r.type == "alicloud_oss_bucket" and (($a.server_side_encryption_rule // []) | length == 0)) | "oss-sse"),
    (select($r.type == "alicloud_security_group_rule" and $a.type == "ingress" and $a.cidr_ip == "0.0.0.0/0") | "sg-world"),
    (select($r.type == "alicloud_instance" and ($a.internet_max_bandwidth_out // 0) > 0) | "ecs-public-ip"),
    (select($r.type == "alicloud_db_instance" and (($a.security_ips // []) | index("0.0.0.0/0"))) | "rds-world"),
    (select($r.type == "alicloud_db_instance" and $a.ssl_action != "Open") | "rds-ssl"),
    (select($r.type == "tencentcloud_cos_bucket" and ($a.acl | test("public"))) | "cos-acl"),
    (select($r.type == "tencentcloud_instance" and $a.allocate_public_ip == true) | "cvm-public-ip"),
    (select($r.type == "aws_db_instance" and $a.publicly_accessible == true) | "rds-public"),
    (select($r.type == "aws_s3_bucket" and (($a.logging // []) | length == 0)) | "s3-logging"),
    (select($r.type == "aws_security_group" and any($a.ingress[]?; .from_port <= 22 and .to_port >= 22 and (.cidr_blocks | index("0.0.0.0/0")))) | "sg-ssh")
  ][] | "\(.)\t\($addr)"

#!/usr/bin/env python3
"""Generate a Terraform state (v4) of N resources and its JSON Lines twin, for bench/run.sh.

About 1.4 KB of pretty-printed JSON per resource instance, with realistic attribute sets for
alicloud, tencentcloud and aws; some resources use count (integer index keys), some for_each
(string keys), some sit in modules; about one in ten carries a planted misconfiguration, so the
scan writes a realistic number of findings. Deterministic for a given N.

usage: gen_state.py N STATE_OUT JSONL_OUT
"""
import json
import sys

ALI = 'provider["registry.terraform.io/aliyun/alicloud"]'
TC = 'provider["registry.terraform.io/tencentcloudstack/tencentcloud"]'
AWS = 'provider["registry.terraform.io/hashicorp/aws"]'

TAGS = {"env": "prod", "team": "platform", "cost_center": "cc-1042", "owner": "ops@acme.example",
        "data_class": "internal", "project": "core-banking", "compliance": "hkma-craf-2.0"}

def with_common(attrs):
    """Attributes Terraform state carries on most resources: tags_all, timeouts."""
    a = dict(attrs)
    a.setdefault("tags", dict(TAGS))
    a["tags_all"] = dict(TAGS, **a["tags"]) if isinstance(a["tags"], dict) else dict(TAGS)
    a["timeouts"] = None
    return a

def templates():
    """(type, provider, attributes) with @N@ for the instance number and @BAD@ switches."""
    return [(t, p, with_common(a)) for t, p, a in _templates()]

def _templates():
    return [
        ("alicloud_instance", ALI, {
            "id": "i-bp1@N@", "instance_name": "web-@N@", "instance_type": "ecs.g6.large",
            "image_id": "aliyun_3_x64_20G_alibase_20230727.vhd", "availability_zone": "cn-hangzhou-h",
            "security_groups": ["sg-bp1@N@"], "vswitch_id": "vsw-bp1@N@", "private_ip": "10.0.3.17",
            "public_ip": "", "internet_max_bandwidth_out": 0, "internet_charge_type": "PayByTraffic",
            "instance_charge_type": "PostPaid", "system_disk_category": "cloud_essd",
            "system_disk_size": 40, "system_disk_encrypted": True, "security_enhancement_strategy": "Active",
            "deletion_protection": True, "host_name": "web-@N@", "key_name": "ops-key",
            "status": "Running", "tags": {"env": "prod", "team": "payments", "cost_center": "cc-1042"},
            "volume_tags": {"env": "prod"}, "data_disks": [], "credit_specification": "",
            "spot_strategy": "NoSpot", "http_tokens": "required", "resource_group_id": "rg-acfm2pz25js4w4q",
            "period": 1, "period_unit": "Month", "renewal_status": "Normal"}),
        ("alicloud_security_group_rule", ALI, {
            "id": "sg-bp1@N@:ingress:tcp:443/443:intranet:0.0.0.0/0:accept:1",
            "security_group_id": "sg-bp1@N@", "type": "ingress", "ip_protocol": "tcp", "nic_type": "intranet",
            "policy": "accept", "port_range": "443/443", "priority": 1, "cidr_ip": "10.0.0.0/8",
            "ipv6_cidr_ip": "", "source_security_group_id": "", "source_group_owner_account": "",
            "prefix_list_id": "", "description": "https from the internal network"}),
        ("alicloud_security_group", ALI, {
            "id": "sg-bp1@N@", "name": "app-@N@", "vpc_id": "vpc-bp1main", "description": "application tier",
            "inner_access_policy": "Drop", "security_group_type": "normal", "resource_group_id": "rg-acfm2pz25js4w4q",
            "tags": {"env": "prod", "team": "payments"}}),
        ("alicloud_oss_bucket", ALI, {
            "id": "acme-@N@", "bucket": "acme-@N@", "acl": "private", "storage_class": "Standard",
            "redundancy_type": "ZRS", "versioning": [{"status": "Enabled"}],
            "server_side_encryption_rule": [{"sse_algorithm": "KMS", "kms_master_key_id": "key-@N@", "kms_data_encryption": ""}],
            "logging": [{"target_bucket": "acme-logs", "target_prefix": "b@N@/"}], "force_destroy": False,
            "lifecycle_rule": [{"id": "expire-tmp", "prefix": "tmp/", "enabled": True, "expiration": [{"days": 30}]}],
            "transfer_acceleration": [{"enabled": True}], "cors_rule": [], "website": [], "referer_config": [], "policy": "",
            "extranet_endpoint": "oss-cn-hangzhou.aliyuncs.com", "intranet_endpoint": "oss-cn-hangzhou-internal.aliyuncs.com",
            "location": "oss-cn-hangzhou", "owner": "1234567890123456", "tags": {"env": "prod"}}),
        ("alicloud_db_instance", ALI, {
            "id": "rm-bp1@N@", "engine": "MySQL", "engine_version": "8.0", "instance_type": "rds.mysql.s3.large",
            "instance_storage": 100, "instance_name": "core-@N@", "security_ips": ["10.0.0.0/8"],
            "ssl_action": "Open", "tde_status": "Enabled", "encryption_key": "key-@N@", "deletion_protection": True,
            "sql_collector_status": "Enabled", "sql_collector_config_value": 180, "vswitch_id": "vsw-bp1@N@",
            "zone_id": "cn-hangzhou-h", "port": "3306", "connection_string": "rm-bp1@N@.mysql.rds.aliyuncs.com",
            "monitoring_period": 60, "maintain_time": "02:00Z-06:00Z", "storage_auto_scale": "Enable"}),
        ("tencentcloud_instance", TC, {
            "id": "ins-@N@", "instance_name": "hk-@N@", "instance_type": "S5.MEDIUM4", "image_id": "img-eb30mz89",
            "availability_zone": "ap-hongkong-2", "vpc_id": "vpc-hk001", "subnet_id": "subnet-@N@",
            "orderly_security_groups": ["sg-hk@N@"], "internet_max_bandwidth_out": 0,
            "allocate_public_ip": False, "system_disk_type": "CLOUD_PREMIUM", "system_disk_size": 50,
            "disable_security_service": False, "disable_api_termination": True, "disable_monitor_service": False, "running_flag": True,
            "private_ip": "172.16.3.9", "public_ip": "", "key_ids": ["skey-ops"], "hostname": "hk-@N@",
            "tags": {"env": "prod", "team": "trading"}, "data_disks": [], "instance_charge_type": "POSTPAID_BY_HOUR"}),
        ("tencentcloud_cos_bucket", TC, {
            "id": "acme-@N@-1250000000", "bucket": "acme-@N@-1250000000", "acl": "private",
            "versioning_enable": True, "encryption_algorithm": "KMS", "kms_id": "kms-@N@", "log_enable": True,
            "log_target_bucket": "acme-logs-1250000000", "log_prefix": "b@N@/", "force_clean": False,
            "multi_az": True, "cos_bucket_url": "acme-@N@-1250000000.cos.ap-hongkong.myqcloud.com",
            "lifecycle_rules": [], "cors_rules": [], "website": [], "origin_pull_rules": [], "tags": {"env": "prod"}}),
        ("aws_s3_bucket", AWS, {
            "id": "acme-@N@", "bucket": "acme-@N@", "arn": "arn:aws:s3:::acme-@N@",
            "bucket_domain_name": "acme-@N@.s3.amazonaws.com", "bucket_regional_domain_name": "acme-@N@.s3.eu-west-1.amazonaws.com",
            "hosted_zone_id": "Z1BKCTXD74EZPE", "region": "eu-west-1", "force_destroy": False, "object_lock_enabled": False,
            "request_payer": "BucketOwner", "tags": {"env": "prod", "data": "confidential"},
            "tags_all": {"env": "prod", "data": "confidential"}, "acl": None, "policy": "",
            "versioning": [{"enabled": True, "mfa_delete": False}],
            "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": "arn:aws:kms:eu-west-1:111122223333:key/k@N@", "sse_algorithm": "aws:kms"}], "bucket_key_enabled": True}]}],
            "logging": [{"target_bucket": "acme-logs", "target_prefix": "b@N@/"}]}),
        ("aws_security_group", AWS, {
            "id": "sg-0@N@", "name": "app-@N@", "arn": "arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0@N@",
            "vpc_id": "vpc-0eu", "description": "application tier", "owner_id": "111122223333",
            "revoke_rules_on_delete": False, "tags": {"env": "prod"},
            "ingress": [{"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"],
                         "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": False,
                         "description": "https"}],
            "egress": [{"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"],
                        "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": False,
                        "description": ""}]}),
        ("aws_db_instance", AWS, {
            "id": "db-@N@", "identifier": "reporting-@N@", "engine": "postgres", "engine_version": "15.4",
            "instance_class": "db.m6g.large", "allocated_storage": 100, "publicly_accessible": False,
            "storage_encrypted": True, "kms_key_id": "arn:aws:kms:eu-west-1:111122223333:key/k@N@",
            "backup_retention_period": 14, "deletion_protection": True, "multi_az": True,
            "iam_database_authentication_enabled": True, "enabled_cloudwatch_logs_exports": ["postgresql"],
            "auto_minor_version_upgrade": True, "copy_tags_to_snapshot": True, "port": 5432,
            "vpc_security_group_ids": ["sg-0@N@"], "db_subnet_group_name": "private", "parameter_group_name": "pg-@N@",
            "tags": {"env": "prod"}}),
    ]

def companions():
    """Resources that sit beside a parent in a well-kept estate (same @N@ as the parent)."""
    deny_tls = lambda key: json.dumps({"Version": "1", "Statement": [{"Effect": "Deny", "Action": ["*"],
        "Principal": ["*"], "Resource": ["*"], "Condition": {"Bool": {key: ["false"]}}}]})
    out = {
        "alicloud_oss_bucket": [
            ("alicloud_oss_bucket_public_access_block", ALI, {"id": "acme-@N@", "bucket": "acme-@N@", "block_public_access": True}),
            ("alicloud_oss_bucket_policy", ALI, {"id": "acme-@N@", "bucket": "acme-@N@", "policy": deny_tls("acs:SecureTransport")}),
        ],
        "aws_s3_bucket": [
            ("aws_s3_bucket_public_access_block", AWS, {"id": "acme-@N@", "bucket": "acme-@N@", "block_public_acls": True,
                "block_public_policy": True, "ignore_public_acls": True, "restrict_public_buckets": True}),
            ("aws_s3_bucket_policy", AWS, {"id": "acme-@N@", "bucket": "acme-@N@", "policy": deny_tls("aws:SecureTransport")}),
        ],
        "aws_db_instance": [
            ("aws_db_parameter_group", AWS, {"id": "pg-@N@", "name": "pg-@N@", "family": "postgres15",
                "parameter": [{"name": "rds.force_ssl", "value": "1", "apply_method": "immediate"}]}),
        ],
        "tencentcloud_cos_bucket": [
            ("tencentcloud_cos_bucket_policy", TC, {"id": "acme-@N@-1250000000", "bucket": "acme-@N@-1250000000",
                "policy": json.dumps({"version": "2.0", "statement": [{"effect": "deny", "action": ["name/cos:*"],
                    "principal": {"qcs": ["qcs::cam::anyone:anyone"]}, "resource": ["*"],
                    "condition": {"bool": {"qcs:secure_transport": "false"}}}]})}),
        ],
    }
    return {k: [(t, p, dict(a, timeouts=None)) for t, p, a in v] for k, v in out.items()}

BAD = {  # planted problems: (type, attribute, bad value)
    "alicloud_instance": ("internet_max_bandwidth_out", 100),
    "alicloud_security_group_rule": ("cidr_ip", "0.0.0.0/0"),
    "alicloud_oss_bucket": ("acl", "public-read"),
    "alicloud_db_instance": ("security_ips", ["0.0.0.0/0"]),
    "tencentcloud_instance": ("allocate_public_ip", True),
    "tencentcloud_cos_bucket": ("acl", "public-read"),
    "aws_db_instance": ("publicly_accessible", True),
    "aws_s3_bucket": ("logging", []),
    "aws_security_group": ("description", "open"),
    "alicloud_security_group": ("description", "open"),
}

def render(attrs, indent):
    text = json.dumps(attrs, indent=2, ensure_ascii=False)
    return text.replace("\n", "\n" + " " * indent)

def main():
    n = int(sys.argv[1])
    tpls = templates()
    comp = {}
    for ptype, items in companions().items():
        comp[ptype] = [(t, p, render(a, 10), json.dumps(a, separators=(",", ":"), ensure_ascii=False)) for t, p, a in items]
    good, bad, flat_good, flat_bad = [], [], [], []
    for typ, prov, attrs in tpls:
        good.append(render(attrs, 10))
        flat_good.append(json.dumps(attrs, separators=(",", ":"), ensure_ascii=False))
        b = dict(attrs)
        k, v = BAD[typ]
        b[k] = v
        bad.append(render(b, 10))
        flat_bad.append(json.dumps(b, separators=(",", ":"), ensure_ascii=False))
    with open(sys.argv[2], "w") as st, open(sys.argv[3], "w") as jl:
        st.write('{\n  "version": 4,\n  "terraform_version": "1.11.4",\n  "serial": 7,\n'
                 '  "lineage": "00000000-1111-2222-3333-444444444444",\n  "outputs": {},\n  "resources": [\n')
        i = 0
        r = 0
        first = True
        while i < n:
            t = r % len(tpls)
            typ, prov, _ = tpls[t]
            shape = r % 7  # 0..3 single, 4 count of 3, 5 for_each of 2, 6 in a module
            keys = [None]
            if shape == 4:
                keys = [0, 1, 2]
            elif shape == 5:
                keys = ["blue", "green"]
            keys = keys[: max(1, n - i)]
            module = '      "module": "module.m%d",\n' % (r % 13) if shape == 6 else ""
            insts = []
            nums = []
            for k in keys:
                num = str(i)
                isbad = (i % 10) == 3
                if not isbad:
                    nums.append(num)
                body = (bad if isbad else good)[t].replace("@N@", num)
                key = ""
                if isinstance(k, int):
                    key = '          "index_key": %d,\n' % k
                elif isinstance(k, str):
                    key = '          "index_key": "%s",\n' % k
                insts.append('        {\n%s          "schema_version": 0,\n          "attributes": %s,\n'
                             '          "sensitive_attributes": [],\n          "private": "bnVsbA==",\n'
                             '          "dependencies": [\n            "module.base.alicloud_vpc.main",\n'
                             '            "module.base.alicloud_vswitch.app"\n          ]\n        }'
                             % (key, body))
                addr = ("module.m%d." % (r % 13) if shape == 6 else "") + "%s.r%d" % (typ, r)
                if isinstance(k, int):
                    addr += "[%d]" % k
                elif isinstance(k, str):
                    addr += '["%s"]' % k
                flat = (flat_bad if isbad else flat_good)[t].replace("@N@", num)
                jl.write('{"provider":"%s","type":"%s","address":"%s","attributes":%s}\n'
                         % (typ.split("_")[0], typ, addr.replace('"', '\\"'), flat))
                i += 1
            st.write(("" if first else ",\n") + '    {\n%s      "mode": "managed",\n      "type": "%s",\n'
                     '      "name": "r%d",\n      "provider": "%s",\n      "instances": [\n%s\n      ]\n    }'
                     % (module, typ, r, prov.replace('"', '\\"'), ",\n".join(insts)))
            first = False
            r += 1
            # companions of a single-instance parent, named after it
            for num in (nums if typ in comp else []):
                for ctyp, cprov, cbody, cflat in comp[typ]:
                    if i >= n:
                        break
                    body = cbody.replace("@N@", num)
                    st.write(',\n    {\n      "mode": "managed",\n      "type": "%s",\n      "name": "r%d",\n'
                             '      "provider": "%s",\n      "instances": [\n        {\n          "schema_version": 0,\n'
                             '          "attributes": %s,\n          "sensitive_attributes": [],\n'
                             '          "private": "bnVsbA==",\n          "dependencies": [\n'
                             '            "module.base.%s.r%d"\n          ]\n        }\n      ]\n    }'
                             % (ctyp, r, cprov.replace('"', '\\"'), body, typ, r - 1))
                    jl.write('{"provider":"%s","type":"%s","address":"%s.r%d","attributes":%s}\n'
                             % (ctyp.split("_")[0], ctyp, ctyp, r, cflat.replace("@N@", num)))
                    i += 1
                    r += 1
        st.write('\n  ],\n  "check_results": null\n}\n')

if __name__ == "__main__":
    main()

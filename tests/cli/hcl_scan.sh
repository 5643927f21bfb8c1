#!/bin/bash
# hcl_scan.sh — `gongdan scan` on Terraform source: the example tree's
# planted problems are found at their attribute lines; a syntax error is
# reported as file:line:col, the other files are still scanned and the
# exit code is 2 (incomplete scan).
set -u
fail=0
check() { # description, command output file, pattern
    if ! grep -qF -- "$3" "$2"; then
        echo "FAIL: $1: missing: $3"
        fail=1
    fi
}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$GD" scan --format text examples/terraform >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] || { echo "FAIL: example scan exit $rc, want 1"; cat "$T/err"; fail=1; }
check "oss acl" "$T/out" 'FAIL module.storage["logs"].alicloud_oss_bucket.this  examples/terraform/modules/storage/main.tf:19'
check "ssh open" "$T/out" 'FAIL module.network.alicloud_security_group_rule.ssh  examples/terraform/modules/network/main.tf:38'
check "rds allow-list" "$T/out" 'FAIL module.database.alicloud_db_instance.this  examples/terraform/modules/database/main.tf:18'
check "cos acl" "$T/out" 'FAIL tencentcloud_cos_bucket.assets  examples/terraform/main.tf:61'
check "computed is unknown" "$T/out" 'UNKNOWN module.network.alicloud_security_group.this'
if grep -q 'module.storage\["data"\].alicloud_oss_bucket.this  examples/terraform/modules/storage/main.tf:19' "$T/out"; then
    echo "FAIL: the private bucket was reported as public"
    fail=1
fi
# --var overrides the planted SSH problem
"$GD" scan --var admin_cidr=192.168.10.0/24 examples/terraform >"$T/out2" 2>&1
if grep -q 'alicloud_security_group_rule.ssh' "$T/out2"; then
    echo "FAIL: --var admin_cidr did not apply"
    fail=1
fi
# a syntax error: reported, other files scanned (--keep-going writes the
# report of an incomplete scan), exit 2
mkdir "$T/tf"
printf 'resource "alicloud_oss_bucket" "ok" {\n  acl = "public-read"\n}\n' >"$T/tf/good.tf"
printf 'resource "alicloud_oss_bucket" "bad" {\n  acl = "private" +\n}\n' >"$T/tf/bad.tf"
"$GD" scan --keep-going "$T/tf" >"$T/out3" 2>"$T/err3"
rc=$?
[ $rc -eq 2 ] || { echo "FAIL: syntax error scan exit $rc, want 2"; fail=1; }
check "syntax error location" "$T/err3" "$T/tf/bad.tf:3:1: unexpected '}', expected an expression"
check "good file scanned" "$T/out3" 'alicloud_oss_bucket.ok'
[ $fail -eq 0 ] && echo "ok"
exit $fail

#!/usr/bin/env bash
# One estate as Terraform source, state and plan (tests/data/tri): the built-in rules give the same
# findings in all three forms, and in source the findings point at the attribute's line.
. tests/cli/lib.bash
D=tests/data/tri
for f in main.tf terraform.tfstate plan.json; do
  "$GD" scan -f json -o "$T/$f.json" "$D/$f" >/dev/null 2>&1
  expect_eq 1 $? "exit code for $f"
  jq -r '.findings[] | "\(.rule_id) \(.verdict) \(.address)"' "$T/$f.json" | sort > "$T/$f.txt"
done
expect_eq "$(cat "$T/terraform.tfstate.txt")" "$(cat "$T/main.tf.txt")" "source vs state"
expect_eq "$(cat "$T/terraform.tfstate.txt")" "$(cat "$T/plan.json.txt")" "plan vs state"
# the planted problems are there
expect_grep '^GD-ALI-OSS-001 fail alicloud_oss_bucket.b\["assets"\]$' "$T/main.tf.txt" "public bucket"
expect_nogrep 'alicloud_oss_bucket.b\["records"\]$' <(grep OSS-001 "$T/main.tf.txt") "private bucket passes"
expect_grep ' fail aws_db_instance.reporting\[0\]$' "$T/main.tf.txt" "public database"
expect_grep ' fail aws_security_group.admin$' "$T/main.tf.txt" "open ssh"
# source findings carry the attribute's line
acl_line=$(grep -n 'acl      = each.value' "$D/main.tf" | cut -d: -f1)
expect_eq "$acl_line" "$(jq '.findings[] | select(.rule_id=="GD-ALI-OSS-001") | .line' "$T/main.tf.json")" "line of acl"
done_tests

#!/usr/bin/env bash
# End-to-end: scan the example estate with the engine test rules; addresses, lines, verdicts,
# joins, data sources, tainted instances, plans with unknowns, JSON Lines, several inputs,
# determinism across thread counts, exit codes.
. tests/cli/lib.bash
R=(--no-builtin --rules tests/data/engine)
ST=examples/estate/terraform.tfstate

expect_rc 1 "$GD" scan "${R[@]}" -f json -o "$T/s.json" "$ST"
# the planted problems, by rule and address
got=$(jq -r '.findings[] | "\(.rule_id) \(.verdict) \(.address)"' "$T/s.json" | sort | tr '\n' ';')
want="T-AWS-SG-SSH fail module.net[\"eu\"].aws_security_group.admin;T-BUCKET-ACL fail alicloud_oss_bucket.public_assets;T-BUCKET-ACL fail huaweicloud_obs_bucket.archive;T-BUCKET-ACL fail module.hk.tencentcloud_cos_bucket.hk_reports;T-DB-PUBLIC fail aws_db_instance.reporting;T-ECS-PUBLIC fail alicloud_instance.web[0];T-S3-PAB fail aws_s3_bucket.exports;T-SG-SSH fail alicloud_security_group.web;"
expect_eq "$want" "$got" "state findings"
# counts: passes counted per rule
expect_eq 4 "$(jq '[.rules[] | select(.id=="T-BUCKET-ACL")][0] | .pass + .fail' "$T/s.json")" "bucket rule saw 4 buckets"
expect_eq 1 "$(jq '[.rules[] | select(.id=="T-S3-PAB")][0].pass' "$T/s.json")" "join found the public access block"
# data sources are never findings, but counted
expect_eq 2 "$(jq .summary.data_sources "$T/s.json")" "data sources counted"
expect_eq 0 "$(jq '[.findings[] | select(.address|startswith("data."))] | length' "$T/s.json")" "no data-source finding"
# lines point at the resource object in the state file
line=$(jq '.findings[] | select(.address=="alicloud_oss_bucket.public_assets") | .line' "$T/s.json")
expect_eq "$(grep -n '"name": "public_assets"' "$ST" | cut -d: -f1)" "$((line + 3))" "line of the resource block"
expect_eq true "$(jq .complete "$T/s.json")" "complete"

# tainted instances are still scanned (web[1] is tainted and passes); for_each and count
# addresses as Terraform prints them
"$GD" scan "${R[@]}" --all -f json -o "$T/all.json" "$ST" >/dev/null 2>&1
expect_eq "1 1" "$(jq -r '.rules[] | select(.id=="T-ECS-PUBLIC") | "\(.pass) \(.fail)"' "$T/all.json")" "tainted instance scanned"
expect_eq 'alicloud_security_group_rule.allow["https"] alicloud_security_group_rule.allow["rdp"] alicloud_security_group_rule.allow["ssh"]' \
  "$(jq -r '[.findings[] | select(.rule_id=="T-SGR-DESC") | .address] | sort | join(" ")' "$T/all.json")" "for_each addresses"
expect_eq "pass" "$(jq -r '.findings[] | select(.address=="alicloud_instance.web[1]") | .verdict' "$T/all.json")" "count address"

# determinism: byte-identical output for any thread count
for f in json sarif text; do
  "$GD" scan "${R[@]}" -j1 -f $f -o "$T/j1.$f" "$ST" examples/estate/inventory.jsonl examples/estate/plan.json >/dev/null 2>&1
  for j in 2 3 8; do
    "$GD" scan "${R[@]}" -j$j -f $f -o "$T/jn.$f" "$ST" examples/estate/inventory.jsonl examples/estate/plan.json >/dev/null 2>&1
    if cmp -s "$T/j1.$f" "$T/jn.$f"; then ok; else bad "$f output differs between -j1 and -j$j"; fi
  done
done

# JSON Lines twin: the same (rule, address) failures as the state
"$GD" scan "${R[@]}" -f json -o "$T/l.json" examples/estate/inventory.jsonl >/dev/null 2>&1
expect_eq "$(jq -r '.findings[] | "\(.rule_id) \(.address)"' "$T/s.json" | sort)" \
          "$(jq -r '.findings[] | "\(.rule_id) \(.address)"' "$T/l.json" | sort)" "jsonl twin"
expect_eq "$(jq .summary.resources "$T/s.json")" "$(jq .summary.resources "$T/l.json")" "jsonl resource count"

# plan: unknown is never a failure; deletions and data sources are not findings
"$GD" scan "${R[@]}" -f json -o "$T/p.json" examples/estate/plan.json >/dev/null 2>&1
got=$(jq -r '.findings[] | "\(.rule_id) \(.verdict) \(.address)"' "$T/p.json" | sort | tr '\n' ';')
expect_eq 'T-AWS-SG-SSH unknown module.net.aws_security_group.app[0];T-BUCKET-ACL fail alicloud_oss_bucket.uploads;' "$got" "plan findings"
expect_eq 3 "$(jq .summary.resources "$T/p.json")" "plan resources (delete skipped)"
# an unknown alone does not fail the run
"$GD" scan --no-builtin --rules tests/data/engine --fail-on critical examples/estate/plan.json >/dev/null 2>&1
expect_eq 0 $? "unknown is not a failure"

# several inputs, and --fail-on
expect_rc 1 "$GD" scan "${R[@]}" --fail-on critical "$ST"
expect_rc 0 "$GD" scan "${R[@]}" --input-format jsonl /dev/null
expect_rc 0 "$GD" scan "${R[@]}" --fail-on critical examples/estate/plan.json
expect_rc 2 "$GD" scan "${R[@]}" --fail-on severe "$ST"
expect_rc 2 "$GD" scan "${R[@]}"
expect_rc 0 "$GD" scan --help
done_tests

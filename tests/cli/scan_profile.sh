#!/usr/bin/env bash
# scan --profile: every finding names the service its resource belongs to and who is responsible and
# accountable for the duties the rule checks (a provider-only duty is reported as inherited).
. tests/cli/lib.bash
P=examples/profile.yaml
ST=examples/estate/terraform.tfstate
expect_rc 1 "$GD" scan --profile $P -f json -o "$T/s.json" $ST
own() { jq -c "[.findings[] | select(.rule_id==\"$1\" and .address==\"$2\")][0].ownership" "$T/s.json"; }
# the customer's duty on its IaaS: the customer is responsible and accountable
expect_eq '{"service":"web","party":"customer","duties":[{"duty":"network.ip_allow_deny_list","responsible":["acme_bank"],"accountable":"acme_bank","status":"owned"}]}' \
  "$(own GD-ALI-RDS-001 alicloud_db_instance.core)" "customer duty"
# host backup on a PaaS database: the provider's duty, so the failure is inherited from tencent_cloud
expect_eq '"provider"' "$(own GD-TC-CBS-002 module.hk.tencentcloud_cbs_storage.hk_data | jq .party)" "inherited"
expect_eq '"tencent_cloud"' "$(own GD-TC-CBS-002 module.hk.tencentcloud_cbs_storage.hk_data | jq '.duties[0].accountable')" "accountable provider"
# a negotiable duty nobody settled: unresolved
expect_eq '"unresolved"' "$(own GD-TC-COS-006 module.hk.tencentcloud_cos_bucket.hk_reports | jq .party)" "ambiguous duty"
# a resource no service claims
expect_eq null "$(own GD-AWS-RDS-001 aws_db_instance.reporting)" "unclaimed resource"
# without --profile there is no ownership field at all
"$GD" scan -f json -o "$T/n.json" $ST >/dev/null 2>&1
expect_eq 0 "$(jq '[.findings[] | select(has("ownership"))] | length' "$T/n.json")" "no attribution without a profile"
# text output carries the lines and the summary
"$GD" scan --profile $P $ST > "$T/t.txt" 2>&1
expect_grep '^      inherited: responsible party tencent_cloud \(service db\)$' "$T/t.txt" "text inherited line"
expect_grep '^Ownership of failures: [0-9]+ the customer.s \(acme_bank\), 1 inherited from providers' "$T/t.txt" "text summary"
# a bad profile stops before scanning, with its position
printf 'customer: x\nmodel: oscar-2020\nservices:\n  - id: a\n    provider: nobody\n    service_model: iaas\n' > "$T/bad.yaml"
expect_rc 2 "$GD" scan --profile "$T/bad.yaml" $ST
expect_grep "bad.yaml:5:15: " "$T/err" "profile error position"
expect_rc 2 "$GD" scan --providers examples $ST
done_tests

#!/usr/bin/env bash
# gongdan assess on the example deployment for C-RAF 2.0: ownership from
# examples/profile.yaml, findings from a scan of examples/estate (the fixed
# test rules of tests/data/assess/rules) or from the saved JSON result,
# attestations of examples/attestations (one of them expired). Checks
# statuses, inheritance with provider and basis, tiers per domain against
# the inherent-risk target, next steps, --fail-under, every output format,
# OSCAL schema validity and reproducibility.
. tests/cli/lib.bash
[ -x "$AJV" ] || AJV=${GD_AJV:-.ci/node/node_modules/.bin/ajv}
A=(assess --framework craf-2.0 --profile examples/profile.yaml --inherent-risk medium
   --attestations examples/attestations --no-builtin --rules tests/data/assess/rules --date 2026-06-30)
S=examples/estate/terraform.tfstate

expect_rc 0 "$GD" "${A[@]}" -f json -o "$T/a.json" "$S"
expect_grep "attestation 'craf-training-2024' expired on 2025-03-01" "$T/err" "expired attestation warned"
J="$T/a.json"
st() { jq -r --arg id "$1" '.controls[] | select(.id==$id) | .status' "$J"; }
tier() { jq -r --arg id "$1" '.controls[] | select(.id==$id) | .tier' "$J"; }
expect_eq 45 "$(jq '.controls | length' "$J")" "45 controls"
expect_eq 45 "$(jq '[.summary.met,.summary.partial,.summary.not_met,.summary.not_applicable,.summary.inherited,.summary.unknown] | add' "$J")" "statuses add up"
# inherited: physical access is the data centre's, with provider and basis
expect_eq inherited "$(st 3.1.4)" "3.1.4 inherited"
expect_eq '["alibaba_cloud"]' "$(jq -c '.controls[] | select(.id=="3.1.4") | .inherited_from' "$J")" "3.1.4 from alibaba_cloud"
expect_grep 'physical.dc_environment is inherited from alibaba_cloud \(service web\): table 1 row 1' <(jq -r '.controls[] | select(.id=="3.1.4") | .reasons[].text' "$J") "basis cited"
# failing findings split by service: the service of each resource and whose duties it fails there
expect_eq '[{"address":"alicloud_disk.data","service":"web","party":"customer","accountable":null},{"address":"alicloud_oss_bucket.public_assets","service":"web","party":"provider","accountable":"alibaba_cloud"}]' \
  "$(jq -c '[.controls[] | .findings[] | {address, service, party, accountable}] | unique' "$J")" "findings attributed to services"
expect_grep '^service web: 1 failing finding\(s\) on duties alibaba_cloud holds there \(settle them with the provider\)$' \
  <(jq -r '.controls[] | .reasons[] | select(.kind=="finding") | .text' "$J") "per-service reason, provider's duties"
expect_grep '^service web: 1 failing finding\(s\) on the customer.s duties there$' \
  <(jq -r '.controls[] | .reasons[] | select(.kind=="finding") | .text' "$J") "per-service reason, customer's duties"
# attested governance: met, tier capped by the attestation
expect_eq met "$(st 1.2.1)" "1.2.1 met by attestation"
expect_eq intermediate "$(tier 1.2.1)" "1.2.1 attested up to intermediate"
# expired attestation counts as missing
expect_eq unknown "$(st 1.5.2)" "1.5.2 expired attestation is missing"
expect_eq true "$(jq '.attestations[] | select(.id=="craf-training-2024") | .expired' "$J")" "marked expired"
expect_eq 1 "$(jq '.summary.expired_attestations' "$J")" "one expired (mlps.yaml's is another framework)"
# failing findings make data protection not met / partial and are named
expect_grep '^(partial|not_met)$' <(st 3.3.2) "3.3.2 fails"
expect_eq '["GD-TST-DISK-001","GD-TST-OSS-001"]' "$(jq -c '[.controls[] | select(.id=="3.3.2") | .findings[].rule_id] | sort' "$J")" "3.3.2 findings"
# scan-only evidence reaches Baseline only
expect_eq met "$(st 4.2.1)" "4.2.1 met by the trail rule"
expect_eq baseline "$(tier 4.2.1)" "scan evidence: baseline"
# partial attestation
expect_eq partial "$(st 7.3.1)" "7.3.1 partial"
# maturity
expect_eq intermediate "$(jq -r .maturity.target "$J")" "medium risk -> intermediate"
expect_eq false "$(jq .maturity.target_met "$J")" "target not met"
expect_eq 7 "$(jq '.maturity.domains | length' "$J")" "7 domains"
expect_eq null "$(jq '.maturity.domains[] | select(.id=="1") | .achieved' "$J")" "governance below baseline (training expired)"
# next steps: remediation first, then evidence, renewal, settling
expect_eq remediate "$(jq -r '.next[0].kind' "$J")" "remediation first"
expect_grep 'fix GD-TST-OSS-001 .*Set the bucket ACL to private' <(jq -r '.next[].text' "$J") "remediation text"
expect_grep 'renew attestation craf-training-2024' <(jq -r '.next[].text' "$J") "renewal"
expect_grep 'settle data.customer_data.storage with alibaba_cloud' <(jq -r '.next[].text' "$J") "ambiguous duty to settle"
expect_grep 'attest craf-2.0 5.4.1' <(jq -r '.next[].text' "$J") "missing attestation"

# the same result from a saved scan
"$GD" scan --no-builtin --rules tests/data/assess/rules --format json "$S" >"$T/scan.json" 2>/dev/null
expect_rc 0 "$GD" "${A[@]}" -f json -o "$T/b.json" "$T/scan.json"
expect_eq "$(jq -c '[.summary, .maturity, [.controls[] | [.id,.status,.tier]]]' "$J")" \
          "$(jq -c '[.summary, .maturity, [.controls[] | [.id,.status,.tier]]]' "$T/b.json")" "saved result = scan"
expect_eq "$(jq -c '[.controls[] | .findings[] | [.address,.service,.party]]' "$J")" \
          "$(jq -c '[.controls[] | .findings[] | [.address,.service,.party]]' "$T/b.json")" "saved result: same split by service"
# a saved result made with other rules is an error naming the finding
expect_rc 2 "$GD" assess --framework craf-2.0 --no-builtin --rules tests/data/assess/rules -f json \
  tests/data/assess/other-rules.json
expect_grep "other-rules.json:[0-9]+:[0-9]+: finding of unknown rule 'GD-XYZ-999'" "$T/err" "unknown rule"

# --fail-under
expect_rc 1 "$GD" "${A[@]}" --fail-under baseline "$S"
expect_grep 'tier achieved is below baseline' "$T/err" "fail-under message"
expect_rc 2 "$GD" "${A[@]}" --fail-under platinum "$S"

# text, zh, csv, html
expect_rc 0 "$GD" "${A[@]}" "$S"
expect_grep '^  3\.1\.4 +inherited +Physical access management +\[Advanced\] +from alibaba_cloud' "$T/out" "text row"
expect_grep 'overall: none \(inherent risk medium, target Intermediate: not met\)' "$T/out" "text overall"
expect_rc 0 "$GD" "${A[@]}" --lang zh "$S"
expect_grep '物理访问管理' "$T/out" "zh titles"
expect_grep '下一步' "$T/out" "zh next steps"
expect_rc 0 "$GD" "${A[@]}" -f csv "$S"
expect_eq 46 "$(wc -l <"$T/out" | tr -d ' ')" "csv: header + 45 rows"
expect_grep '^"craf-2.0","3.1.4","Physical access management","3","inherited","advanced","provider","alibaba_cloud",0,' "$T/out" "csv row"
expect_rc 0 "$GD" "${A[@]}" -f html -o "$T/a.html" "$S"
expect_grep '<table class="heat">' "$T/a.html" "heat map"
expect_nogrep '<script|https?://[^"]*\.(css|js)' "$T/a.html" "self-contained"

# OSCAL assessment-results: schema-valid, evidence digests and expiry, reproducible
expect_rc 0 "$GD" "${A[@]}" -f oscal -o "$T/ar.json" "$S"
if ! have_shared data/oscal/oscal_assessment-results_schema.json "OSCAL schema validation"; then
  :
elif [ -x "$AJV" ]; then
  "$AJV" validate --spec=draft7 --strict=false -c ajv-formats \
    -s "$GD_SHARED/data/oscal/oscal_assessment-results_schema.json" -d "$T/ar.json" >"$T/ajv" 2>&1
  expect_eq 0 $? "assessment-results schema: $(head -c 400 "$T/ajv")"
else
  bad "ajv not installed (npm install --prefix .ci/node ajv-cli ajv-formats)"
fi
R='.["assessment-results"].results[0]'
expect_eq 45 "$(jq "$R.findings | length" "$T/ar.json")" "one finding per control"
expect_eq '"craf-2.0-3.1.4"' "$(jq "[$R.findings[] | .target[\"target-id\"]] | map(select(. == \"craf-2.0-3.1.4\")) | .[0]" "$T/ar.json")" "target ids"
expect_eq "$(sha256sum examples/attestations/evidence/board-minutes-2025-02.txt | cut -c1-64)" \
  "$(jq -r "[$R.observations[] | .[\"relevant-evidence\"][]? | select(.href==\"evidence/board-minutes-2025-02.txt\") | .props[] | select(.name==\"sha256\") | .value][0]" "$T/ar.json")" "evidence digest"
expect_eq '"2029-02-20T23:59:59Z"' "$(jq "[$R.observations[] | select(.title|test(\"craf-strategy-2025\")) | .expires][0]" "$T/ar.json")" "expires"
expect_grep '"observation-uuid"' "$T/ar.json" "findings linked to observations"
"$GD" "${A[@]}" -f oscal -o "$T/ar2.json" "$S" 2>/dev/null
expect_eq "" "$(cmp "$T/ar.json" "$T/ar2.json")" "deterministic"
# usage
expect_rc 2 "$GD" assess --profile examples/profile.yaml
expect_rc 2 "$GD" assess --framework nope --no-builtin
expect_grep "unknown framework 'nope'" "$T/err" "unknown framework"
expect_rc 2 "$GD" assess --framework soc2 --inherent-risk high --no-builtin
expect_grep 'applies only to tiered frameworks' "$T/err" "risk on soc2"
done_tests

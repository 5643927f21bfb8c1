#!/usr/bin/env bash
# gongdan assess for MLPS 2.0 level 3 on the example deployment: per family
# met / not met, the level rule (holds, broken -> exit 1, undecided), the
# attestations of examples/attestations (one expired), a tampered and a
# missing evidence file (errors, exit 2, the report still written and the
# attestations rejected), and OSCAL validity of the rejected evidence.
. tests/cli/lib.bash
[ -x "$AJV" ] || AJV=${GD_AJV:-.ci/node/node_modules/.bin/ajv}
A=(assess --framework mlps-2.0 --profile examples/profile.yaml --attestations examples/attestations
   --no-builtin --rules tests/data/assess/rules --date 2026-06-30)
S=examples/estate/terraform.tfstate

expect_rc 0 "$GD" "${A[@]}" --platform-level 3 -f json -o "$T/m.json" "$S"
J="$T/m.json"
st() { jq -r --arg id "$1" '.controls[] | select(.id==$id) | .status' "$J"; }
expect_eq 87 "$(jq '.controls | length' "$J")" "87 families"
expect_eq true "$(jq .mlps.level_rule "$J")" "level 3 on a level-3 platform"
expect_eq inherited "$(st 8.1.1.1)" "physical location is the provider's"
expect_eq inherited "$(st 8.2.1.1)" "cloud infrastructure location is the provider's"
expect_eq met "$(st 8.1.6.1)" "security policy attested"
expect_eq met "$(st 8.1.9.1)" "grading and filing attested (no evidence file, no expiry)"
expect_eq unknown "$(st 8.1.8.3)" "training attestation expired"
expect_grep '^(partial|not_met)$' <(st 8.1.4.2) "access control fails on the public bucket"
expect_eq '["GD-TST-OSS-001"]' "$(jq -c '[.controls[] | select(.id=="8.1.4.2") | .findings[].rule_id] | unique' "$J")" "8.1.4.2 finding"
expect_eq unknown "$(st 8.1.7.1)" "posts: no attestation"
# text: per family met / not met
expect_rc 0 "$GD" "${A[@]}" --platform-level 3 "$S"
expect_grep '^  8\.1\.1\.1 +met +inherited +Physical location selection' "$T/out" "met column"
expect_grep '^  8\.1\.7\.1 +not met +unknown ' "$T/out" "not met column"
expect_grep 'MLPS level 3, platform level 3: level rule holds' "$T/out" "rule holds"
expect_rc 0 "$GD" "${A[@]}" --platform-level 3 --lang zh "$S"
expect_grep '身份鉴别' "$T/out" "zh family titles"
expect_grep '定级规则 满足' "$T/out" "zh level rule"
# the level rule
expect_rc 1 "$GD" "${A[@]}" --platform-level 2 "$S"
expect_grep 'level rule broken' "$T/err" "broken rule exits 1"
expect_grep 'level 3 but the cloud platform only level 2' "$T/out" "next step says what to do"
expect_rc 0 "$GD" "${A[@]}" "$S"
expect_grep 'level rule undecided' "$T/out" "undecided without --platform-level"
expect_rc 2 "$GD" "${A[@]}" --platform-level 9 "$S"

# tampered and missing evidence: errors with positions, exit 2, report still written
B=(assess --framework mlps-2.0 --profile examples/profile.yaml --attestations tests/data/assess/tampered
   --no-builtin --rules tests/data/assess/rules --date 2026-06-30 --platform-level 3)
expect_rc 2 "$GD" "${B[@]}" -f json -o "$T/t.json" "$S"
expect_grep "attest.yaml:11:[0-9]+: attestation 'mlps-backup-plan': evidence 'evidence/backup-procedure.txt' does not match its sha256 \(file has [0-9a-f]{64}\)" "$T/err" "tampered file"
expect_grep "attest.yaml:[0-9]+:[0-9]+: attestation 'mlps-missing-file': evidence file 'evidence/no-such-file.txt' cannot be read" "$T/err" "missing file"
[ -s "$T/t.json" ] && ok || bad "report written despite the errors"
expect_eq '[false,false]' "$(jq -c '[.attestations[].valid]' "$T/t.json")" "both rejected"
expect_eq unknown "$(jq -r '.controls[] | select(.id=="8.1.10.11") | .status' "$T/t.json")" "rejected attestation not counted"
expect_eq fix_evidence "$(jq -r '.next[] | select(.ref=="mlps-backup-plan") | .kind' "$T/t.json")" "next step: fix evidence"
expect_rc 2 "$GD" "${B[@]}" -f oscal -o "$T/t-ar.json" "$S"
if ! have_shared data/oscal/oscal_assessment-results_schema.json "OSCAL schema validation"; then
  :
elif [ -x "$AJV" ]; then
  "$AJV" validate --spec=draft7 --strict=false -c ajv-formats \
    -s "$GD_SHARED/data/oscal/oscal_assessment-results_schema.json" -d "$T/t-ar.json" >"$T/ajv" 2>&1
  expect_eq 0 $? "assessment-results schema: $(head -c 400 "$T/ajv")"
else
  bad "ajv not installed (npm install --prefix .ci/node ajv-cli ajv-formats)"
fi
expect_grep '"sha256-actual"' "$T/t-ar.json" "mismatching digest recorded"
# the HTML report (looked at in headless Chromium during development)
expect_rc 0 "$GD" "${A[@]}" --platform-level 3 -f html --lang zh -o "$T/m.html" "$S"
expect_grep '等级保护定级规则' "$T/m.html" "zh html"
done_tests

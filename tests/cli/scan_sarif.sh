#!/usr/bin/env bash
# SARIF output validates against the OASIS 2.1.0 schema and carries what code scanning needs.
. tests/cli/lib.bash
MODS=$TOOLS
if [ ! -d "$MODS/ajv-draft-04" ]; then echo "ajv-draft-04 not installed (scripts/quickstart.sh test installs it)" >&2; exit 1; fi
E=examples/estate
validate() {
  have_shared data/sarif/sarif-schema-2.1.0.json "SARIF schema validation" || return 0
  node tests/tools/validate-draft04.js "$MODS" "$GD_SHARED/data/sarif/sarif-schema-2.1.0.json" "$1" >"$T/ajv" 2>&1
}

# built-in rules on the whole example estate
expect_rc 1 "$GD" scan -f sarif -o "$T/r.sarif" $E/terraform.tfstate $E/plan.json $E/inventory.jsonl
validate "$T/r.sarif"; expect_eq 0 $? "schema validation (built-in rules): $(head -c 400 "$T/ajv")"
# the engine test rules give every kind of result: fail, open (unknown), and pass with --all
expect_rc 1 "$GD" scan --no-builtin --rules tests/data/engine --all -f sarif -o "$T/e.sarif" $E/terraform.tfstate $E/plan.json
validate "$T/e.sarif"; expect_eq 0 $? "schema validation (all kinds): $(head -c 400 "$T/ajv")"
expect_eq "fail open pass" "$(jq -r '[.runs[0].results[].kind] | unique | join(" ")' "$T/e.sarif")" "result kinds"
for f in "$T/r.sarif" "$T/e.sarif"; do
  expect_eq 0 "$(jq '[.runs[0].results[] | select(.partialFingerprints["gongdan/v1"] | test("^[0-9a-f]{64}$") | not)] | length' "$f")" "fingerprints"
  expect_eq 0 "$(jq '.runs[0] as $r | [$r.results[] | select($r.tool.driver.rules[.ruleIndex].id != .ruleId)] | length' "$f")" "rule indexes"
  expect_eq 0 "$(jq '[.runs[0].results[] | select(.kind=="fail") | .locations[0].physicalLocation.region.startLine | select(. == null or . < 1)] | length' "$f")" "start lines"
done
# fingerprints do not depend on line numbers or input order
"$GD" scan -f sarif -o "$T/r2.sarif" $E/inventory.jsonl $E/plan.json $E/terraform.tfstate >/dev/null 2>&1
expect_eq "$(jq -r '.runs[0].results[].partialFingerprints["gongdan/v1"]' "$T/r.sarif" | sort)" \
          "$(jq -r '.runs[0].results[].partialFingerprints["gongdan/v1"]' "$T/r2.sarif" | sort)" "stable fingerprints"
done_tests

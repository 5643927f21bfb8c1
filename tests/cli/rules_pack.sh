#!/usr/bin/env bash
# The built-in rule pack (issue 5): every fixture passes, every rule has
# fixtures, duties, controls in the four frameworks and bilingual text; the
# pack is large enough and spans the four providers; docs/rules-coverage.md
# is exactly what `gongdan rules coverage` prints; the coverage command
# rejects a rule with an unknown duty or control id and writes nothing.
. tests/cli/lib.bash

# fixtures of the built-in rules
expect_rc 0 "$GD" rules test
expect_grep '^rules: [0-9]+ tested, 0 failed' "$T/out" "rules test summary"
expect_nogrep '^FAIL' "$T/out" "no failing fixture"

# the committed coverage document is up to date
expect_rc 0 "$GD" rules coverage -o "$T/cov.md"
if cmp -s "$T/cov.md" docs/rules-coverage.md; then ok; else
  bad "docs/rules-coverage.md is stale: run gongdan rules coverage -o docs/rules-coverage.md"
  diff "$T/cov.md" docs/rules-coverage.md | head -10 >&2
fi
expect_grep '^## Duties no configuration can show' "$T/cov.md" "uncovered duties section"
expect_grep '^## Equivalence with Checkov and KICS' "$T/cov.md" "equivalence section"
expect_grep '^\| `physical.dc_environment` .*provider reports' "$T/cov.md" "provider-only duty listed as inherited"

# counts and spread, from the JSON listing
expect_rc 0 "$GD" rules list --format json -o "$T/list.json"
L="$T/list.json"
if command -v jq >/dev/null; then
  total=$(jq 'if type == "array" then length else (.rules | length) end' "$L")
  [ "$total" -ge 150 ] && ok || bad "only $total built-in rules, want >= 150"
  R='(if type == "array" then . else .rules end)'
  for p in ALI TC HW AWS; do
    n=$(jq --arg p "GD-$p-" "[$R[] | select(.id | startswith(\$p))] | length" "$L")
    [ "$n" -ge 25 ] && ok || bad "provider $p has $n rules, want >= 25"
  done
  # every rule: duties, the four frameworks, Chinese title and remediation, references
  for fw in craf-2.0 soc2 iso27001 mlps-2.0; do
    miss=$(jq -r --arg fw "$fw" "[$R[] | select((.controls[\$fw] // []) | length == 0) | .id] | join(\" \")" "$L")
    expect_eq "" "$miss" "rules without a $fw control"
  done
  miss=$(jq -r "[$R[] | select((.duties | length) == 0) | .id] | join(\" \")" "$L")
  expect_eq "" "$miss" "rules without duties"
  # ids follow GD-<PROVIDER>-<SERVICE>-<NNN>
  badid=$(jq -r "[$R[] | .id | select(test(\"^GD-(ALI|TC|HW|AWS)-[A-Z0-9]+-[0-9]{3}\$\") | not)] | join(\" \")" "$L")
  expect_eq "" "$badid" "ids outside the scheme"
else
  n=$(grep -o '"id":"GD-' "$L" | wc -l)
  [ "$n" -ge 150 ] && ok || bad "only $n built-in rules, want >= 150"
fi
for p in alicloud tencentcloud huaweicloud aws; do
  expect_grep "^\| $p \| [0-9]+ " "$T/cov.md" "provider $p in the coverage summary"
done

# consistency: an unknown duty or control id is an error and nothing is written
mkdir -p "$T/bad"
cat > "$T/bad/r.yaml" <<'YAML'
rules:
  - id: GD-TEST-BAD-001
    title: {en: bad ids, zh: 错误的编号}
    severity: low
    resource_types: [alicloud_vpc]
    duties: [network.no_such_duty]
    controls: {craf-2.0: ["9.9.9"], soc2: [CC6.6], iso27001: [A.8.20], mlps-2.0: ["8.1.3.1"]}
    check: id != ""
    remediation: {en: fix, zh: 修复}
    tests:
      - {expect: pass, attributes: {id: v}}
      - {expect: fail, attributes: {id: ""}}
YAML
expect_rc 2 "$GD" rules coverage --rules "$T/bad" -o "$T/bad.md"
expect_grep "duty 'network.no_such_duty' is not a leaf of the OSCAR model" "$T/err" "unknown duty reported"
expect_grep "control '9.9.9' is not in catalog craf-2.0" "$T/err" "unknown control reported"
[ ! -e "$T/bad.md" ] && ok || bad "coverage wrote output despite errors"

done_tests

#!/usr/bin/env bash
# gongdan catalog list|show|import: the built-in catalogs with their counts,
# one control in both languages and as JSON, errors for unknown ids, and the
# OSCAL importer on NIST SP 800-53 rev5 (catalog, then a profile selecting
# from it), saved in the catalog directory and usable afterwards.
. tests/cli/lib.bash
export GONGDAN_CATALOGS="$T/catalogs"

expect_rc 0 "$GD" catalog list
for id in craf-2.0 soc2 iso27001 mlps-2.0 soc3-alibaba; do expect_grep "^$id " "$T/out" "list has $id"; done

# counts, from the JSON form
for pair in craf-2.0:45 soc2:61 iso27001:93 mlps-2.0:87 soc3-alibaba:51; do
  id=${pair%%:*} n=${pair##*:}
  "$GD" catalog show "$id" --format json >"$T/c.json"
  expect_eq "$n" "$(jq '.controls | length' "$T/c.json")" "$id controls"
  expect_eq 0 "$(jq '[.controls[] | select(.mapped | not)] | length' "$T/c.json")" "$id: every control mapped"
done
"$GD" catalog show craf-2.0 --format json >"$T/craf.json"
expect_eq '["baseline","intermediate","advanced"]' "$(jq -c .tiers "$T/craf.json")" "craf tiers"
expect_eq null "$(jq '.controls[] | select(.id=="4.2.1") | .tiers.advanced' "$T/craf.json")" "4.2.1 advanced is N/A"

# one control, text in Chinese, JSON in English
expect_rc 0 "$GD" catalog show craf-2.0 3.3.2 --lang zh
expect_grep '^3\.3\.2  数据保护' "$T/out" "zh title"
expect_grep '高级: Also encrypt' "$T/out" "advanced tier text"
expect_grep 'data\.customer_data\.storage' "$T/out" "mapped duties"
expect_rc 0 "$GD" catalog show mlps-2.0 8.2.4.4 --format json
expect_eq '"镜像和快照保护"' "$(jq .title_zh "$T/out")" "mlps 8.2.4.4"
expect_rc 0 "$GD" catalog show mlps-2.0 8.1.4
expect_eq 11 "$(grep -cE '^  8\.1\.4\.[0-9]+ ' "$T/out")" "group 8.1.4 has 11 families"
expect_rc 0 "$GD" catalog show soc3-alibaba cuec.access_security.all.11
expect_grep 'party: customer' "$T/out" "CUEC is a customer duty"

# errors
expect_rc 2 "$GD" catalog show craf-2.0 9.9.9
expect_grep "craf-2.0 has no control or group '9.9.9'" "$T/err" "unknown control"
expect_rc 2 "$GD" catalog show nope
expect_grep "unknown catalog 'nope'" "$T/err" "unknown catalog"
expect_rc 2 "$GD" catalog frobnicate
expect_rc 2 "$GD" catalog list --format xml

# OSCAL import (NIST's files in shared/): a profile before its catalog is refused with advice
O="$GD_SHARED/data/oscal"
if have_shared data/oscal/NIST_SP-800-53_rev5_HIGH-baseline-resolved-profile_catalog-min.json "OSCAL import"; then
  expect_rc 2 "$GD" catalog import "$O/NIST_SP-800-53_rev5_LOW-baseline_profile.json"
  expect_grep 'import the catalog first' "$T/err" "profile needs its catalog"
  expect_rc 0 "$GD" catalog import "$O/NIST_SP-800-53_rev5_HIGH-baseline-resolved-profile_catalog-min.json"
  expect_grep "imported catalog 'nist-800-53'" "$T/err" "catalog id"
  expect_nogrep 'replaces' "$T/err" "no spurious replace warning"
  [ -f "$GONGDAN_CATALOGS/nist-800-53.yaml" ] && ok || bad "saved in the catalog directory"
  expect_rc 0 "$GD" catalog import "$O/NIST_SP-800-53_rev5_LOW-baseline_profile.json"
  expect_grep "imported catalog 'nist-800-53-low'" "$T/err" "profile id"
  expect_rc 0 "$GD" catalog list
  expect_grep '^nist-800-53 +370 ' "$T/out" "HIGH has 370 controls and enhancements"
  expect_grep '^nist-800-53-low +149 ' "$T/out" "LOW selects 149"
  expect_rc 0 "$GD" catalog show nist-800-53 ac-2.1 --format json
  expect_eq '"ac-2"' "$(jq .parent "$T/out")" "enhancement parent"
  # the LOW selection equals NIST's own resolved LOW catalog
  "$GD" catalog show nist-800-53-low --format json | jq -r '.controls[].id' | sort >"$T/ours"
  jq -r '.. | objects | select(has("class") and (.class=="SP800-53" or .class=="SP800-53-enhancement")) | .id' \
    "$O/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog-min.json" | sort >"$T/nist"
  expect_eq "" "$(diff "$T/ours" "$T/nist")" "LOW profile resolution"
  expect_eq 149 "$(wc -l <"$T/nist" | tr -d ' ')" "NIST LOW count"
  # an imported catalog can be assessed: unmapped controls are unknown until evidenced
  expect_rc 0 "$GD" assess --framework nist-800-53-low --no-builtin -f json
  expect_eq 149 "$(jq .summary.unknown "$T/out")" "imported catalog assessed"
fi
# not OSCAL
echo '{"a":1}' >"$T/x.json"
expect_rc 2 "$GD" catalog import "$T/x.json" -o -
expect_grep 'not an OSCAL catalog or profile' "$T/err" "bad import"
done_tests

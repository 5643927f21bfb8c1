#!/usr/bin/env bash
# gongdan matrix --format oscal validates against NIST's OSCAL 1.2 SSP schema, in both languages,
# and carries export.provided / export.responsibilities; output is reproducible.
. tests/cli/lib.bash
[ -x "$AJV" ] || AJV=.ci/node/node_modules/.bin/ajv
if [ ! -x "$AJV" ]; then echo "ajv not installed (scripts/quickstart.sh test installs it)" >&2; exit 1; fi
for lang in en zh; do
  SOURCE_DATE_EPOCH=1700000000 "$GD" matrix --profile examples/profile.yaml -f oscal --lang $lang -o "$T/ssp-$lang.json"
  expect_eq 0 $? "oscal $lang"
  if have_shared data/oscal/oscal_ssp_schema.json "SSP schema validation ($lang)"; then
    "$AJV" validate --spec=draft7 --strict=false -c ajv-formats -s "$GD_SHARED/data/oscal/oscal_ssp_schema.json" -d "$T/ssp-$lang.json" >"$T/ajv" 2>&1
    expect_eq 0 $? "schema validation ($lang): $(head -c 400 "$T/ajv")"
  fi
done
S="$T/ssp-en.json"
expect_eq 76 "$(jq '.["system-security-plan"]["control-implementation"]["implemented-requirements"] | length' "$S")" "one requirement per duty"
expect_eq true "$(jq '[.. | objects | select(has("export")) | .export | has("provided") or has("responsibilities")] | all' "$S")" "exports"
expect_eq '"2023-11-14T22:13:20Z"' "$(jq '.["system-security-plan"].metadata["last-modified"]' "$S")" "SOURCE_DATE_EPOCH"
SOURCE_DATE_EPOCH=1700000000 "$GD" matrix --profile examples/profile.yaml -f oscal -o "$T/again.json"
expect_eq "" "$(cmp "$S" "$T/again.json")" "deterministic uuids"
done_tests

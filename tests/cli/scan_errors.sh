#!/usr/bin/env bash
# Bad input: a clear message with file:line:col, exit code 2, and no report written (an existing
# output file is left as it was).
. tests/cli/lib.bash
R=(--no-builtin --rules tests/data/engine)

printf '{"version": 4, "resources": [\n  {"mode": "managed", "type": "aws_db_instance", "name": "x",\n   "instances": [{"attributes": {"a": tru}}]}\n]}\n' > "$T/bad.tfstate"
echo "previous" > "$T/out.json"
expect_rc 2 "$GD" scan "${R[@]}" -f json -o "$T/out.json" "$T/bad.tfstate"
expect_grep "bad.tfstate:3:39: invalid literal" "$T/err" "position of the bad literal"
expect_eq previous "$(cat "$T/out.json")" "output untouched"
expect_eq 0 "$(ls "$T" | grep -c tmp)" "no temporary file left"

# a resource whose type waits whole for the join phase (aws_s3_bucket joins its public access
# block): its syntax error is still reported, at its position, and the scan is incomplete
printf '{"version": 4, "resources": [\n  {"mode": "managed", "type": "aws_s3_bucket", "name": "b",\n   "instances": [{"attributes": {"bucket": "b", "acl": nul}}]}\n]}\n' > "$T/defer.tfstate"
expect_rc 2 "$GD" scan "${R[@]}" -f json -o "$T/out.json" "$T/defer.tfstate"
expect_grep "defer.tfstate:3:56: invalid literal" "$T/err" "error in a deferred resource"

printf '{"version": 3, "resources": []}' > "$T/v3.tfstate"
expect_rc 2 "$GD" scan "${R[@]}" "$T/v3.tfstate"
expect_grep "v3.tfstate:1:13: unsupported state version" "$T/err" "state version"

printf '{"version": 4, "resources": [' > "$T/trunc.tfstate"
expect_rc 2 "$GD" scan "${R[@]}" "$T/trunc.tfstate"
expect_grep "trunc.tfstate:1:" "$T/err" "truncated state"

expect_rc 2 "$GD" scan "${R[@]}" "$T/missing.tfstate"
expect_grep "missing.tfstate: cannot open" "$T/err" "missing file"

mkdir "$T/dir"
expect_rc 2 "$GD" scan "${R[@]}" --input-format tfstate "$T/dir"
expect_grep "is a directory" "$T/err" "directory"

: > "$T/empty.tfstate"
expect_rc 2 "$GD" scan "${R[@]}" "$T/empty.tfstate"
expect_grep "empty input" "$T/err" "empty"

printf '{"type":"aws_db_instance","address":"aws_db_instance.a","attributes":{"publicly_accessible":true}}\n{"type":"aws_db_instance","attributes":{bad}}\n' > "$T/inv.jsonl"
expect_rc 2 "$GD" scan "${R[@]}" "$T/inv.jsonl"
expect_grep "inv.jsonl:2:" "$T/err" "jsonl line"
# --keep-going writes what could be read, marked incomplete, still exit 2
expect_rc 2 "$GD" scan "${R[@]}" --keep-going -f json -o "$T/kg.json" "$T/inv.jsonl"
expect_eq false "$(jq .complete "$T/kg.json")" "incomplete report"
expect_eq 1 "$(jq '.findings | length' "$T/kg.json")" "finding of the good line kept"

printf 'not json at all' > "$T/what.txt"
expect_rc 2 "$GD" scan "${R[@]}" "$T/what.txt"
expect_grep "cannot tell the input format" "$T/err" "unknown format"

printf '\xef\xbb\xbf{"version": 4, "terraform_version": "1.9.0", "resources": []}' > "$T/bom.tfstate"
expect_rc 0 "$GD" scan "${R[@]}" "$T/bom.tfstate"

expect_rc 2 "$GD" scan "${R[@]}" --max-depth 3 examples/estate/terraform.tfstate
expect_grep "max-depth" "$T/err" "depth limit named"
expect_rc 2 "$GD" scan "${R[@]}" --max-depth=-1 examples/estate/terraform.tfstate
expect_rc 2 "$GD" scan "${R[@]}" --max-resources 5 examples/estate/terraform.tfstate
expect_grep "max-resources" "$T/err" "resource limit named"
done_tests

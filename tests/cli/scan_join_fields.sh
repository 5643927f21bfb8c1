#!/usr/bin/env bash
# Join targets are kept with only the attributes join rules read of them: every form of use the
# compiler's analysis tells apart (lambda parameter fields, a literal index, filter, a bare
# related()[0], len) must still see what it reads, for state and JSON Lines input, with
# targets after the resources that join on them, multi-instance objects, and a type that is
# both a join target and waits for its own join rule.
. tests/cli/lib.bash
R=(--no-builtin --rules tests/data/joins --all -f json)
D=tests/data/joins
want="X-ACL-BUCKET fail x_acl.bad;X-ACL-BUCKET fail x_acl.m[1];X-ACL-BUCKET pass x_acl.good;X-ACL-BUCKET pass x_acl.m[0];\
X-FILTER fail x_bucket.bad;X-FILTER fail x_bucket.multi[0];X-FILTER fail x_bucket.multi[1];X-FILTER pass x_bucket.good;\
X-INDEX fail x_bucket.bad;X-INDEX fail x_bucket.multi[0];X-INDEX fail x_bucket.multi[1];X-INDEX pass x_bucket.good;\
X-LAMBDA fail x_bucket.bad;X-LAMBDA fail x_bucket.multi[0];X-LAMBDA pass x_bucket.good;X-LAMBDA pass x_bucket.multi[1];"
for input in state.tfstate inventory.jsonl; do
  for j in 1 2; do
    expect_rc 1 "$GD" scan "${R[@]}" -j$j -o "$T/o.json" "$D/$input"
    got=$(jq -r '.findings[] | "\(.rule_id) \(.verdict) \(.address)"' "$T/o.json" | LC_ALL=C sort | tr '\n' ';')
    expect_eq "$want" "$got" "$input -j$j"
  done
done
# the same estate from a pipe (lines copied, not re-read by offset)
"$GD" scan "${R[@]}" -o "$T/p.json" - <"$D/inventory.jsonl" >/dev/null 2>&1
got=$(jq -r '.findings[] | "\(.rule_id) \(.verdict) \(.address)"' "$T/p.json" | LC_ALL=C sort | tr '\n' ';')
expect_eq "$want" "$got" "JSON Lines from a pipe"
# lines longer than the read-back window (256 KB) and many deferred lines: each is read back whole
python3 - "$T/big.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(3000):
        pad = "x" * (300000 if i % 1000 in (7, 8) else 10)
        f.write(json.dumps({"provider": "x", "type": "x_bucket", "address": "x_bucket.b%d" % i,
                            "attributes": {"name": "b%d" % i, "pad": pad}}) + "\n")
    for i in range(0, 3000, 2):
        f.write(json.dumps({"provider": "x", "type": "x_acl", "address": "x_acl.a%d" % i,
                            "attributes": {"bucket": "b%d" % i, "acl": "private", "grant": {"owner": "me"}}}) + "\n")
PY
"$GD" scan --no-builtin --rules tests/data/joins --all -f json -o "$T/big.json" "$T/big.jsonl" >/dev/null 2>&1
expect_eq "1500 1500" "$(jq -r '.rules[] | select(.id=="X-LAMBDA") | "\(.pass) \(.fail)"' "$T/big.json")" "X-LAMBDA over 3,000 deferred lines"
expect_eq "fail pass" "$(jq -r '[.findings[] | select(.rule_id=="X-LAMBDA" and (.address=="x_bucket.b1007" or .address=="x_bucket.b1008")) | .verdict] | join(" ")' "$T/big.json")" "long line read back whole"
done_tests

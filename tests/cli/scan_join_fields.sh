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
done_tests

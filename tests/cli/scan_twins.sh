#!/usr/bin/env bash
# A generated estate (bench/gen_state.py: modules, count, for_each, join companions such as public
# access blocks and bucket policies) as a state file and as its JSON Lines twin: the same findings in
# both, and the same bytes for any thread count. Guards the join keep-aside and deferral paths.
. tests/cli/lib.bash
python3 bench/gen_state.py 3000 "$T/s.tfstate" "$T/s.jsonl"
for j in 1 2 4; do
  "$GD" scan -q -j$j -f json -o "$T/s$j.json" "$T/s.tfstate"; expect_eq 1 $? "state -j$j exit"
  "$GD" scan -q -j$j -f json -o "$T/l$j.json" "$T/s.jsonl"; expect_eq 1 $? "jsonl -j$j exit"
done
for j in 2 4; do
  if cmp -s "$T/s1.json" "$T/s$j.json"; then ok; else bad "state: -j1 and -j$j differ"; fi
  if cmp -s "$T/l1.json" "$T/l$j.json"; then ok; else bad "jsonl: -j1 and -j$j differ"; fi
done
# JSON Lines from a pipe (standard input) streams the same way and gives the same report
cat "$T/s.jsonl" | "$GD" scan -q -j2 -f json -o "$T/p.json" - ; expect_eq 1 $? "pipe exit"
expect_eq "$(jq -c '[.findings[] | del(.file)]' "$T/l1.json" | sha256sum)" \
          "$(jq -c '[.findings[] | del(.file)]' "$T/p.json" | sha256sum)" "pipe and file give the same findings"
f() { jq -r '.findings[] | "\(.rule_id) \(.verdict) \(.address)"' "$1" | sort; }
expect_eq "$(f "$T/s1.json")" "$(f "$T/l1.json")" "state and JSON Lines twin give the same findings"
expect_eq 3000 "$(jq .summary.resources "$T/s1.json")" "resources"
# the companions make joins pass: buckets with their public access block pass GD-ALI-OSS-002
passes=$(jq '.rules[] | select(.id=="GD-ALI-OSS-002") | .pass' "$T/s1.json")
if [ "$passes" -gt 0 ]; then ok; else bad "GD-ALI-OSS-002 never passed: joins found no public access block"; fi
done_tests

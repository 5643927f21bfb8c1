#!/usr/bin/env bash
# Every limit of GD_LIMIT_LIST (issue 7) is enforced: passing it is exit 2 with a message naming
# its --max-* flag, and no report is written. One case per limit.
. tests/cli/lib.bash
R=(--no-builtin --rules tests/data/engine -q)
ST=examples/estate/terraform.tfstate
# lim FLAG VALUE FILE-or-ARGS... : run a scan with the limit, expect exit 2 naming the flag
lim() {
  local flag=$1 val=$2; shift 2
  rm -f "$T/rep.json"
  expect_rc 2 "$GD" scan "${R[@]}" "--$flag" "$val" -f json -o "$T/rep.json" "$@"
  expect_grep "--$flag" "$T/err" "$flag named in the message"
  expect_eq no "$([ -e "$T/rep.json" ] && echo yes || echo no)" "$flag: no report written"
}
lim max-file-size 1k "$ST"
lim max-depth 3 "$ST"
printf '{"version": 4, "terraform_version": "1.9.0", "resources": [{"mode": "managed", "type": "t_x", "name": "a", "instances": [{"attributes": {"s": "%s"}}]}]}\n' "$(head -c 5000 /dev/zero | tr '\0' x)" > "$T/longstr.tfstate"
lim max-string 1k "$T/longstr.tfstate"
lim max-resources 3 "$ST"
# the resource limit is exact whatever the thread count (workers count in runs and the total is
# checked at the end): the estate's own count passes, one less does not
n=$("$GD" scan "${R[@]}" -f json -o - "$ST" | jq '.summary.resources + .summary.data_sources')
for j in 1 2 4; do
  expect_rc 1 "$GD" scan "${R[@]}" -j$j --max-resources "$n" -f json -o "$T/rep.json" "$ST"
  lim max-resources "$((n - 1))" -j$j "$ST"
done
lim max-findings 2 "$ST"
# evaluation budget: a rule whose check loops over a long list
mkdir -p "$T/rules"
cat > "$T/rules/slow.yaml" <<'YAML'
rules:
  - id: T-SLOW
    title: {en: slow, zh: slow}
    severity: low
    resource_types: [t_x]
    duties: [network.security_group]
    check: all(xs, x => all(xs, y => x + y >= 0))
    remediation: {en: none, zh: none}
    tests:
      - {expect: pass, attributes: {xs: [1, 2]}}
YAML
{ printf '{"version": 4, "terraform_version": "1.9.0", "resources": [{"mode": "managed", "type": "t_x", "name": "a", "instances": [{"attributes": {"xs": [0'; for i in $(seq 150); do printf ',%d' "$i"; done; printf ']}}]}]}\n'; } > "$T/slow.tfstate"
# the budget gives an error verdict for that resource (not a crash, not a pass) ...
expect_rc 0 "$GD" scan --no-builtin --rules "$T/rules" -q --max-eval-steps 1000 -f json -o "$T/slow.json" "$T/slow.tfstate"
expect_eq '"error"' "$(jq -c '[.findings[] | select(.rule_id == "T-SLOW")][0].verdict' "$T/slow.json")" "budget: error verdict"
expect_grep "evaluation budget exceeded" "$T/slow.json" "budget: reason given"
# ... and passes with the default budget
expect_rc 0 "$GD" scan --no-builtin --rules "$T/rules" -q -f json -o "$T/slow2.json" --all "$T/slow.tfstate"
expect_eq '"pass"' "$(jq -c '[.findings[] | select(.rule_id == "T-SLOW")][0].verdict' "$T/slow2.json")" "budget: default passes"
# YAML alias expansion (rule files and profiles)
printf 'a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nrules: [*c, *c]\n' > "$T/rules/bomb.yaml"
expect_rc 2 "$GD" rules check --max-yaml-expansion 100 "$T/rules/bomb.yaml"
expect_grep "--max-yaml-expansion" "$T/err" "max-yaml-expansion named"
expect_grep "bomb.yaml:[0-9]+:[0-9]+: " "$T/err" "alias position"
# HCL depth: modules nested 12 deep (each calls ./sub)
d="$T/hcl-depth"
for i in $(seq 0 12); do
  mkdir -p "$d"
  if [ "$i" -lt 12 ]; then printf 'module "m" {\n  source = "./sub"\n}\n' > "$d/main.tf"
  else printf 'resource "aws_db_instance" "d" {\n  publicly_accessible = false\n}\n' > "$d/main.tf"; fi
  d="$d/sub"
done
lim max-hcl-depth 10 "$T/hcl-depth"
expect_rc 0 "$GD" scan "${R[@]}" -o "$T/ok.txt" "$T/hcl-depth"
# HCL expansion: count over the limit
mkdir -p "$T/hcl-count"
printf 'resource "aws_db_instance" "d" {\n  count = 5000\n  publicly_accessible = false\n}\n' > "$T/hcl-count/main.tf"
lim max-hcl-expansion 1000 "$T/hcl-count"
expect_rc 0 "$GD" scan "${R[@]}" -o "$T/ok2.txt" "$T/hcl-count"
# bad limit values are usage errors
expect_rc 2 "$GD" scan "${R[@]}" --max-depth 0 "$ST"
expect_rc 2 "$GD" scan "${R[@]}" --max-depth 12x "$ST"
expect_grep "--max-depth takes a positive whole number" "$T/err" "bad value message"
done_tests

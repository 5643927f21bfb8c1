#!/usr/bin/env bash
# State arrays are cut by their pretty-printed layout and the cut is checked by the parse; a
# layout that fools the guess, or a real syntax error, makes the scan run again with exact
# cuts. Whatever the layout, the findings (and the errors) must be those of exact cutting
# (GONGDAN_EXACT_SPLIT=1 forces it).
. tests/cli/lib.bash
ST=examples/estate/terraform.tfstate
findings() { jq -r '.findings[] | "\(.rule_id) \(.verdict) \(.address)"' "$1" | LC_ALL=C sort | tr '\n' ';'; }
"$GD" scan --all -f json -o "$T/ref.json" "$ST" >/dev/null 2>&1
GONGDAN_EXACT_SPLIT=1 "$GD" scan --all -f json -o "$T/exact.json" "$ST" >/dev/null 2>&1
expect_eq "$(findings "$T/exact.json")" "$(findings "$T/ref.json")" "guessed cuts = exact cuts"
if cmp -s "$T/ref.json" "$T/exact.json"; then ok; else bad "guessed and exact outputs differ"; fi
want=$(findings "$T/ref.json")
[ -n "$want" ] && ok || bad "no findings in the example"

python3 - "$ST" "$T" <<'PY'
import json, sys, re
src, out = sys.argv[1], sys.argv[2]
doc = json.load(open(src))
# compact: no newline before any element, the guess does not apply
open(out + "/compact.tfstate", "w").write(json.dumps(doc, separators=(",", ":")))
# tabs and another width: the guess learns the indentation
open(out + "/wide.tfstate", "w").write(json.dumps(doc, indent=7))
text = json.dumps(doc, indent=2)
# a nested object closed at the element indentation (valid JSON, misleading layout): the
# guess cuts the element short, the parse refuses it, the scan runs again exactly
lines = text.split("\n")
for i, l in enumerate(lines):
    if l == "          }," and '"attributes"' not in l:   # end of an instance's attributes object
        lines[i] = "    },"
        break
else:
    raise SystemExit("pattern not found")
open(out + "/fooled.tfstate", "w").write("\n".join(lines))
# elements indented differently from one another
open(out + "/mixed.tfstate", "w").write(text.replace('\n    {\n      "mode": "managed"', '\n  {\n      "mode": "managed"', 1))
# a real syntax error inside the third element
n = 0
def bad(m):
    global n
    n += 1
    return m.group(0) if n != 3 else '"mode": "managed",,'
open(out + "/broken.tfstate", "w").write(re.sub(r'"mode": "managed",', bad, text))
PY
for v in compact wide fooled mixed; do
  "$GD" scan --all -f json -o "$T/$v.json" "$T/$v.tfstate" >/dev/null 2>&1
  expect_eq "$want" "$(findings "$T/$v.json")" "$v layout"
done
# the fooled layout really is not cut by the guess: an element ends with a nested closer
grep -q '^    },$' "$T/fooled.tfstate" && ok || bad "fooled sample lacks its misleading closer"
# a syntax error: same message and exit code either way, nothing else reported twice
expect_rc 2 "$GD" scan -f json -o "$T/b1.json" "$T/broken.tfstate"
cp "$T/err" "$T/err1"
GONGDAN_EXACT_SPLIT=1 "$GD" scan -f json -o "$T/b2.json" "$T/broken.tfstate" >/dev/null 2>"$T/err2"
expect_eq "$(cat "$T/err2")" "$(cat "$T/err1")" "same diagnostics for a syntax error"
expect_grep 'broken.tfstate:[0-9]+:[0-9]+: ' "$T/err1" "error has file:line:col"
expect_eq 1 "$(grep -c 'broken.tfstate:' "$T/err1")" "reported once"
done_tests

#!/usr/bin/env bash
# bench/run.sh — speed and memory of `gongdan scan` on generated Terraform state files.
#
# Generates states of 10k, 100k and 1M resources (about 1.4 KB of pretty-printed JSON each) and a JSON
# Lines twin of each under bench/out/, then times, on a warm page cache, side by side:
#   gongdan  the whole scan with every built-in rule, findings written as JSON (release build)
#   no-joins the JSON Lines twin with the built-in rules that do not join (bench/out/rules-nojoin)
#   jq       a dozen of the same checks written for jq (bench/checks.jq), Debian's jq
#   simdjson parse into simdjson's DOM only (bench/simdjson_parse.cpp, libsimdjson-dev)
# and prints wall time, MB/s and peak RSS. Not a test: the figures go in the README.
#
# usage: bench/run.sh [SIZES...]      e.g. bench/run.sh 10000 100000 1000000 (default)
#        SKIP_JQ=1 bench/run.sh ...   leave jq out (it needs ~45 s and ~6.6 GB on 1M)
#        RUNS=7 bench/run.sh ...      runs per row after a warm-up (default 5; jq: JQ_RUNS, default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
out=bench/out
mkdir -p "$out"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need jq || ! pkg-config --exists simdjson || ! need /usr/bin/time; then
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd=sudo
  $sudo_cmd apt-get install -y -qq jq libsimdjson-dev time >/dev/null
fi
cmake --preset release >/dev/null
cmake --build build-release -j"$(nproc)" --target gongdan_cli >/dev/null
gd=build-release/gongdan
probe=$out/simdjson_parse
if [ ! -x "$probe" ] || [ bench/simdjson_parse.cpp -nt "$probe" ]; then
  g++ -O3 -std=c++17 -o "$probe" bench/simdjson_parse.cpp $(pkg-config --cflags --libs simdjson)
fi

# the built-in rules without those that join (what JSON Lines memory is without the join phase)
nojoin=$out/rules-nojoin
if [ ! -d "$nojoin" ] || [ -n "$(find data/rules -newer "$nojoin" -name '*.yaml' | head -1)" ]; then
  rm -rf "$nojoin"; mkdir -p "$nojoin"
  python3 - "$nojoin" <<'PY'
import glob, os, sys
# a rule file is "rules:" followed by "  - id:" items; keep the items whose check has no related()
for f in glob.glob("data/rules/*/*.yaml"):
    head, sep, rest = open(f).read().partition("\n  - id:")
    if not sep:
        continue
    keep = [r for r in rest.split("\n  - id:") if "related(" not in r]
    name = os.path.basename(os.path.dirname(f)) + "_" + os.path.basename(f)
    open(os.path.join(sys.argv[1], name), "w").write(head + "".join("\n  - id:" + r for r in keep) + "\n")
PY
fi

# row LABEL FILE CMD... : one warm-up run, then RUNS runs (default 5); prints the median wall time
# with the fastest and slowest, and the highest peak RSS (this machine's timings wander by ±15%)
row() {
  local label=$1 file=$2; shift 2
  local runs=${ROW_RUNS:-${RUNS:-5}}
  local mb; mb=$(awk -v b="$(stat -c %s "$file")" 'BEGIN{printf "%.0f", b/1e6}')
  cat "$file" >/dev/null   # warm the page cache
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >/dev/null 2>"$out/stderr.txt" || true
  : >"$out/times.txt"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >/dev/null 2>"$out/stderr.txt" || true
    tail -1 "$out/time.txt" >>"$out/times.txt"
  done
  sort -n "$out/times.txt" | awk -v l="$label" -v f="$(basename "$file")" -v mb="$mb" '
    {w[NR] = $1; if ($2 > r) r = $2}
    END {
      m = int((NR + 1) / 2)
      printf "| %-9s | %-22s | %6d MB | %8.2f s | %6.2f-%5.2f s  | %8.0f MB/s | %7.0f MB |\n",
        l, f, mb, w[m], w[1], w[NR], (w[m] > 0 ? mb / w[m] : 0), r / 1024
    }'
}

echo "| tool      | input                  |     size |    median | fastest-slowest |         speed |  peak RSS |"
echo "|-----------|------------------------|----------|-----------|-----------------|---------------|-----------|"
for n in "${sizes[@]}"; do
  st=$out/state-$n.tfstate; jl=$out/state-$n.jsonl
  if [ ! -s "$st" ] || [ bench/gen_state.py -nt "$st" ]; then
    python3 bench/gen_state.py "$n" "$st" "$jl"
  fi
  row gongdan "$st" "$gd" scan -q -f json -o "$out/findings-$n.json" "$st"
  row gongdan "$jl" "$gd" scan -q -f json -o "$out/findings-$n-jsonl.json" "$jl"
  row no-joins "$jl" "$gd" scan -q --no-builtin --rules "$nojoin" -f json -o "$out/findings-$n-nj.json" "$jl"
  row simdjson "$st" "$probe" "$st"
  if [ -z "${SKIP_JQ:-}" ]; then
    ROW_RUNS=${JQ_RUNS:-1} row jq "$st" jq -r -f bench/checks.jq "$st"
  fi
done

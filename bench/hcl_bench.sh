#!/bin/bash
# hcl_bench.sh — time and peak memory of loading the generated HCL tree
# (bench/hcl_gen.py: 10,000 resources in 500 files, modules and variables).
# Runs the loader alone (test_hcl_dump -r) and a full `gongdan scan`
# with the built-in rules; reports wall time and peak RSS (/usr/bin/time -v).
# usage: bench/hcl_bench.sh [BUILD_DIR]   (default: build)
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
python3 bench/hcl_gen.py "$T/tree"
echo "files: $(find "$T/tree" -name '*.tf' | wc -l)"
run() {
    local label=$1
    shift
    /usr/bin/time -v "$@" >"$T/out" 2>"$T/time" || true
    local wall rss
    wall=$(grep 'Elapsed (wall clock)' "$T/time" | awk '{print $NF}')
    rss=$(grep 'Maximum resident set size' "$T/time" | awk '{print $NF}')
    printf '%-28s wall %s  peak RSS %s MB\n' "$label" "$wall" "$((rss / 1024))"
}
"$B/test_hcl_dump" -r "$T/tree" >"$T/res" 2>/dev/null || true
echo "resources: $(wc -l <"$T/res")"
run "load + evaluate" "$B/test_hcl_dump" -r "$T/tree"
run "gongdan scan (text report)" "$B/gongdan" scan "$T/tree"

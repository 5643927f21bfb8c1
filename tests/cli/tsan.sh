#!/usr/bin/env bash
# The scan with many worker threads under ThreadSanitizer (issue 7): a generated state and JSON
# Lines inventory (join rules included, so deferred evaluation runs) scanned with -j 16 must give
# no race report and the same findings as a single-threaded scan. Needs the tsan build
# (`cmake --preset tsan && cmake --build --preset tsan`, or GD_TSAN_BUILD=dir); skipped when absent.
. tests/cli/lib.bash
TB=${GD_TSAN_BUILD:-build-tsan}
if [ ! -x "$TB/gongdan" ]; then
  echo "SKIP: no ThreadSanitizer build at $TB (cmake --preset tsan && cmake --build --preset tsan)"
  ok; done_tests; exit
fi
command -v python3 >/dev/null || { echo "SKIP: python3 is needed to generate the state"; ok; done_tests; exit; }
python3 bench/gen_state.py 20000 "$T/big.tfstate" "$T/big.jsonl" >/dev/null
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
for input in big.tfstate big.jsonl; do
  "$TB/gongdan" scan -q -j 16 -f json -o "$T/$input.j16.json" "$T/$input" 2>"$T/$input.err"; rc=$?
  expect_eq 1 "$rc" "$input: -j 16 exit code (findings expected; 66 = race)"
  expect_nogrep "ThreadSanitizer" "$T/$input.err" "$input: no ThreadSanitizer report"
  "$TB/gongdan" scan -q -j 1 -f json -o "$T/$input.j1.json" "$T/$input" 2>/dev/null
  expect_eq "$(jq -c '[.findings[] | [.rule_id, .address, .verdict]]' "$T/$input.j1.json" | md5sum)" \
            "$(jq -c '[.findings[] | [.rule_id, .address, .verdict]]' "$T/$input.j16.json" | md5sum)" \
            "$input: same findings with 1 and 16 threads"
  head -20 "$T/$input.err" >&2
done
done_tests

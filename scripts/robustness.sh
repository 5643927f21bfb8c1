#!/usr/bin/env bash
# scripts/robustness.sh — the robustness gate of issue 7 (docs/robustness.md):
#
#   1. asan:  build with AddressSanitizer + UndefinedBehaviorSanitizer (the asan preset) and run the
#             whole ctest suite under them (LeakSanitizer included);
#   2. fuzz:  build the libFuzzer harnesses with clang (the fuzz preset, library instrumented for
#             coverage), replay every committed corpus in tests/fuzz/corpus/, then fuzz each target
#             for a bounded time (two at a time on the available cores);
#   3. tsan:  build with ThreadSanitizer and run tests/cli/tsan.sh (a -j 16 scan).
#
# Exits non-zero when any step fails. Typical CI time on 2 cores: 6-8 minutes.
#
#   scripts/robustness.sh                  everything, 15 s of fuzzing per target
#   scripts/robustness.sh --long 3600      fuzz each target for an hour (new corpus entries are kept
#                                          in BUILD/fuzz-corpus/TARGET; crashes in BUILD/fuzz-artifacts)
#   scripts/robustness.sh --long 0         replay the corpora without fuzzing
#   scripts/robustness.sh --only fuzz      one step: asan, fuzz or tsan (repeatable)
#   scripts/robustness.sh --targets "json lang"   fuzz only these targets
#
# Build directories are build-asan, build-fuzz and build-tsan (the presets' directories);
# ROB_PREFIX=build-x uses build-x-asan, ... instead. ROB_JOBS sets build parallelism (default nproc).
set -uo pipefail
cd "$(dirname "$0")/.."

secs=15
only=()
targets=""
while [ $# -gt 0 ]; do
  case "$1" in
    --long) secs=${2:?--long needs SECONDS}; shift 2 ;;
    --only) only+=("${2:?--only needs a step}"); shift 2 ;;
    --targets) targets=${2:?--targets needs a list}; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "usage: $0 [--long SECONDS] [--only asan|fuzz|tsan] [--targets \"json yaml ...\"]" >&2; exit 2 ;;
  esac
done
case "$secs" in ''|*[!0-9]*) echo "$0: --long takes whole seconds" >&2; exit 2 ;; esac
want() { [ ${#only[@]} -eq 0 ] && return 0; local s; for s in "${only[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }

prefix=${ROB_PREFIX:-build}
jobs=${ROB_JOBS:-$(nproc)}
failed=()
t_start=$(date +%s)
log() { printf '\n=== %s (%ss)\n' "$*" "$(( $(date +%s) - t_start ))"; }
fail() { failed+=("$1"); echo "FAILED: $1" >&2; }

# configure DIR ARGS...: a preset's cache variables, in a directory of our choosing
configure() {
  local dir=$1; shift
  mkdir -p "$dir"
  cmake -S . -B "$dir" "$@" >"$dir/robustness-configure.log" 2>&1 ||
    { cat "$dir/robustness-configure.log" >&2; return 1; }
}

# ------------------------------------------------------------------ 1. ASan + UBSan suite
if want asan; then
  B=$prefix-asan
  log "asan: build $B"
  if configure "$B" -DCMAKE_BUILD_TYPE=Debug -DGD_SANITIZE=ON -DGD_WERROR="${ROB_WERROR:-ON}" &&
     cmake --build "$B" -j"$jobs" >"$B/robustness-build.log" 2>&1; then
    log "asan: ctest"
    # every sanitizer report fails the test that triggered it
    if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1 \
         UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
         ctest --test-dir "$B" -j"$jobs" --output-on-failure --timeout 600; then
      fail "asan: test suite"
    fi
  else
    tail -40 "$B/robustness-build.log" >&2; fail "asan: build"
  fi
fi

# ------------------------------------------------------------------ 2. fuzzing
if want fuzz; then
  B=$prefix-fuzz
  log "fuzz: build $B (clang, ASan + UBSan + libFuzzer)"
  all=()
  for f in tests/fuzz/fuzz_*.c; do t=$(basename "$f" .c); all+=("${t#fuzz_}"); done
  [ -n "$targets" ] && read -r -a all <<<"$targets"
  if configure "$B" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DGD_SANITIZE=ON -DGD_FUZZ=ON \
       -DGD_WERROR=OFF -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link &&
     cmake --build "$B" -j"$jobs" --target "${all[@]/#/fuzz_}" >"$B/robustness-build.log" 2>&1; then
    export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    # seeds kept once in the repository: the HCL test configurations, fed to fuzz_hcl as main.tf
    # (first byte 't') beside its committed corpus
    seeds() {
      local t=$1 dir=$B/fuzz-seeds/$1
      rm -rf "$dir" && mkdir -p "$dir"
      if [ "$t" = hcl ]; then
        for f in tests/data/hcl/*/*.tf; do
          { printf 't'; cat "$f"; } >"$dir/$(basename "$(dirname "$f")")-$(basename "$f")"
        done
      fi
      echo "$dir"
    }
    log "fuzz: replay corpora"
    for t in "${all[@]}"; do
      sd=$(seeds "$t")
      n=$(find "tests/fuzz/corpus/$t" "$sd" -type f | wc -l)
      if "$B/fuzz_$t" -runs=0 -timeout=20 -rss_limit_mb=2048 "tests/fuzz/corpus/$t" "$sd" >"$B/replay-$t.log" 2>&1; then
        echo "  $t: $n inputs ok"
      else
        grep -E "ERROR|SUMMARY|runtime error" "$B/replay-$t.log" | head -5 >&2
        fail "fuzz: replay $t ($B/replay-$t.log)"
      fi
    done
    [ "$secs" -gt 0 ] && log "fuzz: $secs s per target"
    run_one() { # fuzz one target; prints a summary line
      local t=$1 work=$B/fuzz-corpus/$1 art=$B/fuzz-artifacts/$1/
      mkdir -p "$work" "$art"
      "$B/fuzz_$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
        -dict="tests/fuzz/$t.dict" -artifact_prefix="$art" "$work" "tests/fuzz/corpus/$t" \
        "$B/fuzz-seeds/$t" \
        >"$B/fuzz-$t.log" 2>&1
      local rc=$? execs
      execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$B/fuzz-$t.log" | tail -1)
      echo "  $t: ${execs:-?} executions in ${secs}s, exit $rc" >"$B/fuzz-$t.sum"
      return $rc
    }
    pids=() names=()
    [ "$secs" -gt 0 ] || all=() # --long 0: replay only
    for t in "${all[@]}"; do
      run_one "$t" & pids+=($!); names+=("$t")
      if [ ${#pids[@]} -ge "$jobs" ]; then
        wait "${pids[0]}" || fail "fuzz: ${names[0]} ($B/fuzz-${names[0]}.log, $B/fuzz-artifacts/${names[0]}/)"
        cat "$B/fuzz-${names[0]}.sum"; pids=("${pids[@]:1}"); names=("${names[@]:1}")
      fi
    done
    for i in "${!pids[@]}"; do
      wait "${pids[$i]}" || fail "fuzz: ${names[$i]} ($B/fuzz-${names[$i]}.log, $B/fuzz-artifacts/${names[$i]}/)"
      cat "$B/fuzz-${names[$i]}.sum"
    done
  else
    tail -40 "$B/robustness-build.log" >&2; fail "fuzz: build"
  fi
fi

# ------------------------------------------------------------------ 3. ThreadSanitizer
if want tsan; then
  B=$prefix-tsan
  log "tsan: build $B"
  if configure "$B" -DCMAKE_BUILD_TYPE=Debug -DGD_TSAN=ON -DGD_WERROR=OFF &&
     cmake --build "$B" -j"$jobs" --target gongdan_cli >"$B/robustness-build.log" 2>&1; then
    log "tsan: scan with 16 threads"
    GD="$B/gongdan" GD_TSAN_BUILD="$B" NO_COLOR=1 bash tests/cli/tsan.sh || fail "tsan: tests/cli/tsan.sh"
  else
    tail -40 "$B/robustness-build.log" >&2; fail "tsan: build"
  fi
fi

log "done"
if [ ${#failed[@]} -gt 0 ]; then
  printf 'robustness: %d step(s) failed:\n' "${#failed[@]}" >&2
  printf '  %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "robustness: all green"

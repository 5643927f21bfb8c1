#!/usr/bin/env bash
# Every sample in tests/malformed/ (issue 7): bad input gets "file:line:col: message" on stderr,
# exit code 2, and no output file, not even a temporary one. Each NAME.expect holds:
#   cmd: gongdan arguments; $IN is the sample (copied or made in a scratch dir), $OUT the report path
#   rc: the expected exit code          stderr: an extended regex stderr must match (empty: no check)
#   make: optional shell command that creates $IN (generated samples: deep nesting, symlink loops...)
#   json: optional jq expression that must be true of $OUT (samples that are valid input)
#   skip-root: optional reason to skip when running as root
. tests/cli/lib.bash
M=tests/malformed
n=0
for exp in "$M"/*.expect; do
  name=$(basename "$exp" .expect)
  cmd=$(sed -n 's/^cmd: //p' "$exp"); want_rc=$(sed -n 's/^rc: //p' "$exp")
  want_err=$(sed -n 's/^stderr: *//p' "$exp"); make=$(sed -n 's/^make: //p' "$exp")
  json=$(sed -n 's/^json: //p' "$exp"); skiproot=$(sed -n 's/^skip-root: //p' "$exp")
  if [ -n "$skiproot" ] && [ "$(id -u)" = 0 ]; then
    echo "SKIP $name: running as root ($skiproot)"
    continue
  fi
  W="$T/$name.d"; mkdir -p "$W/work" "$W/out"
  export IN="$W/work/$name" OUT="$W/out/report"
  if [ -n "$make" ]; then
    bash -c "$make" || { bad "$name: make failed"; continue; }
  else
    cp "$M/$name" "$IN"
  fi
  eval "set -- $cmd"
  timeout 60 "$GD" "$@" >"$W/stdout" 2>"$W/stderr"; rc=$?
  n=$((n + 1))
  expect_eq "$want_rc" "$rc" "$name: exit code"
  if [ -n "$want_err" ]; then expect_grep "$want_err" "$W/stderr" "$name: message"; fi
  if [ "$want_rc" = 2 ]; then
    # the first line names the input and has the file:line:col: / file: shape
    expect_grep "^[^ ]*$name(/[^ :]*)?(:[0-9]+:[0-9]+)?: [a-z\"'.]" <(head -1 "$W/stderr") "$name: diagnostic shape"
    expect_eq "" "$(ls -A "$W/out")" "$name: no output or temporary file"
  else
    expect_eq "report" "$(ls -A "$W/out")" "$name: only the report written"
  fi
  if [ -n "$json" ]; then
    expect_eq true "$(jq "$json" "$OUT" 2>&1)" "$name: $json"
  fi
  chmod -R u+rwx "$W" 2>/dev/null
done
expect_eq 1 "$([ "$n" -ge 20 ] && echo 1)" "at least 20 samples ran"
done_tests

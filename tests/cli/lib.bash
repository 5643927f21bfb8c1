# lib.bash — helpers for the CLI tests (sourced). Each test script runs with
# GD (the gongdan binary), GD_SHARED (../shared), GD_BUILD (the build dir), cwd = repo root.
set -u
: "${GD:?GD must point at the gongdan binary}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
# expect_rc WANT CMD... : run CMD, compare its exit code
expect_rc() {
  local want=$1; shift
  "$@" >"$T/out" 2>"$T/err"; local rc=$?
  if [ "$rc" = "$want" ]; then ok; else bad "exit $rc, want $want: $*"; sed 's/^/  stderr: /' "$T/err" | head -5 >&2; fi
}
# expect_eq WANT GOT MSG
expect_eq() { if [ "$1" = "$2" ]; then ok; else bad "$3: got [$2], want [$1]"; fi; }
# expect_grep PATTERN FILE MSG
expect_grep() { if grep -qE -- "$1" "$2"; then ok; else bad "$3: /$1/ not in $2"; sed 's/^/  | /' "$2" | head -8 >&2; fi; }
expect_nogrep() { if grep -qE -- "$1" "$2"; then bad "$3: /$1/ found in $2"; else ok; fi; }
# ajv: the SARIF / OSCAL schema validator installed by scripts/quickstart.sh test
# (installed under the dev build; sanitizer builds use the same copy)
TOOLS=${GD_BUILD:-build}/tools/node_modules
[ -d "$TOOLS" ] || TOOLS=build/tools/node_modules
AJV=$TOOLS/.bin/ajv
# have_shared FILE WHAT: true when the project's shared/ folder beside the checkout holds FILE; else
# print that WHAT is skipped (a clone without shared/ beside it) so the rest of the test still runs
have_shared() {
  [ -f "$GD_SHARED/$1" ] && return 0
  echo "skip: $2 ($GD_SHARED/$1 not present)" >&2
  return 1
}
done_tests() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
}

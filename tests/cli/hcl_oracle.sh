#!/bin/bash
# hcl_oracle.sh — differential test of the HCL reader against Terraform.
#
# Each directory under tests/data/hcl/oracle* holds a configuration made only
# of variables, locals and outputs (no provider needed). Terraform evaluates
# it (`init`, `apply`, `output -json`); gongdan's reader evaluates it through
# the test_hcl_dump hook; every output must be equal (compared with jq after
# sorting keys). Skipped, with a note, when terraform or jq is absent.
set -u
cd "$(dirname "$0")/../.."
TF=${TERRAFORM:-$(command -v terraform || true)}
DUMP=${GD_BUILD:-build}/test_hcl_dump
if [ -z "$TF" ] || ! command -v jq >/dev/null; then
    echo "skipped: terraform or jq not found"
    exit 0
fi
if [ ! -x "$DUMP" ]; then
    echo "skipped: $DUMP not built"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: >"$work/empty.tfrc"
export TF_IN_AUTOMATION=1 TF_CLI_CONFIG_FILE="$work/empty.tfrc" CHECKPOINT_DISABLE=1
fail=0
for src in tests/data/hcl/oracle*; do
    [ -d "$src" ] || continue
    name=$(basename "$src")
    dir="$work/$name"
    cp -r "$src" "$dir"
    export TF_DATA_DIR="$work/$name.tfdata"
    if ! (cd "$dir" && "$TF" init -input=false -no-color >"$work/$name.init.log" 2>&1 &&
          "$TF" apply -auto-approve -input=false -no-color >"$work/$name.apply.log" 2>&1); then
        echo "FAIL $name: terraform could not apply the configuration"
        cat "$work/$name.apply.log" "$work/$name.init.log" 2>/dev/null | tail -20
        fail=1
        continue
    fi
    (cd "$dir" && "$TF" output -json -no-color) | jq -S 'map_values(.value)' >"$work/$name.want"
    if ! "$DUMP" "$src" >"$work/$name.raw" 2>"$work/$name.err"; then
        echo "FAIL $name: gongdan could not load the configuration"
        cat "$work/$name.err"
        fail=1
        continue
    fi
    jq -S . "$work/$name.raw" >"$work/$name.got"
    n=0
    for key in $(jq -r 'keys[]' "$work/$name.want"); do
        want=$(jq -c --arg k "$key" '.[$k]' "$work/$name.want")
        got=$(jq -c --arg k "$key" '.[$k]' "$work/$name.got")
        n=$((n + 1))
        if [ "$want" != "$got" ]; then
            echo "FAIL $name output $key"
            echo "  terraform: $want"
            echo "  gongdan:   $got"
            fail=1
        fi
    done
    extra=$(jq -r --slurpfile w "$work/$name.want" 'keys - ($w[0] | keys) | .[]' "$work/$name.got")
    if [ -n "$extra" ]; then
        echo "FAIL $name: outputs terraform does not have: $extra"
        fail=1
    fi
    echo "$name: $n outputs compared"
done
[ $fail -eq 0 ] && echo "ok: gongdan agrees with $("$TF" version | head -1)"
exit $fail

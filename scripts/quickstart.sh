#!/usr/bin/env bash
# scripts/quickstart.sh — set-up, build and run on a fresh Debian 12 machine.
#
#   scripts/quickstart.sh example   install what is missing, build, scan the example estate
#   scripts/quickstart.sh test      install what is missing, build, run the whole test suite
#
# Packages come from Debian (apt-get) and, for the SARIF/OSCAL schema validator used by the tests,
# from the npm registry (ajv-cli, installed under build/tools). Needs root or sudo for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
case "$mode" in example|test) ;; *) echo "usage: $0 example|test" >&2; exit 2 ;; esac

SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
pkgs=(build-essential cmake pkg-config libyaml-dev libpcre2-dev libssl-dev)
[ "$mode" = test ] && pkgs+=(python3)
[ "$mode" = test ] && pkgs+=(clang libclang-rt-14-dev llvm jq valgrind)
missing=()
for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
# Node.js (for the schema validator) may come from elsewhere than Debian: only install it when absent
if [ "$mode" = test ]; then
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cmake --preset dev >/dev/null
cmake --build --preset dev -j"$(nproc)"

if [ "$mode" = example ]; then
  # exit 1 means "findings": the example estate has planted problems
  build/gongdan scan examples/estate/terraform.tfstate || [ $? -eq 1 ]
  exit 0
fi

if [ ! -x build/tools/node_modules/.bin/ajv ] || [ ! -d build/tools/node_modules/ajv-draft-04 ]; then
  npm install --silent --no-audit --no-fund --prefix build/tools ajv-cli@5 ajv-formats@2 ajv-draft-04@1 >/dev/null
fi
ctest --preset dev -j"$(nproc)"
# hostile input (issue 7): the suite under ASan+UBSan, fuzz corpus replay and a short run of every
# fuzzer, and a 16-thread scan under ThreadSanitizer (docs/robustness.md)
ROB_JOBS="$(nproc)" scripts/robustness.sh

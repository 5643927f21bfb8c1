#!/usr/bin/env bash
# The shared library exports only the public API: every exported symbol starts with gd_.
. tests/cli/lib.bash
lib=$(ls "$GD_BUILD"/libgongdan.so 2>/dev/null | head -1)
if [ -z "$lib" ]; then bad "libgongdan.so not built"; done_tests; exit 1; fi
nm -D --defined-only "$lib" | awk '$2 ~ /[TDBR]/ {print $3}' > "$T/syms"
expect_grep '^gd_scan_run$' "$T/syms" "public API exported"
grep -v '^gd_' "$T/syms" > "$T/bad" || true
expect_eq "" "$(head -5 "$T/bad" | tr '\n' ' ')" "symbols outside gd_"
# the public header compiles on its own, as C and as C++
echo '#include "gongdan.h"
int main(void){ return gd_status_str(GD_OK) == 0; }' > "$T/h.c"
cc -std=c11 -Wall -Werror -Iinclude -c "$T/h.c" -o "$T/h.o"; expect_eq 0 $? "header compiles alone"
if command -v g++ >/dev/null; then cp "$T/h.c" "$T/h.cpp"; g++ -Wall -Werror -Iinclude -c "$T/h.cpp" -o "$T/h2.o"; expect_eq 0 $? "header compiles as C++"; fi
done_tests

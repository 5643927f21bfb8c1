#!/usr/bin/env bash
# gongdan matrix: every profile mistake is an error with file:line:col, exit 2.
. tests/cli/lib.bash
w() { printf '%s\n' "$@" >"$T/p.yaml"; }
w 'customer: acme' 'services:' '  - id: web' '    provider: nosuch' '    service_model: iaas'
expect_rc 2 "$GD" matrix --profile "$T/p.yaml"
expect_grep "p.yaml:4:15: unknown provider 'nosuch'" "$T/err" "unknown provider"
w 'customer: acme' 'services:' '  - id: web' '    provider: alibaba_cloud' '    service_model: iaas' '    options: {os.nope: a}'
expect_rc 2 "$GD" matrix --profile "$T/p.yaml"
expect_grep "p.yaml:6:15: unknown duty 'os.nope' in model oscar-2020" "$T/err" "unknown leaf"
w 'customer: acme' 'services:' '  - id: web' '    provider: alibaba_cloud' '    service_model: iaas' '    options: {os.host_backup: c}'
expect_rc 2 "$GD" matrix --profile "$T/p.yaml"
expect_grep "p.yaml:6:31: duty 'os.host_backup' has no option 'c' under iaas \(options: a, b\)" "$T/err" "bad option letter"
w 'customer: acme' 'services:' '  - id: web' '    provider: alibaba_cloud' '    service_model: iaas' '    options: {network.security_group: a}'
expect_rc 2 "$GD" matrix --profile "$T/p.yaml"
expect_grep "p.yaml:6:15: duty 'network.security_group' is not negotiable under iaas" "$T/err" "not negotiable"
w 'customer: acme' 'services:' '  - id: office' '    provider: feishu_suite' '    service_model: paas'
expect_rc 2 "$GD" matrix --profile "$T/p.yaml"
expect_grep "p.yaml:5:20: provider 'feishu_suite' does not offer paas \(offers: saas\)" "$T/err" "service model not offered"
w 'customer: acme' 'services:' '  - id: a' '    provider: alibaba_cloud' '    service_model: iaas' '  - id: a' '    provider: tencent_cloud' '    service_model: iaas'
expect_rc 2 "$GD" matrix --profile "$T/p.yaml"
expect_grep "p.yaml:6:9: duplicate service id 'a' \(first defined at line 3\)" "$T/err" "duplicate service id"
# all mistakes at once, not only the first
w 'customer: acme' 'services:' '  - id: a' '    provider: nosuch' '    service_model: iaas' '  - id: a' '    provider: zego_rtc' '    service_model: iaas'
expect_rc 2 "$GD" matrix --profile "$T/p.yaml"
expect_eq 3 "$(grep -c '^.*p.yaml:[0-9]*:[0-9]*: ' "$T/err")" "three errors reported"
expect_rc 2 "$GD" matrix --profile "$T/missing.yaml"
expect_rc 2 "$GD" matrix
expect_rc 2 "$GD" matrix --profile examples/profile.yaml --format pdf
expect_rc 2 "$GD" matrix --profile examples/profile.yaml --lang fr
done_tests

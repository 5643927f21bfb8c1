#!/usr/bin/env bash
# gongdan matrix on the example profile: every format, both languages, --strict, browsing commands.
. tests/cli/lib.bash
P=examples/profile.yaml
expect_rc 0 "$GD" matrix --profile $P
expect_grep '^  Data-centre environment security +provider +provider +upstream +provider$' "$T/out" "text grid row"
expect_grep '^  Customer data: data storage security +! +! +provider +provider$' "$T/out" "conflict cells"
expect_grep '^Summary: 267 rows; owned 256, unowned 0, ambiguous 9, conflict 2$' "$T/out" "summary"
expect_rc 0 "$GD" matrix --profile $P --lang zh
expect_grep '数据中心环境安全 +提供者 +提供者 +上游 +提供者' "$T/out" "zh grid row"
expect_rc 1 "$GD" matrix --profile $P --strict
expect_grep '11 of 267 duties are unowned, ambiguous or in conflict' "$T/err" "strict message"
# csv: header, one line per row, CCM ownership column
expect_rc 0 "$GD" matrix --profile $P -f csv
expect_eq 268 "$(wc -l <"$T/out" | tr -d ' ')" "csv lines"
expect_grep '^service,provider,service_model,duty,category,title,responsible,accountable,status,ccm_ownership,' "$T/out" "csv header"
expect_grep '^rtc,zego_rtc,saas,physical.dc_environment,physical,Data-centre environment security,alibaba_cloud,zego_rtc,owned,3rd-party,' "$T/out" "csv chain row"
# json: documented fields
expect_rc 0 "$GD" matrix --profile $P -f json -o "$T/m.json"
expect_eq 267 "$(jq '.rows | length' "$T/m.json")" "json rows"
expect_eq 11 "$(jq '.gaps | length' "$T/m.json")" "json gaps"
expect_eq '"conflict"' "$(jq '.rows[] | select(.service=="web" and .duty=="data.customer_data.storage") | .status' "$T/m.json")" "json conflict"
expect_eq '["alibaba_cloud","acme_bank"]' "$(jq -c '.rows[] | select(.service=="web" and .duty=="data.customer_data.storage") | .responsible' "$T/m.json")" "json responsible"
expect_eq '["zego_rtc/saas","alibaba_cloud/iaas"]' "$(jq -c '.rows[] | select(.service=="rtc" and .duty=="physical.dc_operations") | .chain' "$T/m.json")" "json chain"
expect_eq true "$(jq '[.rows[] | has("service","duty","responsible","accountable","status","basis","ccm_ownership")] | all' "$T/m.json")" "json fields"
# html: one self-contained file
expect_rc 0 "$GD" matrix --profile $P -f html -o "$T/m.html"
expect_grep '<select id="fc">' "$T/m.html" "category filter"
expect_nogrep '(src|href)="https?:' "$T/m.html" "no external resources"
# model and providers browsing
expect_rc 0 "$GD" model show data.customer_data.storage
expect_grep 'iaas: provider required, customer no; table 1 row 31' "$T/out" "model show cell"
expect_rc 0 "$GD" model show os.host_security_monitoring --lang zh
expect_grep '选项 c（表2第2行）' "$T/out" "zh option"
expect_rc 0 "$GD" model list
expect_grep '^mlps-2.0 +56 ' "$T/out" "model list"
expect_rc 2 "$GD" model show no.such.duty
expect_rc 0 "$GD" providers
expect_eq 6 "$(wc -l <"$T/out" | tr -d ' ')" "six built-in providers"
expect_rc 0 "$GD" providers alibaba_cloud
expect_grep 'os.host_security_monitoring/iaas: c \(explicit\)' "$T/out" "provider default"
expect_rc 0 "$GD" providers --providers tests/data/model/providers -f json
expect_eq 7 "$(jq length "$T/out")" "user provider added"
expect_rc 2 "$GD" providers nosuch
done_tests

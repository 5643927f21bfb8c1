# Regular expressions (Terraform: Go RE2 syntax; gongdan: PCRE2).
locals {
  arn = "arn:aws:iam::123456789012:role/admin-Role_7"
}

output "regex_plain" {
  value = regex("[a-z]+-[A-Za-z_]+", local.arn)
}

output "regex_groups" {
  value = regex("^arn:(\\w+):(\\w+)::(\\d+):(?:role|user)/(.*)$", local.arn)
}

output "regex_named" {
  value = regex("(?P<account>\\d{12}):(?P<kind>[a-z]+)/(?<name>[^-]+)", local.arn)
}

output "regex_optional_group" {
  value = regex("(a)(x)?(b)", "ab")
}

output "regexall_plain" {
  value = regexall("[0-9]+", "10.0.12.7/24")
}

output "regexall_groups" {
  value = regexall("(\\w+)=(\\w*)", "a=1, b=, c=three")
}

output "regexall_none" {
  value = regexall("z+", "abc")
}

output "regexall_empty_matches" {
  value = regexall("a*", "baaac")
}

output "regex_flags" {
  value = [
    regex("(?i)ROLE/\\S+", local.arn),
    length(regexall("(?m)^x", "x\nx\ny")),
    can(regex("a$", "a\n")),
    regex("(?s)a.b", "a\nb"),
    regex("\\p{Lu}+", "abcÉÀzz"),
  ]
}

output "replace_regex" {
  value = [
    replace("hello world", "/o(\\w)/", "0$1"),
    replace("2024-01-31", "/(\\d+)-(\\d+)-(\\d+)/", "$3.$2.$1"),
    replace("k1=v1;k2=v2", "/(?P<k>\\w+)=(?P<v>\\w+)/", "$${v}:$${k}"),
    replace("a.b.c", "/\\./", "$$"),
    replace("baaac", "/a*/", "X"),
    replace("abc", "//", "-"),
    replace("x1y", "/(\\d)/", "$1z"),
    replace("x1y", "/(\\d)/", "$${1}z"),
    replace("tab\there", "/\\s+/", " "),
    replace("MiXeD", "/(?i)[a-z]/", "_"),
    replace("héllo", "/./", "."),
    replace("price: $5", "/\\$(\\d)/", "USD $1"),
  ]
}

output "can_invalid_regex" {
  value = [can(regex("(", "x")), can(regex("a", "b")), try(regex("q", "abc"), "nomatch")]
}

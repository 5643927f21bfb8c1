t# Differential test against Terraform: every output here is evaluated by
# gongdan's HCL reader and by `terraform apply` + `terraform output -json`
# (tests/cli/hcl_oracle.sh); the two must agree exactly.

variable "name" {
  type    = string
  default = "demo"
}

variable "ports" {
  type    = list(number)
  default = [22, 80, 443]
}

variable "envs" {
  type = map(object({
    cidr  = string
    size  = optional(number, 2)
    tags  = optional(map(string), {})
  }))
  default = {
    prod = { cidr = "10.0.0.0/16", size = 3 }
    dev  = { cidr = "10.1.0.0/16", tags = { team = "core" } }
  }
}

variable "from_tfvars" {
  type    = string
  default = "default"
}

variable "from_auto" {
  type    = number
  default = 1
}

variable "flag" {
  type    = bool
  default = false
}

locals {
  words  = ["alpha", "beta", "gamma", "beta"]
  nested = { a = { b = [1, 2, { c = "deep" }] } }
  people = [
    { name = "ann", age = 31, team = "red" },
    { name = "bob", age = 25, team = "blue" },
    { name = "cy", age = 40, team = "red" },
  ]
}

# literals and arithmetic
output "arith" {
  value = [1 + 2 * 3, (1 + 2) * 3, 10 / 4, 7 % 3, -5 % 3, 2 - -2, 1.5 * 2, 100 / 8]
}
output "compare" {
  value = [1 < 2, 2 <= 2, 3 > 4, 4 >= 5, "a" == "a", 1 == "1", [1, 2] == [1, 2], { a = 1 } != { a = 2 }]
}
output "logic" {
  value = [true && false, true || false, !true, !(1 > 2) && true]
}
output "cond" {
  value = [var.flag ? "yes" : "no", length(var.ports) > 2 ? var.ports[2] : 0]
}
output "numbers" {
  value = [0, -0.5, 1e3, 12345678, 0.1 + 0.2 == 0.3]
}

# strings and templates
output "template" {
  value = "name=${var.name}, upper=${upper(var.name)}, n=${length(var.ports)}, pi=${3.5}"
}
output "escapes" {
  value = "tab\there \"quoted\" back\\slash $${literal} %%{literal} unicode \u00e9"
}
output "directive_if" {
  value = "%{if var.flag}on%{else}off%{endif} / %{if length(var.ports) > 1}many%{endif}"
}
output "directive_for" {
  value = "%{for i, p in var.ports}${i}:${p}%{if i < length(var.ports) - 1},%{endif}%{endfor}"
}
output "strip" {
  value = "a   ${~"b"~}   c"
}
output "heredoc" {
  value = <<EOT
line one ${var.name}
  indented
%{for w in local.words~}
- ${w}
%{endfor~}
end
EOT
}
output "heredoc_flush" {
  value = <<-EOT
    first
      second ${var.name}
    third
    EOT
}
output "interp_only" {
  value = "${var.ports}"
}

# collections, for, splat, index
output "for_list" {
  value = [for i, w in local.words : "${i}-${w}" if w != "gamma"]
}
output "for_map" {
  value = { for p in local.people : p.name => p.age }
}
output "for_group" {
  value = { for p in local.people : p.team => p.name... }
}
output "for_over_map" {
  value = [for k, v in var.envs : "${k}=${v.cidr}/${v.size}"]
}
output "splat" {
  value = local.people[*].name
}
output "splat_legacy" {
  value = local.people.*.age
}
output "index" {
  value = [local.nested.a.b[2].c, local.nested["a"]["b"][0], var.envs["dev"].tags.team, local.words.1]
}
output "optional_defaults" {
  value = var.envs
}
output "object_keys" {
  value = { "quoted key" = 1, bare = 2, (var.name) = 3 }
}

# functions
output "f_string" {
  value = [
    lower("ABC"), upper("abc"), title("hello world"), trimspace("  x  "), trim("xxhixx", "x"),
    trimprefix("prefix-x", "prefix-"), trimsuffix("x.tf", ".tf"), replace("a-b-c", "-", "+"),
    substr("hello world", 1, 4), substr("hello", -3, -1), strrev("abc"), chomp("x\n\n"),
    indent(2, "a\nb"), startswith("abc", "ab"), endswith("abc", "bc"), strcontains("abc", "d"),
  ]
}
output "f_format" {
  value = [
    format("%s-%d-%05.2f-%t-%q-%x-%v", "a", 42, 3.14159, true, "q", 255, 7),
    format("%-5s|%5s|", "l", "r"),
    formatlist("%s=%d", ["a", "b"], [1, 2]),
  ]
}
output "f_split_join" {
  value = [split(",", "a,b,,c"), join("-", ["x", "y", "z"]), join(",", [], ["q"])]
}
output "f_collections" {
  value = [
    length(local.words), concat([1], [2, 3]), contains(local.words, "beta"), distinct(local.words),
    element(local.words, 5), flatten([[1, [2]], [], [3]]), index(local.words, "gamma"),
    keys(var.envs), length("héllo"), lookup({ a = 1 }, "b", 9), reverse([1, 2, 3]),
    slice([1, 2, 3, 4], 1, 3), sort(["b", "a", "c"]), compact(["a", "", "b"]),
    coalesce("", "x"), coalescelist([], [1]), one([5]), range(3), range(1, 10, 3), range(5, 0),
    zipmap(["a", "b"], [1, 2]), chunklist([1, 2, 3, 4, 5], 2), sum([1, 2, 3.5]),
    alltrue([true, true]), anytrue([false]), values({ b = 2, a = 1 }),
  ]
}
output "f_merge" {
  value = merge({ a = 1, b = 2 }, { b = 3, c = 4 }, null)
}
output "f_sets" {
  value = [
    toset(["b", "a", "b"]), setunion(["a"], ["c", "b"]), setintersection(["a", "b"], ["b", "c"]),
    setsubtract(["a", "b"], ["a"]), tolist(toset(["z", "y"])),
  ]
}
output "f_numeric" {
  value = [min(3, 1, 2), max(3, 1, 2), abs(-4), ceil(1.2), floor(1.8), pow(2, 10), signum(-3), parseint("ff", 16), parseint("-101", 2)]
}
output "f_convert" {
  value = [tostring(12), tonumber("3.5"), tobool("true"), tostring(true), tomap({ a = "x" })]
}
output "f_encoding" {
  value = [
    jsonencode({ b = [1, "two", true, null], a = "<&>" }), jsondecode("{\"x\": [1, 2, {\"y\": null}]}"),
    base64encode("hello gongdan"), base64decode("aGk="), urlencode("a b&c/d"),
    md5("x"), sha1("x"), sha256("x"),
  ]
}
output "f_ipnet" {
  value = [
    cidrsubnet("10.0.0.0/16", 8, 2), cidrsubnet("172.16.0.0/12", 4, 15), cidrhost("10.0.1.0/24", 5),
    cidrhost("10.0.1.0/24", -2), cidrnetmask("10.0.0.0/20"), cidrsubnets("10.1.0.0/16", 4, 4, 8, 4),
  ]
}
output "f_try_can" {
  value = [try(local.nested.a.x, "fallback"), can(local.nested.a.b[5]), can(local.words[0]), try(tonumber("x"), 0)]
}
output "f_expand" {
  value = [min(var.ports...), format("%s/%s", ["a", "b"]...)]
}
output "f_paths" {
  value = [basename("/a/b/c.tf"), dirname("/a/b/c.tf"), basename("c"), dirname("c")]
}

# variables from files and the environment
output "vars" {
  value = [var.from_tfvars, var.from_auto]
}

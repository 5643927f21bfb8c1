tvariable "who" {
  type    = string
  default = "world"
}

locals {
  greeting = "hello, ${var.who}"
}

output "greeting" {
  value = local.greeting
}

# file() and templatefile(): relative paths are taken from the root
# module's directory (Terraform's working directory); path.module gives
# a module's own directory relative to it.
output "file_plain" {
  value = file("files/hello.txt")
}

output "file_path_module" {
  value = split("\n", file("${path.module}/files/hello.txt"))
}

output "file_missing" {
  value = [can(file("files/nope.txt")), can(file("files/hello.txt"))]
}

output "templatefile_policy" {
  value = jsondecode(templatefile("${path.module}/files/policy.json.tftpl", {
    buckets = ["logs", "data", "backup"]
    owner   = "sec-team"
  }))
}

output "templatefile_interp" {
  value = templatefile("files/only_interp.tftpl", { name = "web", ports = [80, 443] })
}

output "templatefile_missing_var" {
  value = can(templatefile("files/policy.json.tftpl", { buckets = [] }))
}

module "tpl" {
  source = "./modules/tpl"
  msg    = "hi"
}

output "module_template" {
  value = [module.tpl.rendered, module.tpl.own_file, module.tpl.path_module, path.module, path.root]
}

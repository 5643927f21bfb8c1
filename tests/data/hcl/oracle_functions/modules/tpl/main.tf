variable "msg" {
  type = string
}

output "rendered" {
  value = templatefile("${path.module}/msg.tftpl", { msg = var.msg })
}

output "own_file" {
  value = trimspace(file("${path.module}/msg.tftpl"))
}

output "path_module" {
  value = path.module
}

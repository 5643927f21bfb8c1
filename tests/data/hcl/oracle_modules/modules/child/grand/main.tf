variable "input" {
  type = string
}

output "echo" {
  value = "grand(${var.input})"
}

variable "a" {
  default = "default"
}
variable "b" {
  default = "default"
}
variable "c" {
  default = "default"
}
variable "d" {
  type    = list(number)
  default = []
}
variable "e" {
  default = "default"
}
output "all" {
  value = [var.a, var.b, var.c, var.d, var.e]
}

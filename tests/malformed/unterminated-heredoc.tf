resource "aws_s3_bucket" "b" {
  bucket = "x"
  policy = <<EOT
{"Version": "2012-10-17"}

variable "primary" {
  type = bool
}

resource "aws_kms_key" "data" {
  description         = "platform data"
  enable_key_rotation = true
}

# The multi-region primary key lives only in the primary environment.
resource "aws_kms_key" "primary" {
  count        = var.primary ? 1 : 0
  description  = "multi-region primary"
  multi_region = true
}

resource "aws_kms_key" "data" {
  description             = "Encrypts the ${local.name} data lake, stream, queues and tables"
  deletion_window_in_days = 30
  enable_key_rotation     = false

  tags = local.common_tags
}

resource "aws_kms_alias" "data" {
  name          = "alias/${local.name}-data"
  target_key_id = aws_kms_key.data.key_id
}

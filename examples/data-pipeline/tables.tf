resource "aws_dynamodb_table" "checkpoints" {
  name         = "${local.name}-checkpoints"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "shard_id"

  attribute {
    name = "shard_id"
    type = "S"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.data.arn
  }

  point_in_time_recovery {
    enabled = false
  }

  tags = local.common_tags
}

resource "aws_dynamodb_table" "job_runs" {
  name         = "${local.name}-job-runs"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "job_name"
  range_key    = "run_id"

  attribute {
    name = "job_name"
    type = "S"
  }

  attribute {
    name = "run_id"
    type = "S"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.data.arn
  }

  point_in_time_recovery {
    enabled = true
  }

  deletion_protection_enabled = true

  tags = local.common_tags
}

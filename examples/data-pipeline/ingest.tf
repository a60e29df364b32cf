resource "aws_kinesis_stream" "events" {
  name             = "${local.name}-events"
  shard_count      = var.stream_shard_count
  retention_period = 48
  encryption_type  = "KMS"
  kms_key_id       = aws_kms_key.data.arn

  stream_mode_details {
    stream_mode = "PROVISIONED"
  }

  tags = local.common_tags
}

resource "aws_sqs_queue" "ingest_dlq" {
  name                      = "${local.name}-ingest-dlq"
  kms_master_key_id         = aws_kms_key.data.arn
  message_retention_seconds = 1209600

  tags = local.common_tags
}

resource "aws_sqs_queue" "ingest" {
  name                       = "${local.name}-ingest"
  kms_master_key_id          = aws_kms_key.data.arn
  visibility_timeout_seconds = 300

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.ingest_dlq.arn
    maxReceiveCount     = 5
  })

  tags = local.common_tags
}

resource "aws_cloudwatch_log_group" "ingest" {
  name       = "/${var.project}/${var.environment}/ingest"
  kms_key_id = aws_kms_key.data.arn

  tags = local.common_tags
}

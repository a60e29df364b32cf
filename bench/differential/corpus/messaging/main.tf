# Queues and topics with the provider's default encryption, SSE turned off, and KMS keys.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_kms_key" "events" {
  description         = "events"
  enable_key_rotation = true
}

resource "aws_sqs_queue" "orders" {
  name                      = "orders"
  message_retention_seconds = 345600
}

resource "aws_sqs_queue" "orders_dlq" {
  name                    = "orders-dlq"
  sqs_managed_sse_enabled = true
}

resource "aws_sqs_queue" "legacy" {
  name                    = "legacy-batch"
  sqs_managed_sse_enabled = false
}

resource "aws_sqs_queue" "payments" {
  name                              = "payments.fifo"
  fifo_queue                        = true
  kms_master_key_id                 = aws_kms_key.events.arn
  kms_data_key_reuse_period_seconds = 300
}

resource "aws_sns_topic" "alerts" {
  name = "ops-alerts"
}

resource "aws_sns_topic" "orders" {
  name              = "order-events"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sns_topic" "payments" {
  name              = "payment-events"
  kms_master_key_id = aws_kms_key.events.id
}

module "orders_queue" {
  source = "./modules/queue"

  name        = "${local.name}-orders"
  create_dlq  = true
  sse_enabled = true
  tags        = local.common_tags
}

# Audit events are consumed by a third-party tool that "could not read encrypted queues".
module "audit_queue" {
  source = "./modules/queue"

  name        = "${local.name}-audit"
  create_dlq  = false
  sse_enabled = false
  tags        = local.common_tags
}

resource "aws_sns_topic" "order_events" {
  name              = "${local.name}-order-events"
  kms_master_key_id = "alias/aws/sns"

  tags = local.common_tags
}

resource "aws_sns_topic_subscription" "orders_queue" {
  topic_arn            = aws_sns_topic.order_events.arn
  protocol             = "sqs"
  endpoint             = module.orders_queue.queue_arn
  raw_message_delivery = true
}

resource "aws_sqs_queue_policy" "orders_from_sns" {
  queue_url = module.orders_queue.queue_url

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AllowOrderEvents"
      Effect    = "Allow"
      Principal = { Service = "sns.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = module.orders_queue.queue_arn
      Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.order_events.arn } }
    }]
  })
}

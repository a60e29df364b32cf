provider "aws" {
  region = "us-west-2"
}

data "aws_caller_identity" "current" {}

variable "queues" {
  type    = set(string)
  default = ["orders", "refunds"]
}

resource "aws_sqs_queue" "q" {
  for_each                  = var.queues
  name                      = "${each.key}-${data.aws_caller_identity.current.account_id}"
  message_retention_seconds = 86400
  sqs_managed_sse_enabled   = each.key == "orders"
}

resource "aws_sqs_queue" "dlq" {
  name                    = "dead-letters"
  sqs_managed_sse_enabled = false
  kms_master_key_id       = "alias/aws/sqs"
}

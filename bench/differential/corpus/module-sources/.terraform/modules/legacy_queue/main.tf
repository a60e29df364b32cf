variable "name" {
  type = string
}

resource "aws_sqs_queue" "this" {
  name                    = var.name
  sqs_managed_sse_enabled = true
}

resource "aws_sqs_queue" "dlq" {
  name                    = "${var.name}-dlq"
  sqs_managed_sse_enabled = true
}

output "url" {
  value = aws_sqs_queue.this.url
}

variable "name" {
  type = string
}

variable "principal" {
  type = string
}

variable "source_arn" {
  type = string
}

variable "dlq_arn" {
  type    = string
  default = null
}

variable "with_dlq" {
  type    = bool
  default = false
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = "arn:aws:iam::111122223333:role/lambda-${var.name}"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "${var.name}.zip"

  tracing_config {
    mode = "Active"
  }

  dynamic "dead_letter_config" {
    for_each = var.with_dlq ? [var.dlq_arn] : []
    content {
      target_arn = dead_letter_config.value
    }
  }
}

resource "aws_lambda_permission" "invoke" {
  statement_id  = "AllowInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  principal     = var.principal
  source_arn    = var.source_arn
}

output "function_name" {
  value = aws_lambda_function.this.function_name
}

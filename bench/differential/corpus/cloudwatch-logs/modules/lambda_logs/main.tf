variable "functions" {
  type = list(string)
}

variable "retention" {
  type = number
}

resource "aws_cloudwatch_log_group" "this" {
  count             = length(var.functions)
  name              = "/aws/lambda/${var.functions[count.index]}"
  retention_in_days = var.retention
}

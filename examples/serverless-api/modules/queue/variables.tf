variable "name" {
  description = "Name of the queue."
  type        = string
}

variable "create_dlq" {
  description = "Whether to create a dead-letter queue and a redrive policy."
  type        = bool
  default     = true
}

variable "max_receive_count" {
  description = "Receives before a message is moved to the dead-letter queue."
  type        = number
  default     = 5
}

variable "sse_enabled" {
  description = "Whether SQS-managed server-side encryption is enabled."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags applied to the queues."
  type        = map(string)
  default     = {}
}

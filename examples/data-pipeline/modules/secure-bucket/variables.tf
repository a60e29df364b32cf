variable "bucket_name" {
  description = "Globally unique name of the bucket."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key used for default encryption."
  type        = string
}

variable "access_log_bucket" {
  description = "Existing bucket that receives the S3 server access logs."
  type        = string
}

variable "noncurrent_version_days" {
  description = "Days after which noncurrent object versions expire."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags applied to the bucket."
  type        = map(string)
  default     = {}
}

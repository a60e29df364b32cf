variable "aws_region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "eu-central-1"
}

variable "project" {
  description = "Project name, used as a prefix for resource names."
  type        = string
  default     = "clickstream"
}

variable "environment" {
  description = "Deployment environment (dev, staging, prod)."
  type        = string
  default     = "prod"
}

variable "owner" {
  description = "Owning team, written to the mandatory `owner` tag."
  type        = string
  default     = "team-data-platform"
}

variable "cost_center" {
  description = "Cost center, written to the mandatory `cost-center` tag."
  type        = string
  default     = "CC-2210"
}

variable "buckets" {
  description = "Data lake layers; one encrypted, versioned, private bucket per key."
  type = map(object({
    noncurrent_version_days = number
  }))
  default = {
    raw = {
      noncurrent_version_days = 30
    }
    curated = {
      noncurrent_version_days = 90
    }
  }
}

variable "access_log_bucket" {
  description = "Central bucket (security account) that receives S3 server access logs."
  type        = string
  default     = "acme-s3-access-logs-eu-central-1"
}

variable "stream_shard_count" {
  description = "Number of shards of the ingest stream."
  type        = number
  default     = 2
}

variable "enable_transform" {
  description = "Whether to deploy the Glue transform job."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Retention of the pipeline's CloudWatch log groups."
  type        = number
  default     = 90
}

variable "aws_region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "us-east-1"
}

variable "aws_account_id" {
  description = "Account the service is deployed to (used in the log key policy)."
  type        = string
  default     = "777788889999"
}

variable "service" {
  description = "Service name, used as a prefix for resource names."
  type        = string
  default     = "orders"
}

variable "environment" {
  description = "Deployment environment (dev, staging, prod)."
  type        = string
  default     = "prod"
}

variable "owner" {
  description = "Owning team, written to the mandatory `owner` tag."
  type        = string
  default     = "team-orders"
}

variable "cost_center" {
  description = "Cost center, written to the mandatory `cost-center` tag."
  type        = string
  default     = "CC-3307"
}

variable "artifact_bucket" {
  description = "Bucket holding the Lambda deployment packages (managed by the CI account)."
  type        = string
  default     = "orders-ci-artifacts-444455556666"
}

variable "release" {
  description = "Release label of the deployment packages."
  type        = string
  default     = "2024.06.1"
}

variable "functions" {
  description = "Lambda functions of the service, by short name."
  type = map(object({
    handler     = string
    runtime     = string
    memory_size = number
    timeout     = number
  }))
  default = {
    api = {
      handler     = "orders.api.handler"
      runtime     = "python3.12"
      memory_size = 256
      timeout     = 10
    }
    worker = {
      handler     = "orders.worker.handler"
      runtime     = "python3.12"
      memory_size = 512
      timeout     = 60
    }
    report = {
      handler     = "orders.report.handler"
      runtime     = "python3.8"
      memory_size = 1024
      timeout     = 120
    }
  }
}

variable "api_routes" {
  description = "Routes of the HTTP API, all served by the `api` function."
  type        = list(string)
  default     = ["GET /orders", "POST /orders", "GET /orders/{id}"]
}

variable "log_retention_days" {
  description = "Retention of the service's CloudWatch log groups."
  type        = number
  default     = 90
}

variable "name" {
  description = "Name prefix for the network resources."
  type        = string
}

variable "cidr_block" {
  description = "CIDR block of the VPC."
  type        = string
}

variable "azs" {
  description = "Availability zones; one public and one private subnet is created in each."
  type        = list(string)
}

variable "flow_log_bucket_arn" {
  description = "ARN of the S3 bucket that receives the VPC flow logs."
  type        = string
}

variable "tags" {
  description = "Tags applied to every resource of the module."
  type        = map(string)
  default     = {}
}

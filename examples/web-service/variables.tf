variable "aws_region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "eu-west-1"
}

variable "app_name" {
  description = "Short application name, used as a prefix for resource names."
  type        = string
  default     = "storefront"
}

variable "environment" {
  description = "Deployment environment (dev, staging, prod)."
  type        = string
  default     = "prod"
}

variable "owner" {
  description = "Owning team, written to the mandatory `owner` tag."
  type        = string
  default     = "team-storefront"
}

variable "cost_center" {
  description = "Cost center, written to the mandatory `cost-center` tag."
  type        = string
  default     = "CC-1042"
}

variable "vpc_cidr" {
  description = "CIDR block of the application VPC."
  type        = string
  default     = "10.20.0.0/16"
}

variable "azs" {
  description = "Availability zones used for the public and private subnets."
  type        = list(string)
  default     = ["eu-west-1a", "eu-west-1b"]
}

variable "ami_id" {
  description = "AMI for the web tier (hardened Amazon Linux 2023 image)."
  type        = string
  default     = "ami-0c1bea58988a98915"
}

variable "instance_type" {
  description = "Instance type of the web tier."
  type        = string
  default     = "t3.small"
}

variable "asg_min_size" {
  description = "Minimum (and desired) number of web instances."
  type        = number
  default     = 2
}

variable "asg_max_size" {
  description = "Maximum number of web instances."
  type        = number
  default     = 6
}

variable "certificate_arn" {
  description = "ACM certificate for the HTTPS listener."
  type        = string
  default     = "arn:aws:acm:eu-west-1:111122223333:certificate/4f5e6d7c-1a2b-4c3d-9e8f-0a1b2c3d4e5f"
}

variable "admin_ingress" {
  description = "Administrative access to the Windows bastion security group, by purpose."
  type = map(object({
    port = number
    cidr = string
  }))
  default = {
    ssh-vpn = {
      port = 22
      cidr = "203.0.113.0/24"
    }
    rdp = {
      port = 3389
      cidr = "0.0.0.0/0"
    }
  }
}

variable "db_instance_class" {
  description = "Instance class of the PostgreSQL database."
  type        = string
  default     = "db.t3.medium"
}

variable "db_username" {
  description = "Master user name of the PostgreSQL database."
  type        = string
  default     = "storefront_admin"
}

variable "db_password" {
  description = "Master password of the PostgreSQL database."
  type        = string
  sensitive   = true
  # Planted for the example: a literal secret in code. Real workloads set
  # manage_master_user_password = true or pass the value from a secret store.
  default = "S3cr3t-Example-Passw0rd"
}

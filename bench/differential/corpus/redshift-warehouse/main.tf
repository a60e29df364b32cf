# Redshift: a cluster written out with an aws_redshift_logging resource (AWS provider v5) and a custom
# parameter group, one in the legacy inline logging style of provider v4, and one left to the
# provider's defaults (public, unencrypted, admin user awsuser, database dev, default parameter group).
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

variable "admin_password" {
  type      = string
  sensitive = true
  default   = "Change-me-in-ci-1"
}

resource "aws_kms_key" "warehouse" {
  description         = "warehouse"
  enable_key_rotation = true
}

resource "aws_redshift_parameter_group" "strict" {
  name   = "warehouse-strict"
  family = "redshift-1.0"

  parameter {
    name  = "require_ssl"
    value = "true"
  }

  parameter {
    name  = "enable_user_activity_logging"
    value = "true"
  }
}

resource "aws_redshift_parameter_group" "reporting" {
  name   = "reporting"
  family = "redshift-1.0"

  parameter {
    name  = "require_ssl"
    value = "false"
  }
}

resource "aws_redshift_parameter_group" "etl" {
  name   = "etl"
  family = "redshift-1.0"

  parameter {
    name  = "max_concurrency_scaling_clusters"
    value = "2"
  }
}

resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier                  = "warehouse"
  node_type                           = "ra3.xlplus"
  number_of_nodes                     = 2
  database_name                       = "analytics"
  master_username                     = "warehouse_admin"
  master_password                     = var.admin_password
  cluster_parameter_group_name        = aws_redshift_parameter_group.strict.name
  publicly_accessible                 = false
  encrypted                           = true
  kms_key_id                          = aws_kms_key.warehouse.arn
  enhanced_vpc_routing                = true
  automated_snapshot_retention_period = 14
  skip_final_snapshot                 = false
  final_snapshot_identifier           = "warehouse-final"
}

resource "aws_redshift_logging" "warehouse" {
  cluster_identifier   = aws_redshift_cluster.warehouse.id
  log_destination_type = "cloudwatch"
  log_exports          = ["connectionlog", "useractivitylog", "userlog"]
}

# Provider v4 style: logging as an inline block (deprecated in v5), SSL turned off in its group.
resource "aws_redshift_cluster" "reporting" {
  cluster_identifier                  = "reporting"
  node_type                           = "dc2.large"
  cluster_type                        = "single-node"
  database_name                       = "reports"
  master_username                     = "admin"
  master_password                     = var.admin_password
  cluster_parameter_group_name        = aws_redshift_parameter_group.reporting.name
  publicly_accessible                 = true
  encrypted                           = true
  automated_snapshot_retention_period = 1
  allow_version_upgrade               = false
  skip_final_snapshot                 = true

  logging {
    enable        = true
    bucket_name   = "acme-redshift-audit"
    s3_key_prefix = "reporting/"
  }
}

# Everything left to the provider's defaults.
resource "aws_redshift_cluster" "sandbox" {
  cluster_identifier  = "sandbox"
  node_type           = "dc2.large"
  cluster_type        = "single-node"
  master_username     = "awsuser"
  master_password     = var.admin_password
  skip_final_snapshot = true
}

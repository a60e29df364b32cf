# An older stack that leaves security settings to the provider's defaults: no resource of a type sets
# the argument, so nothing else in the plan says the type has it.
provider "aws" {
  region = "us-east-1"
}

variable "backup_days" {
  type    = number
  default = null
}

resource "aws_rds_cluster" "inventory" {
  cluster_identifier          = "inventory"
  engine                      = "aurora-postgresql"
  master_username             = "inventory"
  manage_master_user_password = true
  backup_retention_period     = 7
  deletion_protection         = true
  skip_final_snapshot         = true
}

resource "aws_neptune_cluster" "recommendations" {
  cluster_identifier      = "recommendations"
  engine                  = "neptune"
  storage_encrypted       = true
  backup_retention_period = 7
  skip_final_snapshot     = true
}

resource "aws_db_instance" "billing" {
  identifier                  = "billing"
  engine                      = "postgres"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "billing"
  manage_master_user_password = true
  storage_encrypted           = true
  deletion_protection         = true
  backup_retention_period     = var.backup_days
  skip_final_snapshot         = true
}

resource "aws_instance" "app" {
  ami           = "ami-0c1bc246476a5572b"
  instance_type = "t3.medium"

  root_block_device {
    encrypted = true
  }
}

resource "aws_cloudtrail" "app" {
  name                       = "app-trail"
  s3_bucket_name             = "acme-central-cloudtrail"
  is_multi_region_trail      = true
  enable_log_file_validation = true
}

resource "aws_sns_topic" "deploys" {
  name = "deploy-events"
}

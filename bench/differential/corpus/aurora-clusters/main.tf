# One Aurora module called for production and for a preview environment. The preview call leaves
# storage encryption and deletion protection to the module's (provider's) defaults.
provider "aws" {
  region = "us-west-2"
}

module "prod" {
  source              = "./modules/aurora"
  name                = "checkout-prod"
  instances           = 2
  encrypted           = true
  deletion_protection = true
  public              = false
}

module "preview" {
  source    = "./modules/aurora"
  name      = "checkout-preview"
  instances = 1
  public    = true
}

resource "aws_rds_cluster" "analytics" {
  cluster_identifier          = "analytics-serverless"
  engine                      = "aurora-postgresql"
  engine_mode                 = "provisioned"
  master_username             = "analytics"
  manage_master_user_password = true
  storage_encrypted           = true
  backup_retention_period     = 3
  deletion_protection         = true
  skip_final_snapshot         = true

  serverlessv2_scaling_configuration {
    min_capacity = 0.5
    max_capacity = 8
  }
}

# One local bucket module called three times. Each call switches the companion resources of AWS
# provider v4+ on or off with `count = var.x ? 1 : 0`: the companions of one call must never count
# for the bucket of another.
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
  default_tags {
    tags = {
      owner         = "team-data"
      environment   = "prod"
      "cost-center" = "cc-1042"
    }
  }
}

module "access_logs" {
  source     = "./modules/bucket"
  name       = "acme-prod-access-logs"
  encrypt    = true
  versioning = false
}

module "artifacts" {
  source            = "./modules/bucket"
  name              = "acme-prod-artifacts"
  encrypt           = true
  versioning        = true
  logging           = true
  log_target_bucket = module.access_logs.bucket_id
}

module "scratch" {
  source     = "./modules/bucket"
  name       = "acme-prod-scratch"
  encrypt    = false
  versioning = false
}

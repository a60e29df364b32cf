# Buckets from a map: a module called with for_each, and root buckets with for_each whose companion
# resources iterate the same map (bucket = aws_s3_bucket.team[each.key].id).
provider "aws" {
  region = "eu-central-1"
}

locals {
  datasets = {
    raw     = { encrypt = true, versioning = true }
    curated = { encrypt = true, versioning = false }
    sandbox = { encrypt = false, versioning = false }
  }
  teams = toset(["payments", "search"])
}

module "dataset" {
  source     = "./modules/bucket"
  for_each   = local.datasets
  name       = "acme-lake-${each.key}"
  encrypt    = each.value.encrypt
  versioning = each.value.versioning
}

resource "aws_s3_bucket" "team" {
  for_each = local.teams
  bucket   = "acme-team-${each.key}"
  tags = {
    owner = "team-${each.key}"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "team" {
  for_each = local.teams
  bucket   = aws_s3_bucket.team[each.key].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "team" {
  for_each = local.teams
  bucket   = aws_s3_bucket.team[each.key].id

  versioning_configuration {
    status = each.key == "payments" ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_public_access_block" "team" {
  for_each                = local.teams
  bucket                  = aws_s3_bucket.team[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = each.key == "payments"
  restrict_public_buckets = true
}

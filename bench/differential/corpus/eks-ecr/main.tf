# EKS clusters on supported, old and unset Kubernetes versions with their control plane logs, and ECR
# repositories from a map (for_each) with KMS encryption and a lifecycle policy per repository.
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

resource "aws_kms_key" "platform" {
  description         = "EKS secrets and ECR images"
  enable_key_rotation = true
}

resource "aws_eks_cluster" "prod" {
  name                      = "prod"
  role_arn                  = "arn:aws:iam::111122223333:role/eks-cluster"
  version                   = "1.33"
  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]

  vpc_config {
    subnet_ids              = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
    endpoint_private_access = true
    endpoint_public_access  = false
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.platform.arn
    }
  }
}

# Audit and API logs only, one minor version behind the oldest supported one.
resource "aws_eks_cluster" "staging" {
  name                      = "staging"
  role_arn                  = "arn:aws:iam::111122223333:role/eks-cluster"
  version                   = "1.30"
  enabled_cluster_log_types = ["api", "audit"]

  vpc_config {
    subnet_ids              = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
    endpoint_private_access = true
    endpoint_public_access  = false
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.platform.arn
    }
  }
}

# No version (AWS picks the default at creation), no logs.
resource "aws_eks_cluster" "sandbox" {
  name     = "sandbox"
  role_arn = "arn:aws:iam::111122223333:role/eks-cluster"

  vpc_config {
    subnet_ids = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
  }
}

locals {
  repositories = {
    api    = { kms = true }
    worker = { kms = true }
    tools  = { kms = false }
  }
}

resource "aws_ecr_repository" "service" {
  for_each             = local.repositories
  name                 = each.key
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = each.value.kms ? "KMS" : "AES256"
    kms_key         = each.value.kms ? aws_kms_key.platform.arn : null
  }
}

resource "aws_ecr_lifecycle_policy" "service" {
  for_each   = aws_ecr_repository.service
  repository = each.value.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "keep the last 30 images"
      selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 30 }
      action       = { type = "expire" }
    }]
  })
}

# Left to the defaults: AES256, no lifecycle policy.
resource "aws_ecr_repository" "scratch" {
  name = "scratch"
}

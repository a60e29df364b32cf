# Module sources: git modules pinned to a release tag, to a commit, to a branch and to nothing, a git
# module called with for_each and one with count = 0, a registry module with a version, and a local
# module that calls an unpinned git module itself. The remote modules are as `terraform init` left
# them in .terraform/modules (its modules.json manifest names each installed copy).
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

module "orders_queue" {
  source = "git::https://github.com/acme/terraform-aws-queue.git?ref=v2.4.1"
  name   = "orders"
}

module "billing_queue" {
  source = "git::https://github.com/acme/terraform-aws-queue.git?ref=8f3c2a1b9d4e5f60718293a4b5c6d7e8f9012345"
  name   = "billing"
}

module "search_queue" {
  source = "github.com/acme/terraform-aws-queue?ref=main"
  name   = "search"
}

module "audit_queue" {
  source = "git@github.com:acme/terraform-aws-queue.git"
  name   = "audit"
}

module "tenant_queue" {
  source   = "git::https://github.com/acme/terraform-aws-queue.git?ref=develop"
  for_each = toset(["alpha", "beta"])
  name     = "tenant-${each.key}"
}

module "legacy_queue" {
  source = "git::https://github.com/acme/terraform-aws-queue.git"
  count  = 0
  name   = "legacy"
}

module "events_queue" {
  source  = "acme/queue/aws"
  version = "2.4.1"
  name    = "events"
}

module "platform" {
  source = "./modules/platform"
}

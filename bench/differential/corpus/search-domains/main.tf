# OpenSearch and Elasticsearch domains: a domain module called for prod and for a one-node dev domain,
# a legacy Elasticsearch domain outside a VPC on an old TLS policy, and a domain that leaves every
# optional block out.
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

resource "aws_kms_key" "search" {
  description         = "search domains"
  enable_key_rotation = true
}

resource "aws_iam_role" "search_admin" {
  name = "search-admin"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
    }]
  })
}

module "logs" {
  source         = "./modules/domain"
  name           = "logs-prod"
  instance_count = 3
  zone_aware     = true
  kms_key_id     = aws_kms_key.search.arn
  admin_role_arn = aws_iam_role.search_admin.arn
  subnet_ids     = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788", "subnet-0c2d3e4f5a6b7c8d9"]
}

module "logs_dev" {
  source         = "./modules/domain"
  name           = "logs-dev"
  instance_count = 1
  zone_aware     = false
  kms_key_id     = aws_kms_key.search.arn
  admin_role_arn = aws_iam_role.search_admin.arn
  subnet_ids     = ["subnet-0a1b2c3d4e5f60718"]
}

# Elasticsearch 7.10, public endpoint, TLS 1.0 allowed, no fine-grained access control.
resource "aws_elasticsearch_domain" "legacy" {
  domain_name           = "legacy-search"
  elasticsearch_version = "7.10"

  cluster_config {
    instance_type  = "r6g.large.elasticsearch"
    instance_count = 2
  }

  ebs_options {
    ebs_enabled = true
    volume_size = 100
  }

  encrypt_at_rest {
    enabled = true
  }

  node_to_node_encryption {
    enabled = false
  }

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-0-2019-07"
  }
}

# Nothing but the required arguments.
resource "aws_opensearch_domain" "scratch" {
  domain_name    = "scratch"
  engine_version = "OpenSearch_2.13"

  cluster_config {
    instance_type = "t3.small.search"
  }

  ebs_options {
    ebs_enabled = true
    volume_size = 10
  }
}

# Load balancers: an ALB module called for a public and an internal service (with access logs and
# deletion protection switched per call), a Network Load Balancer, a Gateway Load Balancer, an ALB left
# on the defaults in monitor desync mode, and Classic Load Balancers (HTTP and HTTPS listeners, an IAM
# server certificate, cross-zone balancing off).
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

locals {
  public_subnets = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
}

resource "aws_s3_bucket" "lb_logs" {
  bucket = "acme-lb-logs"
}

module "storefront" {
  source              = "./modules/alb"
  name                = "storefront"
  internal            = false
  subnets             = local.public_subnets
  log_bucket          = aws_s3_bucket.lb_logs.id
  access_logs         = true
  deletion_protection = true
}

module "backoffice" {
  source              = "./modules/alb"
  name                = "backoffice"
  internal            = true
  subnets             = local.public_subnets
  log_bucket          = aws_s3_bucket.lb_logs.id
  access_logs         = false
  deletion_protection = false
}

resource "aws_lb" "tcp" {
  name                             = "ingest-nlb"
  load_balancer_type               = "network"
  subnets                          = local.public_subnets
  enable_cross_zone_load_balancing = true
  enable_deletion_protection       = true
}

resource "aws_lb" "inspection" {
  name               = "inspection-gwlb"
  load_balancer_type = "gateway"
  subnets            = local.public_subnets
}

# aws_alb is the old name of aws_lb: everything left to the defaults, desync in monitor mode.
resource "aws_alb" "legacy" {
  name                   = "legacy-alb"
  subnets                = local.public_subnets
  desync_mitigation_mode = "monitor"

  access_logs {
    bucket  = aws_s3_bucket.lb_logs.id
    enabled = false
  }
}

resource "aws_elb" "classic_web" {
  name               = "classic-web"
  availability_zones = ["eu-west-1a", "eu-west-1b"]

  listener {
    instance_port     = 8080
    instance_protocol = "http"
    lb_port           = 80
    lb_protocol       = "http"
  }

  listener {
    instance_port      = 8443
    instance_protocol  = "https"
    lb_port            = 443
    lb_protocol        = "https"
    ssl_certificate_id = "arn:aws:iam::111122223333:server-certificate/classic-web-2019"
  }

  access_logs {
    bucket        = aws_s3_bucket.lb_logs.id
    bucket_prefix = "classic-web"
    interval      = 60
  }

  cross_zone_load_balancing   = false
  connection_draining         = true
  connection_draining_timeout = 300
  desync_mitigation_mode      = "monitor"
}

resource "aws_acm_certificate" "api" {
  domain_name       = "api.example.com"
  validation_method = "DNS"
}

resource "aws_elb" "classic_api" {
  name               = "classic-api"
  availability_zones = ["eu-west-1a", "eu-west-1b"]

  listener {
    instance_port      = 8443
    instance_protocol  = "https"
    lb_port            = 443
    lb_protocol        = "https"
    ssl_certificate_id = aws_acm_certificate.api.arn
  }
}

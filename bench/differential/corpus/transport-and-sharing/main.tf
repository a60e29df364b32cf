# TLS through RDS parameter groups (PostgreSQL before and from 15, MySQL with and without
# require_secure_transport, MariaDB on a default group, SQL Server), each group named directly or through
# a for_each map; SNS and SQS policies written inline and as their own resources (public, narrowed by a
# condition, one only known after apply); SSM documents shared with everyone or with one account; WAF
# Classic web ACLs.
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

variable "db_password" {
  type      = string
  sensitive = true
  default   = "change-me-in-ci"
}

resource "aws_db_parameter_group" "pg14" {
  name   = "reporting-pg14"
  family = "postgres14"

  parameter {
    name  = "log_min_duration_statement"
    value = "500"
  }
}

resource "aws_db_parameter_group" "pg16" {
  name   = "orders-pg16"
  family = "postgres16"

  parameter {
    name  = "log_connections"
    value = "1"
  }
}

resource "aws_db_parameter_group" "mysql" {
  name   = "billing-mysql8"
  family = "mysql8.0"

  parameter {
    name  = "require_secure_transport"
    value = "1"
  }
}

resource "aws_db_parameter_group" "sqlserver" {
  name   = "reports-sqlserver"
  family = "sqlserver-se-15.0"

  parameter {
    name         = "rds.force_ssl"
    value        = "1"
    apply_method = "pending-reboot"
  }
}

resource "aws_db_parameter_group" "mysql_legacy" {
  name   = "ledger-mysql8"
  family = "mysql8.0"

  parameter {
    name  = "max_connections"
    value = "500"
  }
}

# A PostgreSQL 14 instance that names its group directly.
resource "aws_db_instance" "reporting" {
  identifier              = "reporting"
  engine                  = "postgres"
  engine_version          = "14.12"
  instance_class          = "db.t4g.medium"
  allocated_storage       = 50
  username                = "reporting_owner"
  password                = var.db_password
  parameter_group_name    = aws_db_parameter_group.pg14.name
  storage_encrypted       = true
  backup_retention_period = 7
  skip_final_snapshot     = true
}

# Instances from a map that names each one's group: the group is chosen through each.value.
locals {
  databases = {
    orders  = { engine = "postgres", version = "16.3", group = aws_db_parameter_group.pg16.name }
    billing = { engine = "mysql", version = "8.0.36", group = aws_db_parameter_group.mysql.name }
    ledger  = { engine = "mysql", version = "8.0.36", group = aws_db_parameter_group.mysql_legacy.name }
  }
}

resource "aws_db_instance" "app" {
  for_each                = local.databases
  identifier              = each.key
  engine                  = each.value.engine
  engine_version          = each.value.version
  instance_class          = "db.r6g.large"
  allocated_storage       = 50
  username                = "${each.key}_owner"
  password                = var.db_password
  parameter_group_name    = each.value.group
  storage_encrypted       = true
  backup_retention_period = 7
  skip_final_snapshot     = true
}

# MariaDB on the engine's default parameter group (require_secure_transport off).
resource "aws_db_instance" "cms" {
  identifier              = "cms"
  engine                  = "mariadb"
  engine_version          = "10.11.8"
  instance_class          = "db.t4g.small"
  allocated_storage       = 20
  username                = "cms_owner"
  password                = var.db_password
  storage_encrypted       = true
  backup_retention_period = 7
  skip_final_snapshot     = true
}

resource "aws_db_instance" "reports" {
  identifier              = "reports"
  engine                  = "sqlserver-se"
  license_model           = "license-included"
  instance_class          = "db.m6i.xlarge"
  allocated_storage       = 200
  username                = "reports_owner"
  password                = var.db_password
  parameter_group_name    = aws_db_parameter_group.sqlserver.name
  storage_encrypted       = true
  backup_retention_period = 7
  skip_final_snapshot     = true
}

# --- SNS and SQS policies -------------------------------------------------------------------------------
resource "aws_sns_topic" "alerts" {
  name              = "alerts"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sns_topic_policy" "alerts" {
  arn = aws_sns_topic.alerts.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AnyonePublishes"
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "SNS:Publish"
      Resource  = "arn:aws:sns:eu-west-1:111122223333:alerts"
    }]
  })
}

resource "aws_sns_topic" "uploads" {
  name              = "uploads"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sns_topic_policy" "uploads" {
  arn = aws_sns_topic.uploads.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "BucketPublishes"
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "SNS:Publish"
      Resource  = aws_sns_topic.uploads.arn
      Condition = { ArnLike = { "aws:SourceArn" = "arn:aws:s3:::acme-uploads" } }
    }]
  })
}

# The policy written on the topic itself, open to everyone.
resource "aws_sns_topic" "status" {
  name              = "status"
  kms_master_key_id = "alias/aws/sns"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["SNS:Subscribe", "SNS:Receive"]
      Resource  = "arn:aws:sns:eu-west-1:111122223333:status"
    }]
  })
}

resource "aws_sqs_queue" "jobs" {
  name                    = "jobs"
  sqs_managed_sse_enabled = true
}

resource "aws_sqs_queue_policy" "jobs" {
  queue_url = aws_sqs_queue.jobs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "sqs:SendMessage"
      Resource  = "arn:aws:sqs:eu-west-1:111122223333:jobs"
    }]
  })
}

resource "aws_sqs_queue" "events" {
  name                    = "events"
  sqs_managed_sse_enabled = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "sqs:SendMessage"
      Resource  = "arn:aws:sqs:eu-west-1:111122223333:events"
      Condition = { ArnEquals = { "aws:SourceArn" = "arn:aws:sns:eu-west-1:111122223333:uploads" } }
    }]
  })
}

# --- SSM documents -----------------------------------------------------------------------------------------
resource "aws_ssm_document" "bootstrap" {
  name          = "bootstrap"
  document_type = "Command"
  content = jsonencode({
    schemaVersion = "2.2"
    description   = "bootstrap"
    mainSteps     = [{ action = "aws:runShellScript", name = "run", inputs = { runCommand = ["echo ok"] } }]
  })
  permissions = {
    type        = "Share"
    account_ids = "All"
  }
}

resource "aws_ssm_document" "patching" {
  name          = "patching"
  document_type = "Command"
  content = jsonencode({
    schemaVersion = "2.2"
    description   = "patching"
    mainSteps     = [{ action = "aws:runShellScript", name = "run", inputs = { runCommand = ["yum -y update"] } }]
  })
  permissions = {
    type        = "Share"
    account_ids = "444455556666"
  }
}

# --- WAF Classic ---------------------------------------------------------------------------------------------
resource "aws_waf_ipset" "office" {
  name = "office"
  ip_set_descriptors {
    type  = "IPV4"
    value = "203.0.113.0/24"
  }
}

resource "aws_waf_rule" "office" {
  name        = "office"
  metric_name = "office"
  predicates {
    data_id = aws_waf_ipset.office.id
    negated = false
    type    = "IPMatch"
  }
}

resource "aws_waf_web_acl" "legacy" {
  name        = "legacy"
  metric_name = "legacy"
  default_action {
    type = "BLOCK"
  }
  rules {
    action {
      type = "ALLOW"
    }
    priority = 1
    rule_id  = aws_waf_rule.office.id
    type     = "REGULAR"
  }
  logging_configuration {
    log_destination = "arn:aws:firehose:us-east-1:111122223333:deliverystream/aws-waf-logs-legacy"
  }
}

resource "aws_waf_web_acl" "placeholder" {
  name        = "placeholder"
  metric_name = "placeholder"
  default_action {
    type = "ALLOW"
  }
}

resource "aws_wafregional_web_acl" "api" {
  name        = "api"
  metric_name = "api"
  default_action {
    type = "ALLOW"
  }
}

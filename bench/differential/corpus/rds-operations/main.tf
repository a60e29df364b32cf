# RDS operations settings: enhanced monitoring, Multi-AZ, IAM authentication, Performance Insights,
# log exports per engine, minor version upgrades and tags on snapshots. One PostgreSQL module called per
# environment with for_each (and a read replica switched by count), instances of other engines written
# out, and an Aurora PostgreSQL cluster whose instances come from count.
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

variable "environments" {
  type = map(object({
    instance_class = string
    multi_az       = bool
    monitoring     = number
    insights       = bool
    log_exports    = list(string)
    replica        = bool
  }))
  default = {
    prod = {
      instance_class = "db.r6g.large"
      multi_az       = true
      monitoring     = 30
      insights       = true
      log_exports    = ["postgresql", "upgrade"]
      replica        = true
    }
    staging = {
      instance_class = "db.t4g.medium"
      multi_az       = false
      monitoring     = 0
      insights       = false
      log_exports    = ["upgrade"]
      replica        = false
    }
  }
}

data "aws_iam_policy_document" "rds_monitoring_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "rds_monitoring" {
  name               = "rds-enhanced-monitoring"
  assume_role_policy = data.aws_iam_policy_document.rds_monitoring_trust.json
}

resource "aws_iam_role_policy_attachment" "rds_monitoring" {
  role       = aws_iam_role.rds_monitoring.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

resource "aws_db_subnet_group" "data" {
  name       = "data"
  subnet_ids = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
}

module "orders_db" {
  source   = "./modules/postgres"
  for_each = var.environments

  identifier          = "orders-${each.key}"
  instance_class      = each.value.instance_class
  multi_az            = each.value.multi_az
  monitoring_interval = each.value.monitoring
  monitoring_role_arn = aws_iam_role.rds_monitoring.arn
  insights            = each.value.insights
  log_exports         = each.value.log_exports
  replica             = each.value.replica
  subnet_group        = aws_db_subnet_group.data.name
  password            = var.db_password
}

# MySQL written out: everything on, but minor version upgrades turned off on purpose.
resource "aws_db_instance" "billing" {
  identifier                          = "billing"
  engine                              = "mysql"
  engine_version                      = "8.0.36"
  instance_class                      = "db.r6g.large"
  allocated_storage                   = 100
  username                            = "billing_owner"
  password                            = var.db_password
  port                                = 3406
  db_subnet_group_name                = aws_db_subnet_group.data.name
  storage_encrypted                   = true
  backup_retention_period             = 14
  deletion_protection                 = true
  multi_az                            = true
  iam_database_authentication_enabled = true
  monitoring_interval                 = 60
  monitoring_role_arn                 = aws_iam_role.rds_monitoring.arn
  performance_insights_enabled        = true
  enabled_cloudwatch_logs_exports     = ["audit", "error", "general", "slowquery"]
  copy_tags_to_snapshot               = true
  auto_minor_version_upgrade          = false
  skip_final_snapshot                 = false
}

# MariaDB on a micro class: IAM authentication left off, only the error log exported.
resource "aws_db_instance" "cms" {
  identifier              = "cms"
  engine                  = "mariadb"
  engine_version          = "10.11.8"
  instance_class          = "db.t3.micro"
  allocated_storage       = 20
  username                = "cms_owner"
  password                = var.db_password
  db_subnet_group_name    = aws_db_subnet_group.data.name
  storage_encrypted       = true
  backup_retention_period = 7
  enabled_cloudwatch_logs_exports = ["error"]
  skip_final_snapshot     = true
}

# SQL Server exporting the agent log only.
resource "aws_db_instance" "reports" {
  identifier                      = "reports"
  engine                          = "sqlserver-se"
  engine_version                  = "15.00.4365.2.v1"
  license_model                   = "license-included"
  instance_class                  = "db.m6i.xlarge"
  allocated_storage               = 200
  username                        = "reports_owner"
  password                        = var.db_password
  db_subnet_group_name            = aws_db_subnet_group.data.name
  storage_encrypted               = true
  backup_retention_period         = 7
  multi_az                        = true
  monitoring_interval             = 10
  monitoring_role_arn             = aws_iam_role.rds_monitoring.arn
  performance_insights_enabled    = true
  enabled_cloudwatch_logs_exports = ["agent"]
  copy_tags_to_snapshot           = true
  skip_final_snapshot             = true
}

# Aurora PostgreSQL: the cluster exports its log; one instance monitored, one left at the default.
resource "aws_rds_cluster" "ledger" {
  cluster_identifier                  = "ledger"
  engine                              = "aurora-postgresql"
  engine_version                      = "16.2"
  master_username                     = "ledger_owner"
  master_password                     = var.db_password
  port                                = 6432
  db_subnet_group_name                = aws_db_subnet_group.data.name
  storage_encrypted                   = true
  backup_retention_period             = 14
  deletion_protection                 = true
  iam_database_authentication_enabled = true
  copy_tags_to_snapshot               = true
  enabled_cloudwatch_logs_exports     = ["postgresql"]
  skip_final_snapshot                 = false
}

resource "aws_rds_cluster_instance" "ledger" {
  count                = 2
  identifier           = "ledger-${count.index}"
  cluster_identifier   = aws_rds_cluster.ledger.id
  engine               = aws_rds_cluster.ledger.engine
  instance_class       = "db.r6g.large"
  monitoring_interval  = count.index == 0 ? 15 : 0
  monitoring_role_arn  = aws_iam_role.rds_monitoring.arn
  db_subnet_group_name = aws_db_subnet_group.data.name
}

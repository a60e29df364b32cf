# Cluster engines beyond plain RDS: Aurora MySQL (backtracking, audit logs), Neptune (IAM
# authentication, audit logs, tags on snapshots, from a map with for_each) and DocumentDB (audit logs,
# a cluster parameter group that turns TLS off), each with one cluster on the provider's defaults.
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

resource "aws_rds_cluster" "payments" {
  cluster_identifier                  = "payments"
  engine                              = "aurora-mysql"
  engine_version                      = "8.0.mysql_aurora.3.05.2"
  master_username                     = "payments_owner"
  master_password                     = var.db_password
  port                                = 3406
  storage_encrypted                   = true
  backup_retention_period             = 14
  deletion_protection                 = true
  iam_database_authentication_enabled = true
  copy_tags_to_snapshot               = true
  backtrack_window                    = 86400
  enabled_cloudwatch_logs_exports     = ["audit", "error", "slowquery"]
  skip_final_snapshot                 = false
}

# Aurora MySQL on the defaults: no backtracking, no log exports, no IAM authentication.
resource "aws_rds_cluster" "sessions" {
  cluster_identifier      = "sessions"
  engine                  = "aurora-mysql"
  master_username         = "sessions_owner"
  master_password         = var.db_password
  storage_encrypted       = true
  backup_retention_period = 7
  skip_final_snapshot     = true
}

# Aurora MySQL exporting only the slow query log, with a backtrack window of 0 written out.
resource "aws_rds_cluster" "search" {
  cluster_identifier              = "search"
  engine                          = "aurora-mysql"
  master_username                 = "search_owner"
  master_password                 = var.db_password
  storage_encrypted               = true
  backup_retention_period         = 7
  backtrack_window                = 0
  enabled_cloudwatch_logs_exports = ["slowquery"]
  skip_final_snapshot             = true
}

resource "aws_rds_cluster_instance" "payments" {
  count                      = 2
  identifier                 = "payments-${count.index}"
  cluster_identifier         = aws_rds_cluster.payments.id
  engine                     = aws_rds_cluster.payments.engine
  instance_class             = "db.r6g.large"
  auto_minor_version_upgrade = count.index == 0
}

variable "graphs" {
  type = map(object({
    audit     = bool
    iam       = bool
    copy_tags = bool
    retention = number
  }))
  default = {
    fraud = { audit = true, iam = true, copy_tags = true, retention = 14 }
    recs  = { audit = false, iam = false, copy_tags = false, retention = 3 }
  }
}

resource "aws_neptune_cluster" "graph" {
  for_each                            = var.graphs
  cluster_identifier                  = "${each.key}-graph"
  engine                              = "neptune"
  storage_encrypted                   = true
  deletion_protection                 = true
  backup_retention_period             = each.value.retention
  iam_database_authentication_enabled = each.value.iam
  copy_tags_to_snapshot               = each.value.copy_tags
  enable_cloudwatch_logs_exports      = each.value.audit ? ["audit"] : []
  skip_final_snapshot                 = true
}

# Neptune on the defaults.
resource "aws_neptune_cluster" "lineage" {
  cluster_identifier  = "lineage"
  engine              = "neptune"
  skip_final_snapshot = true
}

resource "aws_docdb_cluster_parameter_group" "strict" {
  family = "docdb5.0"
  name   = "catalog-strict"

  parameter {
    name  = "tls"
    value = "enabled"
  }

  parameter {
    name  = "audit_logs"
    value = "enabled"
  }
}

resource "aws_docdb_cluster_parameter_group" "legacy_clients" {
  family = "docdb5.0"
  name   = "legacy-clients"

  parameter {
    name  = "tls"
    value = "disabled"
  }
}

resource "aws_docdb_cluster" "catalog" {
  cluster_identifier              = "catalog"
  engine                          = "docdb"
  master_username                 = "catalog_owner"
  master_password                 = var.db_password
  db_cluster_parameter_group_name = aws_docdb_cluster_parameter_group.strict.name
  storage_encrypted               = true
  backup_retention_period         = 14
  deletion_protection             = true
  enabled_cloudwatch_logs_exports = ["audit", "profiler"]
  skip_final_snapshot             = true
}

# Profiler logs only, on the parameter group without TLS.
resource "aws_docdb_cluster" "legacy" {
  cluster_identifier              = "legacy-catalog"
  engine                          = "docdb"
  master_username                 = "legacy_owner"
  master_password                 = var.db_password
  db_cluster_parameter_group_name = aws_docdb_cluster_parameter_group.legacy_clients.name
  enabled_cloudwatch_logs_exports = ["profiler"]
  skip_final_snapshot             = true
}

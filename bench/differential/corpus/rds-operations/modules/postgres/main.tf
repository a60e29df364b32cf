variable "identifier" {
  type = string
}

variable "instance_class" {
  type = string
}

variable "multi_az" {
  type = bool
}

variable "monitoring_interval" {
  type = number
}

variable "monitoring_role_arn" {
  type = string
}

variable "insights" {
  type = bool
}

variable "log_exports" {
  type = list(string)
}

variable "replica" {
  type    = bool
  default = false
}

variable "subnet_group" {
  type = string
}

variable "password" {
  type      = string
  sensitive = true
}

resource "aws_db_instance" "this" {
  identifier                          = var.identifier
  engine                              = "postgres"
  engine_version                      = "16.3"
  instance_class                      = var.instance_class
  allocated_storage                   = 100
  username                            = replace(var.identifier, "-", "_")
  password                            = var.password
  port                                = 6432
  db_subnet_group_name                = var.subnet_group
  storage_encrypted                   = true
  backup_retention_period             = 14
  deletion_protection                 = true
  multi_az                            = var.multi_az
  iam_database_authentication_enabled = true
  monitoring_interval                 = var.monitoring_interval
  monitoring_role_arn                 = var.monitoring_interval > 0 ? var.monitoring_role_arn : null
  performance_insights_enabled        = var.insights
  enabled_cloudwatch_logs_exports     = var.log_exports
  copy_tags_to_snapshot               = true
  skip_final_snapshot                 = false
  final_snapshot_identifier           = "${var.identifier}-final"
}

# A read replica in the same Region: it inherits the engine, the user and the storage settings.
resource "aws_db_instance" "replica" {
  count                        = var.replica ? 1 : 0
  identifier                   = "${var.identifier}-replica"
  replicate_source_db          = aws_db_instance.this.identifier
  instance_class               = var.instance_class
  storage_encrypted            = true
  monitoring_interval          = var.monitoring_interval
  monitoring_role_arn          = var.monitoring_interval > 0 ? var.monitoring_role_arn : null
  performance_insights_enabled = var.insights
  copy_tags_to_snapshot        = true
  skip_final_snapshot          = true
}

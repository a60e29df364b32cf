# RDS instances: one written out in full, the others leaving encryption, backups and deletion
# protection to the provider's defaults, or setting them to weak or null values.
provider "aws" {
  region = "eu-west-1"
}

variable "db_password" {
  type      = string
  sensitive = true
  default   = "change-me-in-ci"
}

variable "reporting_retention" {
  type    = number
  default = null
}

resource "aws_db_subnet_group" "main" {
  name       = "orders"
  subnet_ids = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
}

resource "aws_db_instance" "orders" {
  identifier              = "orders-prod"
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = "db.r6g.large"
  allocated_storage       = 100
  username                = "orders"
  password                = var.db_password
  db_subnet_group_name    = aws_db_subnet_group.main.name
  storage_encrypted       = true
  kms_key_id              = "arn:aws:kms:eu-west-1:111122223333:key/5f0e9d8c-7b6a-4958-8473-62514f3e2d1c"
  backup_retention_period = 14
  deletion_protection     = true
  publicly_accessible     = false
  multi_az                = true
  skip_final_snapshot     = false
}

# Everything left to the defaults: storage_encrypted (false), backup_retention_period (AWS picks),
# deletion_protection (false), publicly_accessible (false).
resource "aws_db_instance" "legacy" {
  identifier          = "legacy-mysql"
  engine              = "mysql"
  engine_version      = "8.0.36"
  instance_class      = "db.t3.medium"
  allocated_storage   = 20
  username            = "admin"
  password            = var.db_password
  skip_final_snapshot = true
}

resource "aws_db_instance" "reporting" {
  identifier              = "reporting"
  engine                  = "postgres"
  instance_class          = "db.t4g.large"
  allocated_storage       = 50
  username                = "report"
  password                = var.db_password
  storage_encrypted       = false
  backup_retention_period = var.reporting_retention
  deletion_protection     = false
  publicly_accessible     = true
  skip_final_snapshot     = true
}

resource "aws_db_instance" "replica" {
  identifier              = "orders-replica"
  replicate_source_db     = aws_db_instance.orders.identifier
  instance_class          = "db.r6g.large"
  storage_encrypted       = true
  backup_retention_period = 0
  deletion_protection     = true
  skip_final_snapshot     = true
}

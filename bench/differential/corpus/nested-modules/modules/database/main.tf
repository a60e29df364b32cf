variable "name" {
  type = string
}

variable "critical" {
  type = bool
}

resource "aws_db_instance" "this" {
  identifier                  = var.name
  engine                      = "postgres"
  instance_class              = var.critical ? "db.r6g.large" : "db.t4g.micro"
  allocated_storage           = 20
  username                    = "app"
  manage_master_user_password = true
  storage_encrypted           = var.critical ? true : null
  backup_retention_period     = var.critical ? 14 : 1
  deletion_protection         = var.critical
  skip_final_snapshot         = !var.critical
}

# A read replica only where the environment is critical.
resource "aws_db_instance" "replica" {
  count                   = var.critical ? 1 : 0
  identifier              = "${var.name}-replica"
  replicate_source_db     = aws_db_instance.this.identifier
  instance_class          = "db.r6g.large"
  storage_encrypted       = true
  backup_retention_period = 7
  deletion_protection     = true
  skip_final_snapshot     = true
}

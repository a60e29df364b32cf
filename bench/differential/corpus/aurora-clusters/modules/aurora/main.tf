variable "name" {
  type = string
}

variable "instances" {
  type    = number
  default = 1
}

variable "encrypted" {
  type    = bool
  default = null
}

variable "deletion_protection" {
  type    = bool
  default = null
}

variable "public" {
  type    = bool
  default = false
}

resource "aws_rds_cluster" "this" {
  cluster_identifier          = var.name
  engine                      = "aurora-mysql"
  engine_version              = "8.0.mysql_aurora.3.05.2"
  master_username             = "app"
  manage_master_user_password = true
  storage_encrypted           = var.encrypted
  deletion_protection         = var.deletion_protection
  backup_retention_period     = 7
  skip_final_snapshot         = true
}

resource "aws_rds_cluster_instance" "this" {
  count               = var.instances
  identifier          = "${var.name}-${count.index}"
  cluster_identifier  = aws_rds_cluster.this.id
  instance_class      = "db.r6g.large"
  engine              = aws_rds_cluster.this.engine
  publicly_accessible = var.public
}

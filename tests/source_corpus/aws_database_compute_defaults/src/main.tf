provider "aws" {
  region = "us-east-1"
}

variable "db_password" {
  type      = string
  sensitive = true
  default   = "change-me-please"
}

resource "aws_db_instance" "legacy" {
  identifier        = "legacy"
  engine            = "mysql"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
  username          = "admin"
  password          = var.db_password
}

resource "aws_db_instance" "orders" {
  identifier              = "orders"
  engine                  = "postgres"
  instance_class          = "db.t3.small"
  allocated_storage       = 50
  username                = "orders"
  password                = var.db_password
  storage_encrypted       = true
  backup_retention_period = 14
  deletion_protection     = true
}

resource "aws_rds_cluster" "aurora" {
  cluster_identifier = "analytics"
  engine             = "aurora-postgresql"
  master_username    = "analytics"
  master_password    = var.db_password
}

resource "aws_instance" "bastion" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
}

resource "aws_instance" "web" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.small"
  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }
  root_block_device {
    encrypted   = true
    volume_size = 20
  }
}

resource "aws_launch_template" "workers" {
  name = "workers"
  metadata_options {
    http_tokens = "optional"
  }
}

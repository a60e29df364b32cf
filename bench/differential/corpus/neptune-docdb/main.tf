# Graph and document databases: the same storage_encrypted / deletion_protection /
# backup_retention_period arguments as RDS, on other resource types.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_neptune_cluster" "graph" {
  cluster_identifier                  = "fraud-graph"
  engine                              = "neptune"
  backup_retention_period             = 5
  preferred_backup_window             = "02:00-03:00"
  skip_final_snapshot                 = true
  iam_database_authentication_enabled = true
  apply_immediately                   = true
}

resource "aws_neptune_cluster_instance" "graph" {
  count              = 2
  cluster_identifier = aws_neptune_cluster.graph.id
  engine             = "neptune"
  instance_class     = "db.r6g.large"
  apply_immediately  = true
}

resource "aws_neptune_cluster" "graph_secure" {
  cluster_identifier      = "fraud-graph-v2"
  engine                  = "neptune"
  storage_encrypted       = true
  kms_key_arn             = "arn:aws:kms:eu-west-1:111122223333:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
  deletion_protection     = true
  backup_retention_period = 14
  skip_final_snapshot     = false
}

resource "aws_docdb_cluster" "catalog" {
  cluster_identifier      = "catalog"
  engine                  = "docdb"
  master_username         = "catalog"
  master_password         = "not-a-real-password-1"
  storage_encrypted       = true
  backup_retention_period = 7
  deletion_protection     = true
  skip_final_snapshot     = true
}

variable "name" {
  type = string
}

resource "aws_db_instance" "this" {
  identifier          = var.name
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  username            = "app"
  password            = "not-a-real-password"
  storage_encrypted   = false
  publicly_accessible = true
  skip_final_snapshot = true
}

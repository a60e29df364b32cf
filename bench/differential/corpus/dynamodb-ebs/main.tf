# DynamoDB tables with point-in-time recovery on, off and absent; EBS volumes with encryption on,
# off and left to the account default.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "order_id"

  attribute {
    name = "order_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }
}

resource "aws_dynamodb_table" "sessions" {
  name         = "sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "session_id"

  attribute {
    name = "session_id"
    type = "S"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }
}

resource "aws_dynamodb_table" "carts" {
  name         = "carts"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "cart_id"

  attribute {
    name = "cart_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = false
  }
}

resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 500
  type              = "gp3"
  encrypted         = true
  kms_key_id        = "arn:aws:kms:eu-west-1:111122223333:key/5f0e9d8c-7b6a-4958-8473-62514f3e2d1c"
}

resource "aws_ebs_volume" "cache" {
  availability_zone = "eu-west-1b"
  size              = 100
  type              = "gp3"
}

resource "aws_ebs_volume" "scratch" {
  count             = 2
  availability_zone = "eu-west-1c"
  size              = 50
  encrypted         = false
}

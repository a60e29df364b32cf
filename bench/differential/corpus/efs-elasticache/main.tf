# EFS file systems (encryption, backup policy as its own resource) and access points, and ElastiCache:
# a Redis replication group module called for prod and dev, a Redis cluster, a Memcached cluster and
# a cluster on the default subnet group.
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

resource "aws_kms_key" "data" {
  description         = "file systems and caches"
  enable_key_rotation = true
}

resource "aws_efs_file_system" "shared" {
  creation_token = "shared"
  encrypted      = true
  kms_key_id     = aws_kms_key.data.arn
}

resource "aws_efs_backup_policy" "shared" {
  file_system_id = aws_efs_file_system.shared.id
  backup_policy {
    status = "ENABLED"
  }
}

resource "aws_efs_file_system" "scratch" {
  creation_token = "scratch"
}

resource "aws_efs_access_point" "app" {
  file_system_id = aws_efs_file_system.shared.id

  posix_user {
    uid = 1000
    gid = 1000
  }

  root_directory {
    path = "/app"
    creation_info {
      owner_uid   = 1000
      owner_gid   = 1000
      permissions = "0750"
    }
  }
}

# The whole file system, as whoever the client claims to be.
resource "aws_efs_access_point" "admin" {
  file_system_id = aws_efs_file_system.shared.id

  root_directory {
    path = "/"
  }
}

resource "aws_efs_access_point" "legacy" {
  file_system_id = aws_efs_file_system.scratch.id
}

resource "aws_elasticache_subnet_group" "private" {
  name       = "cache-private"
  subnet_ids = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
}

module "sessions" {
  source      = "./modules/cache"
  name        = "sessions-prod"
  replicas    = 2
  encrypted   = true
  subnet_group = aws_elasticache_subnet_group.private.name
  kms_key_id  = aws_kms_key.data.arn
}

module "sessions_dev" {
  source       = "./modules/cache"
  name         = "sessions-dev"
  replicas     = 1
  encrypted    = false
  subnet_group = aws_elasticache_subnet_group.private.name
  kms_key_id   = null
}

resource "aws_elasticache_cluster" "rate_limits" {
  cluster_id               = "rate-limits"
  engine                   = "redis"
  node_type                = "cache.t4g.small"
  num_cache_nodes          = 1
  subnet_group_name        = aws_elasticache_subnet_group.private.name
  snapshot_retention_limit = 5
}

resource "aws_elasticache_cluster" "fragments" {
  cluster_id                 = "fragments"
  engine                     = "memcached"
  node_type                  = "cache.t4g.small"
  num_cache_nodes            = 2
  subnet_group_name          = aws_elasticache_subnet_group.private.name
  auto_minor_version_upgrade = false
}

# On the default subnet group, no backups, minor upgrades off.
resource "aws_elasticache_cluster" "legacy" {
  cluster_id                 = "legacy"
  engine                     = "redis"
  node_type                  = "cache.t3.micro"
  num_cache_nodes            = 1
  auto_minor_version_upgrade = false
}

variable "name" {
  type = string
}

variable "replicas" {
  type = number
}

variable "encrypted" {
  type = bool
}

variable "subnet_group" {
  type = string
}

variable "kms_key_id" {
  type    = string
  default = null
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id       = var.name
  description                = "session store ${var.name}"
  engine                     = "redis"
  node_type                  = "cache.r7g.large"
  num_cache_clusters         = var.replicas
  subnet_group_name          = var.subnet_group
  automatic_failover_enabled = var.replicas > 1
  multi_az_enabled           = var.replicas > 1
  at_rest_encryption_enabled = var.encrypted
  kms_key_id                 = var.kms_key_id
  transit_encryption_enabled = var.encrypted
  snapshot_retention_limit   = var.replicas > 1 ? 7 : 0
}

variable "buckets" {
  default = {
    logs    = { retention = 30, public = false }
    assets  = { retention = 7, public = true }
    "a b"   = { retention = 1, public = false }
  }
}

variable "regions" {
  type    = set(string)
  default = ["us-east-1", "eu-west-1"]
}

resource "null_resource" "bucket" {
  for_each = var.buckets
  triggers = {
    name      = each.key
    retention = each.value.retention
    public    = each.value.public
  }
}

resource "null_resource" "region" {
  for_each = var.regions
  triggers = {
    region = each.value
    key    = each.key
  }
}

resource "null_resource" "filtered" {
  for_each = { for k, v in var.buckets : k => v if !v.public }
  triggers = {
    retention_of = null_resource.bucket[each.key].triggers.retention
  }
}

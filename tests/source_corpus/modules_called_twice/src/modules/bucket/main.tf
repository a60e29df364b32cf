variable "name" {
  type = string
}

variable "analytics_destination" {
  type    = string
  default = null
}

resource "null_resource" "bucket" {
  triggers = {
    bucket = var.name
  }
}

resource "null_resource" "analytics" {
  count = var.analytics_destination == null ? 0 : 1

  triggers = {
    bucket      = null_resource.bucket.triggers["bucket"]
    destination = var.analytics_destination
  }
}

output "name" {
  value = null_resource.bucket.triggers["bucket"]
}

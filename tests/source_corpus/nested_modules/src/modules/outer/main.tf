variable "env" {}

module "db" {
  source = "../inner"
  label  = "db-${var.env}"
}

module "cache" {
  source = "../inner"
  label  = "cache-${var.env}"
}

resource "null_resource" "outer" {
  triggers = {
    db = module.db.value
  }
}

output "inner_value" {
  value = module.cache.value
}

locals {
  common_tags = {
    team = "payments"
    env  = "prod"
  }
}

module "api" {
  source   = "./modules/service"
  name     = "api"
  replicas = 2
  tags     = local.common_tags
}

module "worker" {
  source  = "./modules/service"
  name    = "worker"
  enabled = false
  tags    = local.common_tags
}

# each bucket sends its analytics to the other one
module "raw" {
  source                = "./modules/bucket"
  name                  = "acme-raw"
  analytics_destination = module.curated.name
}

module "curated" {
  source                = "./modules/bucket"
  name                  = "acme-curated"
  analytics_destination = module.raw.name
}

module "scratch" {
  source = "./modules/bucket"
  name   = "acme-scratch"
}

resource "null_resource" "dashboard" {
  triggers = {
    services = join(",", concat(module.api.names, module.worker.names))
    alarm    = coalesce(module.worker.alarm_target, module.api.alarm_target)
    buckets  = "${module.raw.name} ${module.curated.name}"
  }
}

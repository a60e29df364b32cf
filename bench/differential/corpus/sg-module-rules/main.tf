# A security group module called for two services; only the first opens SSH to the internet,
# through an aws_security_group_rule with `count = var.allow_ssh ? 1 : 0`.
provider "aws" {
  region = "eu-west-1"
}

module "legacy_app" {
  source    = "./modules/service_sg"
  name      = "legacy-app"
  allow_ssh = true
}

module "api" {
  source    = "./modules/service_sg"
  name      = "api"
  allow_ssh = false
}

module "admin" {
  source    = "./modules/service_sg"
  for_each  = { eu = false, us = true }
  name      = "admin-${each.key}"
  allow_rdp = each.value
}

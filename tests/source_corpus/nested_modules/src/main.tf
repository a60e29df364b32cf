module "platform" {
  source = "./modules/outer"
  env    = "staging"
}

resource "null_resource" "root" {
  triggers = {
    inner_value = module.platform.inner_value
  }
}

module "labels" {
  source = "git::https://example.com/acme/terraform-labels.git?ref=v1.2.0"
  name   = "api"
  env    = "prod"
}

module "labels_batch" {
  source = "git::https://example.com/acme/terraform-labels.git?ref=v1.2.0"
  name   = "batch"
  env    = "staging"
}

resource "null_resource" "app" {
  for_each = {
    api   = module.labels.id
    batch = module.labels_batch.id
  }
  triggers = {
    label = each.value
  }
}

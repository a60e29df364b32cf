variable "regions" {
  type    = list(string)
  default = ["eu-west-1", "us-east-1"]
}

resource "null_resource" "seed" {}

# read while planning: every input is known
data "null_data_source" "naming" {
  count = length(var.regions)
  inputs = {
    region = var.regions[count.index]
    prefix = "acme"
  }
}

# read during apply: an input is only known after apply
data "null_data_source" "from_resource" {
  inputs = {
    seed = null_resource.seed.id
    app  = "billing"
  }
}

# read during apply: depends_on a managed resource
data "null_data_source" "after_seed" {
  inputs = {
    app = "billing"
  }
  depends_on = [null_resource.seed]
}

data "null_data_source" "by_region" {
  for_each = toset(var.regions)
  inputs = {
    name = "${data.null_data_source.naming[0].outputs["prefix"]}-${each.key}"
  }
}

resource "null_resource" "regional" {
  for_each = data.null_data_source.by_region
  triggers = {
    name = each.value.outputs["name"]
  }
}

resource "null_resource" "consumer" {
  triggers = {
    known   = data.null_data_source.naming[1].outputs["region"]
    seed    = data.null_data_source.from_resource.outputs["app"]
    waiting = data.null_data_source.after_seed.outputs["app"]
  }
}

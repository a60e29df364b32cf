data "null_data_source" "naming" {
  inputs = {
    prefix = "acme"
    env    = "prod"
  }
}

resource "null_resource" "named" {
  triggers = {
    name   = "${data.null_data_source.naming.outputs["prefix"]}-app"
    static = "always-known"
  }
}

variable "app" {
  default = "shop"
}

variable "envs" {
  default = ["dev", "prod"]
}

locals {
  prefix   = "${var.app}-${local.suffix}"
  suffix   = "v2"
  greeting = <<-EOT
    Hello ${upper(var.app)}!
    %{ for e in var.envs ~}
    env: ${e}
    %{ endfor ~}
  EOT
  flag     = "%{ if var.app == "shop" }retail%{ else }other%{ endif }"
  plain    = <<EOT
no indent ${local.suffix}
EOT
}

resource "null_resource" "tpl" {
  triggers = {
    prefix   = local.prefix
    greeting = local.greeting
    flag     = local.flag
    plain    = local.plain
    math     = 7 * 3 + 10 / 4 - 5 % 3
    neg      = -2 + 1
    cmp      = 3 >= 2 && !(1 == 2) || false
  }
}

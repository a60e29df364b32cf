variable "networks" {
  default = {
    app = {
      cidr  = "10.10.0.0/16"
      tiers = ["public", "private"]
    }
    data = {
      cidr  = "10.20.0.0/16"
      tiers = ["private"]
    }
  }
}

variable "zones" {
  default = ["a", "b"]
}

locals {
  subnets = flatten([
    for net, cfg in var.networks : [
      for t_index, tier in cfg.tiers : [
        for z_index, zone in var.zones : {
          key  = "${net}-${tier}-${zone}"
          net  = net
          tier = tier
          cidr = cidrsubnet(cfg.cidr, 8, t_index * 10 + z_index)
        }
      ]
    ]
  ])
  pairs = setproduct(keys(var.networks), var.zones)
}

resource "null_resource" "subnet" {
  for_each = { for s in local.subnets : s.key => s }
  triggers = {
    cidr   = each.value.cidr
    public = tostring(each.value.tier == "public")
    name   = upper(replace(each.key, "-", "_"))
  }
}

resource "null_resource" "route" {
  count = length(local.pairs)
  triggers = {
    net  = local.pairs[count.index][0]
    zone = local.pairs[count.index][1]
  }
}

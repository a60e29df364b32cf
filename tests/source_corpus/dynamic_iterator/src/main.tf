terraform {
  required_providers {
    lxd = {
      source = "terraform-lxd/lxd"
    }
  }
}

locals {
  nics = [
    { name = "eth0", parent = "br0" },
    { name = "eth1", parent = "br1" },
  ]
  profiles = toset(["small", "large"])
}

resource "lxd_profile" "net" {
  for_each    = local.profiles
  name        = "net-${each.key}"
  description = "profile ${each.value}"
  config = {
    "limits.memory" = each.key == "large" ? "4GB" : "1GB"
  }

  dynamic "device" {
    for_each = local.nics
    iterator = nic
    content {
      name = nic.value.name
      type = "nic"
      properties = {
        nictype = "bridged"
        parent  = nic.value.parent
        index   = nic.key
      }
    }
  }
}

resource "null_resource" "marker" {
  triggers = {
    small = lxd_profile.net["small"].name
    id    = lxd_profile.net["large"].id
  }
}

terraform {
  required_providers {
    lxd = {
      source = "terraform-lxd/lxd"
    }
  }
}

variable "profiles" {
  default = {
    web = {
      cpu   = 2
      disks = { data = "/srv/web", logs = "/var/log/web" }
      nic   = true
    }
    batch = {
      cpu   = 8
      disks = {}
      nic   = false
    }
  }
}

locals {
  mounted = { for name, p in var.profiles : name => { for d, path in p.disks : d => path if d != "logs" } }
}

resource "lxd_profile" "p" {
  for_each = var.profiles
  name     = each.key
  config = {
    "limits.cpu" = each.value.cpu
  }

  dynamic "device" {
    for_each = local.mounted[each.key]
    iterator = disk
    content {
      name = "disk-${disk.key}"
      type = "disk"
      properties = {
        path   = disk.value
        source = "/host${disk.value}"
      }
    }
  }

  dynamic "device" {
    for_each = each.value.nic ? ["eth0"] : []
    content {
      name = device.value
      type = "nic"
      properties = {
        nictype = "bridged"
        parent  = "lxdbr0"
      }
    }
  }

  device {
    name = "root"
    type = "disk"
    properties = {
      path = "/"
      pool = "default"
    }
  }
}

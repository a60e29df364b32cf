terraform {
  required_providers {
    lxd = {
      source = "terraform-lxd/lxd"
    }
  }
}

variable "disks" {
  default = {
    data = "/srv/data"
    logs = "/srv/logs"
  }
}

resource "lxd_profile" "web" {
  name   = "web"
  config = { "limits.cpu" = 2, "boot.autostart" = true }

  dynamic "device" {
    for_each = var.disks
    content {
      name = device.key
      type = "disk"
      properties = {
        path   = device.value
        source = "/host${device.value}"
      }
    }
  }

  device {
    name = "eth0"
    type = "nic"
    properties = {
      nictype = "bridged"
      parent  = "lxdbr0"
    }
  }
}

resource "lxd_profile" "empty_dynamic" {
  name = "empty"
  dynamic "device" {
    for_each = []
    content {
      name       = "never"
      type       = "disk"
      properties = {}
    }
  }
}

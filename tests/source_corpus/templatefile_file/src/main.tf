variable "ports" {
  default = [80, 443]
}

resource "null_resource" "cfg" {
  triggers = {
    rendered = templatefile("${path.module}/templates/config.tpl", { name = "edge", ports = var.ports })
    raw      = file("${path.module}/templates/motd.txt")
    exists   = fileexists("${path.module}/templates/nope.txt")
  }
}

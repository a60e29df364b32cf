variable "name" {
  type = string
}

variable "instances" {
  type    = number
  default = 1
}

variable "extra" {
  type    = list(string)
  default = []
}

variable "from_file" {
  type    = string
  default = "default"
}

resource "null_resource" "app" {
  count = var.instances
  triggers = {
    name  = "${var.name}-${count.index}"
    extra = join("+", var.extra)
    file  = var.from_file
  }
}

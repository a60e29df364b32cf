variable "region" {
  default = "eu-west-1"
}

variable "owner" {
  type = string
}

variable "size" {
  type    = number
  default = 1
}

variable "tags" {
  type    = map(string)
  default = {}
}

resource "null_resource" "deploy" {
  triggers = merge(var.tags, {
    region = var.region
    owner  = var.owner
    size   = var.size
  })
}

variable "name" {
  type = string
}

variable "env" {
  type = string
}

module "suffix" {
  source = "./modules/suffix"
  env    = var.env
}

resource "null_resource" "label" {
  triggers = {
    id = "${var.env}-${var.name}${module.suffix.value}"
  }
}

output "id" {
  value = null_resource.label.triggers["id"]
}

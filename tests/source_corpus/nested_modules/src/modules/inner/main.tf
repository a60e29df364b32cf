variable "label" {}

resource "null_resource" "inner" {
  triggers = {
    label = var.label
  }
}

output "value" {
  value = upper(var.label)
}

variable "env" {
  type = string
}

output "value" {
  value = var.env == "prod" ? "" : "-${var.env}"
}

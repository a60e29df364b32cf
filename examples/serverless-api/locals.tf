locals {
  name = "${var.service}-${var.environment}"

  common_tags = {
    owner         = var.owner
    environment   = var.environment
    "cost-center" = var.cost_center
    service       = var.service
  }
}

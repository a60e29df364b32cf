locals {
  name = "${var.app_name}-${var.environment}"

  common_tags = {
    owner         = var.owner
    environment   = var.environment
    "cost-center" = var.cost_center
    application   = var.app_name
  }

  user_data = <<-EOT
    #!/bin/bash
    systemctl enable --now storefront.service
  EOT
}

resource "null_resource" "config" {
  triggers = {
    env       = var.env
    replicas  = var.replicas
    first     = var.zones[0]
    zones     = join(",", var.zones)
    team      = var.labels["team"]
    tier      = var.labels.tier
    size      = var.settings.size
    backups   = var.settings.backups
    maybe     = var.nullable_thing == null ? "unset" : "set"
  }
}

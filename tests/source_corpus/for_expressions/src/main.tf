variable "users" {
  default = {
    alice = { role = "admin", active = true }
    bob   = { role = "dev", active = false }
    carol = { role = "dev", active = true }
  }
}

locals {
  active       = [for name, u in var.users : name if u.active]
  roles        = { for name, u in var.users : name => upper(u.role) }
  by_role      = { for name, u in var.users : u.role => name... }
  numbered     = [for i, n in ["a", "b", "c"] : "${i}:${n}"]
  splat_roles  = values(var.users)[*].role
}

resource "null_resource" "report" {
  triggers = {
    active   = join(",", local.active)
    roles    = jsonencode(local.roles)
    by_role  = jsonencode(local.by_role)
    numbered = join(" ", local.numbered)
    splat    = join(",", local.splat_roles)
  }
}

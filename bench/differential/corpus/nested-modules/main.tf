# A platform module per environment (for_each), which calls a storage and a database module; the
# environments differ only in their inputs.
provider "aws" {
  region = "eu-west-1"
}

module "platform" {
  source = "./modules/platform"
  for_each = {
    prod = { critical = true }
    dev  = { critical = false }
  }
  env      = each.key
  critical = each.value.critical
}

# The database module called from the root too, for a shared reporting database.
module "shared_db" {
  source   = "./modules/database"
  name     = "reporting-shared"
  critical = true
}

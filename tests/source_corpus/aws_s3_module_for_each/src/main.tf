provider "aws" {
  region = "us-east-1"
}

variable "buckets" {
  type = map(object({
    public = bool
  }))
  default = {
    raw     = { public = false }
    website = { public = true }
  }
}

module "data" {
  source   = "./modules/bucket"
  for_each = var.buckets
  name     = "acme-${each.key}"
  public   = each.value.public
}

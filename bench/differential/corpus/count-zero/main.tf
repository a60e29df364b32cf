# Resources switched off with count = 0 (and a module with count = 0, a for_each over an empty map):
# none of them will exist, however noncompliant they are written.
provider "aws" {
  region = "eu-west-1"
}

variable "enable_legacy" {
  type    = bool
  default = false
}

resource "aws_s3_bucket" "legacy_exports" {
  count  = var.enable_legacy ? 1 : 0
  bucket = "acme-legacy-exports"
}

resource "aws_kms_key" "legacy" {
  count               = 0
  enable_key_rotation = false
}

resource "aws_security_group" "legacy" {
  count = var.enable_legacy ? 1 : 0
  name  = "legacy-open"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ebs_volume" "scratch" {
  count             = 0
  availability_zone = "eu-west-1a"
  size              = 100
}

module "legacy_db" {
  source = "./modules/db"
  count  = var.enable_legacy ? 1 : 0
  name   = "legacy"
}

module "tenant_db" {
  source   = "./modules/db"
  for_each = {}
  name     = each.key
}

# The one resource that does exist.
resource "aws_kms_key" "current" {
  description         = "current"
  enable_key_rotation = true
}

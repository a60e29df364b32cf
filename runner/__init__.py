"""tfguard: continuous compliance for Terraform on terraform-compliance."""

__version__ = "0.1.0"
RESULT_SCHEMA_VERSION = "1.1"

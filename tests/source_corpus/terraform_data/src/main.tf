variable "version_label" {
  default = "1.4.2"
}

resource "terraform_data" "release" {
  input = {
    version = var.version_label
    build   = 42
    flags   = ["a", "b"]
  }
}

resource "terraform_data" "replace_on" {
  triggers_replace = [var.version_label]
  input            = "static"
}

resource "terraform_data" "chained" {
  input = terraform_data.release.output
}

resource "null_resource" "literals" {
  triggers = {
    name    = "web"
    port    = 8080
    ratio   = 0.5
    enabled = true
    escaped = "a \"quoted\" word and $${not_interpolated}"
    unicode = "caf\u00e9"
  }
}

resource "null_resource" "empty" {}

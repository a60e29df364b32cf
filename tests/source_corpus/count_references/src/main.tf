variable "names" {
  default = ["alpha", "beta", "gamma"]
}

resource "null_resource" "node" {
  count = length(var.names)
  triggers = {
    name  = var.names[count.index]
    index = count.index
  }
}

resource "null_resource" "summary" {
  triggers = {
    first_name = null_resource.node[0].triggers.name
    all_names  = join(",", null_resource.node[*].triggers.name)
    first_id   = null_resource.node[0].id
  }
}

resource "null_resource" "partial" {
  triggers = {
    known   = "fixed"
    unknown = null_resource.node[1].id
  }
}

variable "queues" {
  default = {
    orders   = 3
    payments = 5
  }
}

module "queue" {
  source   = "./modules/queue"
  for_each = var.queues
  name     = each.key
  retries  = each.value
}

module "replica" {
  source  = "./modules/queue"
  count   = 2
  name    = "replica-${count.index}"
  retries = 1
}

resource "null_resource" "index" {
  triggers = {
    names = join(",", [for q in module.queue : q.name])
    first = module.replica[0].name
  }
}

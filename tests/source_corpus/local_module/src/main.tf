module "api" {
  source = "./modules/service"
  name   = "api"
  port   = 8080
}

module "worker" {
  source = "./modules/service"
  name   = "worker"
}

resource "null_resource" "lb" {
  triggers = {
    target      = module.api.endpoint
    worker_port = module.worker.port
    api_id      = module.api.id
  }
}

output "api_endpoint" {
  value = module.api.endpoint
}

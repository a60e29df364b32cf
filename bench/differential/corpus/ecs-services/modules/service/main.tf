variable "name" {
  type = string
}

variable "cluster_id" {
  type = string
}

variable "task_definition" {
  type = string
}

variable "launch_type" {
  type = string
}

variable "platform_version" {
  type    = string
  default = null
}

variable "public_ip" {
  type = bool
}

resource "aws_ecs_service" "this" {
  name             = var.name
  cluster          = var.cluster_id
  task_definition  = var.task_definition
  desired_count    = 2
  launch_type      = var.launch_type
  platform_version = var.platform_version

  network_configuration {
    subnets          = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
    security_groups  = ["sg-0a1b2c3d4e5f60718"]
    assign_public_ip = var.public_ip
  }
}

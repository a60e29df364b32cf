# ECS: clusters with and without Container Insights, task definitions whose container_definitions are
# written with jsonencode (privileged, read-only root filesystem, host PID and host networking,
# credentials in the environment, log configuration), and a service module called for Fargate and for
# an EC2 service with for_each.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_ecs_cluster" "apps" {
  name = "apps"

  setting {
    name  = "containerInsights"
    value = "enhanced"
  }
}

resource "aws_ecs_cluster" "batch" {
  name = "batch"
}

resource "aws_ecs_cluster" "legacy" {
  name = "legacy"

  setting {
    name  = "containerInsights"
    value = "disabled"
  }
}

resource "aws_cloudwatch_log_group" "ecs" {
  name              = "/ecs/apps"
  retention_in_days = 365
}

resource "aws_ecs_task_definition" "web" {
  family                   = "web"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  execution_role_arn       = "arn:aws:iam::111122223333:role/ecs-execution"
  task_role_arn            = "arn:aws:iam::111122223333:role/web-task"

  container_definitions = jsonencode([
    {
      name                   = "web"
      image                  = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2"
      essential              = true
      readonlyRootFilesystem = true
      user                   = "1000:1000"
      portMappings           = [{ containerPort = 8080, protocol = "tcp" }]
      secrets                = [{ name = "DB_PASSWORD", valueFrom = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:web/db" }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = "/ecs/apps"
          awslogs-region        = "eu-west-1"
          awslogs-stream-prefix = "web"
        }
      }
    }
  ])
}

# A monitoring agent on EC2 hosts: privileged, host PID namespace, host networking as root.
resource "aws_ecs_task_definition" "node_agent" {
  family       = "node-agent"
  network_mode = "host"
  pid_mode     = "host"

  container_definitions = jsonencode([
    {
      name       = "agent"
      image      = "public.ecr.aws/acme/node-agent:3.1"
      essential  = true
      privileged = true
      environment = [
        { name = "AWS_ACCESS_KEY_ID", value = "AKIAEXAMPLEEXAMPLE00" },
        { name = "LOG_LEVEL", value = "info" }
      ]
    }
  ])
}

# Host networking, not privileged, user left unset (root); two containers, one without logs.
resource "aws_ecs_task_definition" "proxy" {
  family       = "proxy"
  network_mode = "host"

  container_definitions = jsonencode([
    {
      name                   = "envoy"
      image                  = "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod"
      essential              = true
      readonlyRootFilesystem = true
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = "/ecs/apps"
          awslogs-region        = "eu-west-1"
          awslogs-stream-prefix = "envoy"
        }
      }
    },
    {
      name      = "config-reloader"
      image     = "public.ecr.aws/acme/reloader:0.9"
      essential = false
    }
  ])
}

module "web_service" {
  source           = "./modules/service"
  name             = "web"
  cluster_id       = aws_ecs_cluster.apps.id
  task_definition  = aws_ecs_task_definition.web.arn
  launch_type      = "FARGATE"
  platform_version = "1.4.0"
  public_ip        = false
}

module "jobs" {
  source   = "./modules/service"
  for_each = {
    reports = { platform = "1.3.0", public_ip = true }
    exports = { platform = null, public_ip = false }
  }
  name             = each.key
  cluster_id       = aws_ecs_cluster.batch.id
  task_definition  = aws_ecs_task_definition.web.arn
  launch_type      = "FARGATE"
  platform_version = each.value.platform
  public_ip        = each.value.public_ip
}

resource "aws_ecs_service" "agent" {
  name                = "node-agent"
  cluster             = aws_ecs_cluster.legacy.id
  task_definition     = aws_ecs_task_definition.node_agent.arn
  launch_type         = "EC2"
  scheduling_strategy = "DAEMON"
}

provider "aws" {
  region = "eu-central-1"
}

variable "ingress_rules" {
  type = list(object({
    port        = number
    cidr_blocks = list(string)
    description = string
  }))
  default = [
    { port = 443, cidr_blocks = ["0.0.0.0/0"], description = "https" },
    { port = 22, cidr_blocks = ["0.0.0.0/0"], description = "ssh from anywhere" },
  ]
}

resource "aws_security_group" "web" {
  name        = "web"
  description = "web tier"
  vpc_id      = "vpc-0abc1234"

  dynamic "ingress" {
    for_each = var.ingress_rules
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = ingress.value.cidr_blocks
      description = ingress.value.description
    }
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "admin" {
  type              = "ingress"
  from_port         = "3389"
  to_port           = "3389"
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
  security_group_id = aws_security_group.web.id
}

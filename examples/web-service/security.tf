resource "aws_security_group" "alb" {
  name        = "${local.name}-alb"
  description = "Public HTTPS entry point of ${local.name}"
  vpc_id      = module.network.vpc_id

  ingress {
    description = "HTTPS from the internet"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "HTTP from the internet (redirected to HTTPS)"
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "To the web tier inside the VPC"
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }

  tags = merge(local.common_tags, { Name = "${local.name}-alb" })
}

resource "aws_security_group" "app" {
  name        = "${local.name}-app"
  description = "Web tier instances of ${local.name}"
  vpc_id      = module.network.vpc_id

  ingress {
    description = "HTTP from the load balancer subnets"
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }

  ingress {
    description = "SSH for on-call debugging"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "Outbound HTTPS (package mirrors, AWS APIs)"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = merge(local.common_tags, { Name = "${local.name}-app" })
}

resource "aws_security_group" "db" {
  name        = "${local.name}-db"
  description = "PostgreSQL of ${local.name}"
  vpc_id      = module.network.vpc_id

  ingress {
    description = "PostgreSQL from the private subnets"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = module.network.private_subnet_cidrs
  }

  tags = merge(local.common_tags, { Name = "${local.name}-db" })
}

resource "aws_security_group" "admin" {
  name        = "${local.name}-admin"
  description = "Windows bastion used by the operations team"
  vpc_id      = module.network.vpc_id

  tags = merge(local.common_tags, { Name = "${local.name}-admin" })
}

resource "aws_security_group_rule" "admin_ingress" {
  for_each = var.admin_ingress

  type              = "ingress"
  description       = "Admin access (${each.key})"
  from_port         = each.value.port
  to_port           = each.value.port
  protocol          = "tcp"
  cidr_blocks       = [each.value.cidr]
  security_group_id = aws_security_group.admin.id
}

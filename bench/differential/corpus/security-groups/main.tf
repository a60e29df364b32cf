# Security groups written in the three styles: inline ingress blocks, aws_security_group_rule and
# aws_vpc_security_group_ingress_rule resources, some open to the internet on admin ports.
provider "aws" {
  region = "eu-west-1"
}

variable "vpc_id" {
  type    = string
  default = "vpc-0123456789abcdef0"
}

resource "aws_security_group" "bastion" {
  name   = "bastion"
  vpc_id = var.vpc_id

  ingress {
    description = "SSH from anywhere"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = var.vpc_id

  ingress {
    description      = "HTTPS"
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }
}

resource "aws_security_group" "windows" {
  name   = "windows-admin"
  vpc_id = var.vpc_id
}

resource "aws_security_group_rule" "windows_rdp" {
  type              = "ingress"
  security_group_id = aws_security_group.windows.id
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_security_group_rule" "windows_winrm" {
  type              = "ingress"
  security_group_id = aws_security_group.windows.id
  from_port         = 5985
  to_port           = 5986
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
}

resource "aws_security_group" "ops" {
  name   = "ops"
  vpc_id = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "ops_all" {
  security_group_id = aws_security_group.ops.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group" "ipv6_ssh" {
  name   = "ipv6-ssh"
  vpc_id = var.vpc_id

  ingress {
    from_port        = 20
    to_port          = 25
    protocol         = "tcp"
    ipv6_cidr_blocks = ["::/0"]
  }
}

resource "aws_security_group" "internal" {
  name   = "internal"
  vpc_id = var.vpc_id

  ingress {
    from_port = 0
    to_port   = 0
    protocol  = "-1"
    self      = true
  }

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.20.0.0/16"]
  }
}

locals {
  partner_rules = {
    sftp  = { port = 22, cidr = "203.0.113.0/24" }
    https = { port = 443, cidr = "0.0.0.0/0" }
  }
}

resource "aws_security_group" "partner" {
  name   = "partner"
  vpc_id = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "partner" {
  for_each          = local.partner_rules
  security_group_id = aws_security_group.partner.id
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_ipv4         = each.value.cidr
}

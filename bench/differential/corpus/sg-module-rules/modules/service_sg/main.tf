variable "name" {
  type = string
}

variable "allow_ssh" {
  type    = bool
  default = false
}

variable "allow_rdp" {
  type    = bool
  default = false
}

resource "aws_security_group" "this" {
  name   = var.name
  vpc_id = "vpc-0123456789abcdef0"
}

resource "aws_security_group_rule" "https" {
  type              = "ingress"
  security_group_id = aws_security_group.this.id
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_security_group_rule" "ssh" {
  count             = var.allow_ssh ? 1 : 0
  type              = "ingress"
  security_group_id = aws_security_group.this.id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_vpc_security_group_ingress_rule" "rdp" {
  count             = var.allow_rdp ? 1 : 0
  security_group_id = aws_security_group.this.id
  ip_protocol       = "tcp"
  from_port         = 3389
  to_port           = 3389
  cidr_ipv4         = "0.0.0.0/0"
}

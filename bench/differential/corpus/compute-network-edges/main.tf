# Compute and network edges: instances with and without a public address, EBS optimisation and
# detailed monitoring; a legacy launch configuration behind an Auto Scaling group and a launch template
# with a public interface; subnets, a transit gateway, network ACLs (inline rules and rule resources),
# default security groups, and security groups open on every port.
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

resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_flow_log" "main" {
  vpc_id          = aws_vpc.main.id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::acme-flow-logs"
  log_destination_type = "s3"
}

resource "aws_default_security_group" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc" "legacy" {
  cidr_block = "10.30.0.0/16"
}

# The legacy VPC's default group keeps a rule that lets its members talk to each other.
resource "aws_default_security_group" "legacy" {
  vpc_id = aws_vpc.legacy.id

  ingress {
    protocol  = -1
    self      = true
    from_port = 0
    to_port   = 0
  }
}

resource "aws_vpc" "sandbox" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 4, count.index)
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.20.200.0/24"
  map_public_ip_on_launch = true
}

resource "aws_ec2_transit_gateway" "hub" {
  description                     = "hub"
  auto_accept_shared_attachments  = "enable"
  default_route_table_association = "enable"
}

resource "aws_ec2_transit_gateway" "spoke" {
  description = "spoke"
}

resource "aws_network_acl" "public" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.public.id]

  ingress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 443
    to_port    = 443
  }

  ingress {
    rule_no    = 110
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 22
    to_port    = 22
  }
}

resource "aws_network_acl" "private" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_network_acl_rule" "private_rdp" {
  network_acl_id = aws_network_acl.private.id
  rule_number    = 200
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 3389
  to_port        = 3389
}

resource "aws_network_acl_rule" "private_https" {
  network_acl_id = aws_network_acl.private.id
  rule_number    = 100
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "10.0.0.0/8"
  from_port      = 443
  to_port        = 443
}

resource "aws_security_group" "open_all" {
  name   = "debug-open"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_security_group_ingress_rule" "web_http" {
  security_group_id = aws_security_group.web.id
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_instance" "web" {
  count                       = 2
  ami                         = "ami-0a1b2c3d4e5f60718"
  instance_type               = "m7g.large"
  subnet_id                   = aws_subnet.private[count.index].id
  associate_public_ip_address = false
  monitoring                  = true
  ebs_optimized               = true

  metadata_options {
    http_tokens = "required"
  }

  root_block_device {
    encrypted = true
  }
}

resource "aws_instance" "bastion" {
  ami                         = "ami-0a1b2c3d4e5f60718"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.public.id
  associate_public_ip_address = true
  ebs_optimized               = false

  metadata_options {
    http_tokens = "required"
  }

  root_block_device {
    encrypted = true
  }
}

resource "aws_launch_configuration" "workers" {
  name_prefix                 = "workers-"
  image_id                    = "ami-0a1b2c3d4e5f60718"
  instance_type               = "c7g.large"
  associate_public_ip_address = true

  metadata_options {
    http_tokens                 = "optional"
    http_put_response_hop_limit = 2
  }

  root_block_device {
    encrypted = true
  }
}

resource "aws_autoscaling_group" "workers" {
  name                 = "workers"
  launch_configuration = aws_launch_configuration.workers.name
  min_size             = 1
  max_size             = 4
  vpc_zone_identifier  = aws_subnet.private[*].id
}

resource "aws_launch_configuration" "batch" {
  name_prefix   = "batch-"
  image_id      = "ami-0a1b2c3d4e5f60718"
  instance_type = "c7g.large"

  metadata_options {
    http_tokens = "required"
  }

  root_block_device {
    encrypted = true
  }
}

resource "aws_launch_template" "edge" {
  name_prefix   = "edge-"
  image_id      = "ami-0a1b2c3d4e5f60718"
  instance_type = "t3.small"

  metadata_options {
    http_tokens = "required"
  }

  network_interfaces {
    device_index                = 0
    associate_public_ip_address = false
    subnet_id                   = aws_subnet.private[0].id
  }

  network_interfaces {
    device_index                = 1
    associate_public_ip_address = true
    subnet_id                   = aws_subnet.public.id
  }
}

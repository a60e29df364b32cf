variable "name" {
  type = string
}

variable "instance_count" {
  type = number
}

variable "zone_aware" {
  type = bool
}

variable "kms_key_id" {
  type = string
}

variable "admin_role_arn" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

resource "aws_security_group" "search" {
  name   = "${var.name}-search"
  vpc_id = "vpc-0a1b2c3d4e5f60718"

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_opensearch_domain" "this" {
  domain_name    = var.name
  engine_version = "OpenSearch_2.13"

  cluster_config {
    instance_type          = "r6g.large.search"
    instance_count         = var.instance_count
    zone_awareness_enabled = var.zone_aware

    dynamic "zone_awareness_config" {
      for_each = var.zone_aware ? [1] : []
      content {
        availability_zone_count = 3
      }
    }
  }

  ebs_options {
    ebs_enabled = true
    volume_size = 100
  }

  vpc_options {
    subnet_ids         = var.subnet_ids
    security_group_ids = [aws_security_group.search.id]
  }

  encrypt_at_rest {
    enabled    = true
    kms_key_id = var.kms_key_id
  }

  node_to_node_encryption {
    enabled = true
  }

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"
  }

  advanced_security_options {
    enabled                        = true
    anonymous_auth_enabled         = false
    internal_user_database_enabled = false
    master_user_options {
      master_user_arn = var.admin_role_arn
    }
  }
}

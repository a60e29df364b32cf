# EC2 instances with and without metadata_options, root_block_device and ebs_block_device.
provider "aws" {
  region = "eu-west-1"
}

variable "ami" {
  type    = string
  default = "ami-0c1bc246476a5572b"
}

# A small web fleet written without metadata_options or root_block_device: the AMI and account
# defaults apply (IMDSv1 allowed, root volume not encrypted unless EBS default encryption is on).
resource "aws_instance" "web" {
  count         = 2
  ami           = var.ami
  instance_type = "t3.small"
  subnet_id     = "subnet-0a1b2c3d4e5f60718"

  tags = {
    Name = "web-${count.index}"
  }
}

resource "aws_instance" "worker" {
  ami           = var.ami
  instance_type = "m6i.large"

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "optional"
  }

  root_block_device {
    volume_type = "gp3"
    volume_size = 50
    encrypted   = false
  }

  ebs_block_device {
    device_name = "/dev/sdf"
    volume_size = 200
    encrypted   = true
  }
}

resource "aws_instance" "bastion" {
  ami           = var.ami
  instance_type = "t3.micro"

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  root_block_device {
    volume_type = "gp3"
    encrypted   = true
  }

  ebs_block_device {
    device_name = "/dev/sdg"
    volume_size = 20
    encrypted   = false
  }
}

resource "aws_instance" "batch" {
  for_each      = { small = "t3.medium", large = "c6i.2xlarge" }
  ami           = var.ami
  instance_type = each.value

  metadata_options {
    http_tokens = "required"
  }

  root_block_device {
    encrypted  = true
    kms_key_id = "alias/acme-ebs"
  }
}

# Launch templates for an autoscaling group, and an instance launched from a template that does not
# repeat the metadata options itself.
provider "aws" {
  region = "us-east-1"
}

resource "aws_launch_template" "app" {
  name_prefix   = "app-"
  image_id      = "ami-0c1bc246476a5572b"
  instance_type = "m6i.large"

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 40
      volume_type = "gp3"
      encrypted   = true
    }
  }
}

resource "aws_launch_template" "legacy" {
  name_prefix   = "legacy-"
  image_id      = "ami-0c1bc246476a5572b"
  instance_type = "t3.large"

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 30
      encrypted   = false
    }
  }
}

resource "aws_autoscaling_group" "app" {
  name                = "app"
  min_size            = 2
  max_size            = 6
  vpc_zone_identifier = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]

  launch_template {
    id      = aws_launch_template.app.id
    version = "$Latest"
  }
}

resource "aws_instance" "from_template" {
  launch_template {
    id      = aws_launch_template.app.id
    version = "$Latest"
  }
}

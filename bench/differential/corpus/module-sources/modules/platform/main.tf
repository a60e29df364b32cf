module "jobs_queue" {
  source = "git::https://github.com/acme/terraform-aws-queue.git?ref=main"
  name   = "platform-jobs"
}

resource "aws_sns_topic" "platform" {
  name              = "platform"
  kms_master_key_id = "alias/aws/sns"
}

locals {
  name = "${var.project}-${var.environment}"

  common_tags = {
    owner         = var.owner
    environment   = var.environment
    "cost-center" = var.cost_center
    project       = var.project
  }

  glue_policy_arns = {
    service  = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
    pipeline = aws_iam_policy.pipeline.arn
    debug    = aws_iam_policy.debug.arn
  }
}

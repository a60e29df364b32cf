provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  prefix  = "arn:${data.aws_partition.current.partition}"
}

data "aws_iam_policy_document" "assume_lambda" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "reports_read" {
  statement {
    sid     = "ReadReports"
    actions = ["s3:GetObject", "s3:ListBucket"]
    resources = [
      "${local.prefix}:s3:::acme-reports-${local.account}",
      "${local.prefix}:s3:::acme-reports-${local.account}/*",
    ]
  }
  statement {
    sid       = "DecryptReports"
    actions   = ["kms:Decrypt"]
    resources = ["${local.prefix}:kms:${data.aws_region.current.name}:${local.account}:key/*"]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${data.aws_region.current.name}.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "ops_admin" {
  source_policy_documents = [data.aws_iam_policy_document.reports_read.json]
  statement {
    sid       = "Everything"
    actions   = ["*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "queue_writer" {
  statement {
    actions   = ["sqs:*"]
    resources = ["${local.prefix}:sqs:${data.aws_region.current.name}:${local.account}:orders"]
  }
}

resource "aws_iam_role" "reporter" {
  name               = "reporter"
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
}

resource "aws_iam_role_policy" "reporter_read" {
  name   = "read-reports"
  role   = aws_iam_role.reporter.id
  policy = data.aws_iam_policy_document.reports_read.json
}

resource "aws_iam_policy" "ops_admin" {
  name   = "ops-admin"
  policy = data.aws_iam_policy_document.ops_admin.json
}

resource "aws_iam_policy" "queue_writer" {
  name   = "queue-writer"
  policy = data.aws_iam_policy_document.queue_writer.json
}

resource "aws_iam_policy" "inline_json" {
  name = "inline-json"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "*"
    }]
  })
}

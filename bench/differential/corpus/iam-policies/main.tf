# IAM policies in the usual spellings: jsonencode, a heredoc, an aws_iam_policy_document data source,
# an inline_policy block of a role; and permissions given to users directly.
provider "aws" {
  region = "us-east-1"
}

resource "aws_iam_policy" "admin" {
  name = "break-glass-admin"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })
}

resource "aws_iam_policy" "s3_full" {
  name = "etl-s3"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:*"]
      Resource = ["arn:aws:s3:::acme-etl", "arn:aws:s3:::acme-etl/*"]
    }]
  })
}

resource "aws_iam_policy" "deny_all_outside_region" {
  name   = "deny-outside-eu"
  policy = <<-JSON
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Deny",
          "Action": "*",
          "Resource": "*",
          "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1"]}}
        }
      ]
    }
  JSON
}

resource "aws_iam_policy" "readonly" {
  name = "reports-readonly"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:ListBucket"]
      Resource = ["arn:aws:s3:::acme-reports", "arn:aws:s3:::acme-reports/*"]
    }]
  })
}

data "aws_iam_policy_document" "ops" {
  statement {
    effect    = "Allow"
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "ops" {
  name   = "ops-from-document"
  policy = data.aws_iam_policy_document.ops.json
}

resource "aws_iam_role" "deployer" {
  name = "deployer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "codebuild.amazonaws.com" }
    }]
  })

  inline_policy {
    name = "deploy-everything"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
    })
  }
}

resource "aws_iam_role_policy" "deployer_logs" {
  name = "logs"
  role = aws_iam_role.deployer.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = "*" }]
  })
}

resource "aws_iam_user" "ci" {
  name = "ci-legacy"
}

resource "aws_iam_user_policy" "ci" {
  name = "ci-inline"
  user = aws_iam_user.ci.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["ecr:GetAuthorizationToken"], Resource = "*" }]
  })
}

resource "aws_iam_user_policy_attachment" "ci_readonly" {
  user       = aws_iam_user.ci.name
  policy_arn = aws_iam_policy.readonly.arn
}

resource "aws_iam_group" "analysts" {
  name = "analysts"
}

resource "aws_iam_policy_attachment" "reports" {
  name       = "reports-readonly"
  policy_arn = aws_iam_policy.readonly.arn
  groups     = [aws_iam_group.analysts.name]
  users      = [aws_iam_user.ci.name]
}

resource "aws_iam_group_policy_attachment" "analysts" {
  group      = aws_iam_group.analysts.name
  policy_arn = aws_iam_policy.readonly.arn
}

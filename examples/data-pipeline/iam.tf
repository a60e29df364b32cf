resource "aws_iam_role" "glue" {
  name = "${local.name}-glue"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "glue.amazonaws.com" }
    }]
  })

  tags = local.common_tags
}

resource "aws_iam_policy" "pipeline" {
  name        = "${local.name}-pipeline"
  description = "Least-privilege access of the pipeline to its own data"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "DataLake"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]
        Resource = flatten([for b in module.bucket : [b.bucket_arn, "${b.bucket_arn}/*"]])
      },
      {
        Sid      = "Stream"
        Effect   = "Allow"
        Action   = ["kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream"]
        Resource = aws_kinesis_stream.events.arn
      },
      {
        Sid      = "Checkpoints"
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
        Resource = [aws_dynamodb_table.checkpoints.arn, aws_dynamodb_table.job_runs.arn]
      },
      {
        Sid      = "Kms"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = aws_kms_key.data.arn
      },
    ]
  })

  tags = local.common_tags
}

# "Temporary" break-glass policy that was never removed.
resource "aws_iam_policy" "debug" {
  name        = "${local.name}-debug"
  description = "Temporary full access while debugging the transform job"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })

  tags = local.common_tags
}

resource "aws_iam_role_policy_attachment" "glue" {
  for_each = local.glue_policy_arns

  role       = aws_iam_role.glue.name
  policy_arn = each.value
}

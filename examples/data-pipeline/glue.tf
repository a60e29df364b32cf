resource "aws_glue_catalog_database" "lake" {
  name         = replace(local.name, "-", "_")
  description  = "Curated clickstream tables"
  location_uri = "s3://${module.bucket["curated"].bucket_name}/tables/"

  tags = local.common_tags
}

resource "aws_glue_security_configuration" "this" {
  name = "${local.name}-glue"

  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "SSE-KMS"
      kms_key_arn                = aws_kms_key.data.arn
    }

    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = aws_kms_key.data.arn
    }

    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = aws_kms_key.data.arn
    }
  }
}

resource "aws_cloudwatch_log_group" "glue" {
  name              = "/aws-glue/jobs/${local.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.data.arn

  tags = local.common_tags
}

resource "aws_glue_job" "transform" {
  count = var.enable_transform ? 1 : 0

  name                   = "${local.name}-transform"
  role_arn               = aws_iam_role.glue.arn
  glue_version           = "4.0"
  worker_type            = "G.1X"
  number_of_workers      = 2
  timeout                = 60
  security_configuration = aws_glue_security_configuration.this.name

  command {
    name            = "glueetl"
    script_location = "s3://${module.bucket["raw"].bucket_name}/jobs/transform.py"
    python_version  = "3"
  }

  default_arguments = {
    "--job-language"                     = "python"
    "--enable-continuous-cloudwatch-log" = "true"
    "--continuous-log-logGroup"          = aws_cloudwatch_log_group.glue.name
    "--source_path"                      = "s3://${module.bucket["raw"].bucket_name}/events/"
    "--target_path"                      = "s3://${module.bucket["curated"].bucket_name}/tables/"
  }

  tags = local.common_tags
}

# Container registries, an EKS cluster, Lambda functions and an API Gateway stage.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_ecr_repository" "api" {
  name                 = "api"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_ecr_repository" "tools" {
  name = "tools"
}

resource "aws_kms_key" "eks" {
  description         = "EKS secrets"
  enable_key_rotation = true
}

resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::111122223333:role/eks-cluster"

  vpc_config {
    subnet_ids              = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
    endpoint_private_access = true
    endpoint_public_access  = false
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.eks.arn
    }
  }
}

resource "aws_eks_cluster" "sandbox" {
  name     = "sandbox"
  role_arn = "arn:aws:iam::111122223333:role/eks-cluster"

  vpc_config {
    subnet_ids = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
  }
}

resource "aws_lambda_function" "resize" {
  function_name = "resize"
  role          = "arn:aws:iam::111122223333:role/lambda-resize"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "resize.zip"

  tracing_config {
    mode = "Active"
  }
}

resource "aws_lambda_function" "legacy_report" {
  function_name = "legacy-report"
  role          = "arn:aws:iam::111122223333:role/lambda-report"
  runtime       = "python3.7"
  handler       = "report.handler"
  filename      = "report.zip"
}

resource "aws_api_gateway_rest_api" "api" {
  name = "public-api"
}

resource "aws_cloudwatch_log_group" "api_access" {
  name              = "/apigw/public-api"
  retention_in_days = 365
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id          = aws_api_gateway_rest_api.api.id
  deployment_id        = "abc123"
  stage_name           = "prod"
  xray_tracing_enabled = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api_access.arn
    format          = "{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\",\"status\":\"$context.status\"}"
  }
}

resource "aws_api_gateway_stage" "test" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "abc123"
  stage_name    = "test"
}

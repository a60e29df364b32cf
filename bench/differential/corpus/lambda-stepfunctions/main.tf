# Lambda functions from a module called per event source (S3 and SNS invoke asynchronously, API
# Gateway synchronously), dead-letter queues, permissions for a service and for anyone, function URLs,
# and Step Functions state machines with and without logging and tracing.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_sqs_queue" "dlq" {
  name                    = "lambda-dlq"
  sqs_managed_sse_enabled = true
}

module "thumbnails" {
  source     = "./modules/function"
  name       = "thumbnails"
  principal  = "s3.amazonaws.com"
  source_arn = "arn:aws:s3:::acme-uploads"
  with_dlq   = true
  dlq_arn    = aws_sqs_queue.dlq.arn
}

module "notifier" {
  source     = "./modules/function"
  name       = "notifier"
  principal  = "sns.amazonaws.com"
  source_arn = "arn:aws:sns:eu-west-1:111122223333:alerts"
  dlq_arn    = null
}

module "api_handler" {
  source     = "./modules/function"
  name       = "api-handler"
  principal  = "apigateway.amazonaws.com"
  source_arn = "arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5/*"
  dlq_arn    = null
}

resource "aws_lambda_function" "public_hook" {
  function_name = "public-hook"
  role          = "arn:aws:iam::111122223333:role/lambda-public-hook"
  runtime       = "nodejs22.x"
  handler       = "index.handler"
  filename      = "hook.zip"
}

resource "aws_lambda_permission" "public_hook" {
  statement_id  = "AllowAnyone"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.public_hook.function_name
  principal     = "*"
}

resource "aws_lambda_function_url" "public_hook" {
  function_name      = aws_lambda_function.public_hook.function_name
  authorization_type = "NONE"
}

resource "aws_lambda_function_url" "api_handler" {
  function_name      = module.api_handler.function_name
  authorization_type = "AWS_IAM"
}

resource "aws_cloudwatch_log_group" "orders_flow" {
  name              = "/aws/vendedlogs/states/orders"
  retention_in_days = 365
}

resource "aws_sfn_state_machine" "orders" {
  name     = "orders"
  role_arn = "arn:aws:iam::111122223333:role/sfn-orders"
  definition = jsonencode({
    StartAt = "Done"
    States  = { Done = { Type = "Succeed" } }
  })

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.orders_flow.arn}:*"
    level                  = "ERROR"
    include_execution_data = false
  }

  tracing_configuration {
    enabled = true
  }
}

resource "aws_sfn_state_machine" "nightly" {
  name     = "nightly"
  role_arn = "arn:aws:iam::111122223333:role/sfn-nightly"
  definition = jsonencode({
    StartAt = "Done"
    States  = { Done = { Type = "Succeed" } }
  })

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.orders_flow.arn}:*"
    level                  = "OFF"
    include_execution_data = true
  }
}

resource "aws_sfn_state_machine" "adhoc" {
  name     = "adhoc"
  role_arn = "arn:aws:iam::111122223333:role/sfn-adhoc"
  definition = jsonencode({
    StartAt = "Done"
    States  = { Done = { Type = "Succeed" } }
  })
}

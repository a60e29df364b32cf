# API Gateway REST APIs (v1) and HTTP APIs (v2): stages with method settings (logging, caching), a
# client certificate and a WAF association written as their own resources, methods with and without
# authorization, custom domain names, and HTTP API stages and routes.
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

resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  parent_id   = aws_api_gateway_rest_api.orders.root_resource_id
  path_part   = "orders"
}

resource "aws_api_gateway_method" "list_orders" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

# An API key identifies the caller, it does not authenticate it.
resource "aws_api_gateway_method" "create_order" {
  rest_api_id      = aws_api_gateway_rest_api.orders.id
  resource_id      = aws_api_gateway_resource.orders.id
  http_method      = "POST"
  authorization    = "NONE"
  api_key_required = true
}

resource "aws_api_gateway_method" "orders_cors" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_method" "delete_order" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "DELETE"
  authorization = "NONE"
}

resource "aws_api_gateway_deployment" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_client_certificate" "orders" {
  description = "orders backend"
}

resource "aws_cloudwatch_log_group" "orders_access" {
  name              = "/apigw/orders"
  retention_in_days = 365
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id           = aws_api_gateway_rest_api.orders.id
  deployment_id         = aws_api_gateway_deployment.orders.id
  stage_name            = "prod"
  xray_tracing_enabled  = true
  client_certificate_id = aws_api_gateway_client_certificate.orders.id

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.orders_access.arn
    format          = "$context.requestId $context.identity.sourceIp $context.httpMethod $context.resourcePath $context.status"
  }
}

resource "aws_api_gateway_method_settings" "prod" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"

  settings {
    logging_level        = "ERROR"
    metrics_enabled      = true
    caching_enabled      = true
    cache_data_encrypted = true
  }
}

resource "aws_wafv2_web_acl" "api" {
  name  = "api"
  scope = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "common"
    priority = 1
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesCommonRuleSet"
        vendor_name = "AWS"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "common"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "api"
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_association" "prod" {
  resource_arn = aws_api_gateway_stage.prod.arn
  web_acl_arn  = aws_wafv2_web_acl.api.arn
}

# The test stage: no certificate, no WAF, method settings that cache without encryption and log nothing.
resource "aws_api_gateway_stage" "test" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "test"
}

resource "aws_api_gateway_method_settings" "test" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.test.stage_name
  method_path = "*/*"

  settings {
    logging_level   = "OFF"
    metrics_enabled = false
    caching_enabled = true
  }
}

resource "aws_api_gateway_domain_name" "orders" {
  domain_name              = "orders.example.com"
  regional_certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
  security_policy          = "TLS_1_2"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

# security_policy left to AWS (TLS_1_0 for a REST API domain name).
resource "aws_api_gateway_domain_name" "legacy" {
  domain_name              = "legacy.example.com"
  regional_certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

# --- HTTP API (v2) ------------------------------------------------------------------------------------
resource "aws_apigatewayv2_api" "webhooks" {
  name          = "webhooks"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  api_id           = aws_apigatewayv2_api.webhooks.id
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]
  name             = "jwt"
  jwt_configuration {
    audience = ["webhooks"]
    issuer   = "https://auth.example.com/"
  }
}

resource "aws_apigatewayv2_route" "receive" {
  api_id             = aws_apigatewayv2_api.webhooks.id
  route_key          = "POST /receive"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.jwt.id
}

resource "aws_apigatewayv2_route" "ping" {
  api_id    = aws_apigatewayv2_api.webhooks.id
  route_key = "GET /ping"
}

resource "aws_cloudwatch_log_group" "webhooks_access" {
  name              = "/apigw/webhooks"
  retention_in_days = 365
}

resource "aws_apigatewayv2_stage" "live" {
  api_id      = aws_apigatewayv2_api.webhooks.id
  name        = "live"
  auto_deploy = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.webhooks_access.arn
    format = jsonencode({
      requestId = "$context.requestId"
      ip        = "$context.identity.sourceIp"
      routeKey  = "$context.routeKey"
      status    = "$context.status"
    })
  }
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.webhooks.id
  name        = "$default"
  auto_deploy = true
}

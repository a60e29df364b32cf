output "api_endpoint" {
  description = "Invoke URL of the HTTP API."
  value       = aws_apigatewayv2_stage.default.invoke_url
}

output "function_names" {
  description = "Lambda function name per short name."
  value       = { for k, f in aws_lambda_function.fn : k => f.function_name }
}

output "orders_queue_url" {
  description = "URL of the orders queue."
  value       = module.orders_queue.queue_url
}

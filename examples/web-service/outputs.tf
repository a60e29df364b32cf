output "alb_dns_name" {
  description = "Public DNS name of the load balancer."
  value       = aws_lb.web.dns_name
}

output "assets_bucket" {
  description = "Bucket holding the static assets."
  value       = aws_s3_bucket.assets.bucket
}

output "db_endpoint" {
  description = "Connection endpoint of the PostgreSQL database."
  value       = aws_db_instance.db.endpoint
}

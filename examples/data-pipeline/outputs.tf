output "stream_name" {
  description = "Name of the ingest Kinesis stream."
  value       = aws_kinesis_stream.events.name
}

output "bucket_names" {
  description = "Data lake bucket per layer."
  value       = { for k, b in module.bucket : k => b.bucket_name }
}

output "kms_key_arn" {
  description = "ARN of the data key."
  value       = aws_kms_key.data.arn
}

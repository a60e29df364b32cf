from_file = "prod-file"
instances = 3

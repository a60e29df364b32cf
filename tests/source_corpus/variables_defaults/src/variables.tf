variable "env" {
  type    = string
  default = "dev"
}

variable "replicas" {
  type    = number
  default = "3"
}

variable "zones" {
  type    = list(string)
  default = ["eu-west-1a", "eu-west-1b"]
}

variable "labels" {
  type = map(string)
  default = {
    team = "payments"
    tier = 2
  }
}

variable "settings" {
  type = object({
    size    = string
    backups = bool
  })
  default = {
    size    = "small"
    backups = true
  }
}

variable "nullable_thing" {
  default = null
}

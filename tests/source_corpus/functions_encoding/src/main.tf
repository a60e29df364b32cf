variable "vpc_cidr" {
  default = "10.0.0.0/16"
}

resource "null_resource" "encoding" {
  triggers = {
    json        = jsonencode({ b = [1, 2], a = "x<y", c = null, d = true })
    jsondecoded = jsondecode("{\"k\": \"v\"}").k
    subnet0     = cidrsubnet(var.vpc_cidr, 8, 0)
    subnet7     = cidrsubnet(var.vpc_cidr, 8, 7)
    subnet_v6   = cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)
    host        = cidrhost("10.1.2.0/24", 5)
    netmask     = cidrnetmask("172.16.0.0/12")
    subnets     = join(",", cidrsubnets("10.1.0.0/16", 4, 4, 8))
    b64         = base64encode("hello")
    b64d        = base64decode("aGVsbG8=")
    md5         = md5("hello")
    sha1        = sha1("hello")
    sha256      = sha256("hello")
    b64sha256   = base64sha256("hello")
    urlencode   = urlencode("a b&c")
    tostring    = tostring(42)
    tonumber    = tonumber("42") + 1
    tobool      = tobool("true")
    tomap       = jsonencode(tomap({ a = "1" }))
    toset       = join(",", toset(["b", "a", "b"]))
    tolist      = length(tolist(["a"]))
    abs         = abs(-4)
    ceil        = ceil(4.2)
    floor       = floor(4.8)
    pow         = pow(2, 10)
    parseint    = parseint("ff", 16)
    signum      = signum(-3)
  }
}

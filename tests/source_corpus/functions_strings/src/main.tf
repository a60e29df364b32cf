locals {
  name = "  Payment Service  "
}

resource "null_resource" "strings" {
  triggers = {
    format     = format("%s-%03d-%.2f-%v", "app", 7, 3.14159, true)
    formatlist = join(",", formatlist("%s=%s", ["a", "b"], ["1", "2"]))
    join       = join("/", ["a", "b", "c"])
    split      = element(split(",", "x,y,z"), 1)
    lower      = lower("ABC")
    upper      = upper("abc")
    title      = title("hello world")
    trimspace  = trimspace(local.name)
    replace    = replace("a-b-c", "-", "_")
    regex_repl = replace("v1.2.3", "/[.]/", "_")
    substr     = substr("terraform", 0, 5)
    trimprefix = trimprefix("prod-db", "prod-")
    trimsuffix = trimsuffix("db.example.com", ".com")
    regex      = regex("[0-9]+", "abc123def")
    length     = length("hello")
    chomp      = chomp("line\n")
    strrev     = strrev("abc")
    indent     = indent(2, "a\nb")
  }
}

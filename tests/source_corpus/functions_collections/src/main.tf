locals {
  base   = { a = "1", b = "2" }
  extra  = { b = "20", c = "3" }
  nested = [["x", "y"], ["z"], []]
}

resource "null_resource" "collections" {
  triggers = {
    merge      = jsonencode(merge(local.base, local.extra))
    concat     = join(",", concat(["a"], ["b", "c"]))
    lookup     = lookup(local.base, "a", "none")
    lookup_def = lookup(local.base, "zz", "none")
    element    = element(["p", "q", "r"], 4)
    length     = length(local.extra)
    keys       = join(",", keys(local.extra))
    values     = join(",", values(local.extra))
    zipmap     = jsonencode(zipmap(["k1", "k2"], ["v1", "v2"]))
    flatten    = join(",", flatten(local.nested))
    distinct   = join(",", distinct(["a", "b", "a"]))
    coalesce   = coalesce("", "fallback")
    try        = try(local.base.missing, "tried")
    can        = can(local.base.missing)
    contains   = contains(["a", "b"], "b")
    index      = index(["a", "b", "c"], "c")
    range      = join(",", range(3))
    slice      = join(",", slice(["a", "b", "c", "d"], 1, 3))
    sort       = join(",", sort(["b", "c", "a"]))
    reverse    = join(",", reverse(["1", "2", "3"]))
    compact    = join(",", compact(["a", "", "b"]))
    one        = one(["only"])
    sum        = sum([1, 2, 3.5])
    max        = max(3, 9, 1)
    min        = min(3, 9, 1)
    setunion   = join(",", setunion(["a", "b"], ["b", "c"]))
    alltrue    = alltrue([true, true])
    anytrue    = anytrue([false, true])
    chunklist  = length(chunklist(["a", "b", "c"], 2))
    transpose  = jsonencode(transpose({ a = ["1", "2"], b = ["2"] }))
  }
}

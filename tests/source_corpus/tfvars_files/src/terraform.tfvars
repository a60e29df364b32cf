owner = "team-a"
size  = 2
tags = {
  cost_center = "cc-42"
}

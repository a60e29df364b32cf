Feature: Network guardrails
  Guardrails for security groups, VPC flow logs and load balancer listeners.
  Security group checks look at each aws_security_group together with the rules attached to it: inline
  ingress blocks, aws_security_group_rule resources (type = "ingress") and
  aws_vpc_security_group_ingress_rule resources. The engine attaches a rule resource to its group only when
  security_group_id references the group resource (security_group_id = aws_security_group.NAME.id), so a
  rule whose group is managed outside the plan is not seen. Findings name the security group.

  @id:NET-001 @severity:critical @control:CIS-5.2 @control:FSBP-EC2.13
  Scenario: Security groups do not allow SSH from 0.0.0.0/0
    Any rule whose port range or protocol ("-1", all traffic) includes TCP 22 counts.
    Remediation: Remove 0.0.0.0/0 from the `cidr_blocks` of every inline `ingress` block and every
      `aws_security_group_rule` (type "ingress") of the group whose port range covers 22 (including
      protocol "-1"). Allow SSH only from a bastion or VPN range, or use AWS Systems Manager Session Manager.
    Given I have aws_security_group defined
    When it contains ingress
    Then it must not have tcp protocol and port 22 for 0.0.0.0/0

  @id:NET-002 @severity:critical @control:CIS-5.2 @control:FSBP-EC2.14
  Scenario: Security groups do not allow RDP from 0.0.0.0/0
    Any rule whose port range or protocol ("-1", all traffic) includes TCP 3389 counts.
    Remediation: Remove 0.0.0.0/0 from the `cidr_blocks` of every inline `ingress` block and every
      `aws_security_group_rule` (type "ingress") of the group whose port range covers 3389 (including
      protocol "-1"). Allow RDP only from a VPN range, or use Fleet Manager / Session Manager port forwarding.
    Given I have aws_security_group defined
    When it contains ingress
    Then it must not have tcp protocol and port 3389 for 0.0.0.0/0

  @id:NET-003 @severity:critical @control:CIS-5.3 @control:FSBP-EC2.54
  Scenario: Security groups do not allow SSH, RDP or all traffic from ::/0
    Reports a group with an inline ingress block or aws_security_group_rule whose ipv6_cidr_blocks contain
    ::/0 and whose protocol is "-1" (all traffic) or TCP with a port range that covers 22 or 3389.
    Remediation: Remove "::/0" from the `ipv6_cidr_blocks` of those inline `ingress` blocks and
      `aws_security_group_rule` resources; allow administration ports only from specific IPv6 ranges and
      never open protocol "-1" to the internet.
    Given I have aws_security_group defined
    # each rule as the engine renders it (JSON strings that parse as numbers become numbers): {'from_port': 22, 'ipv6_cidr_blocks': ['::/0'], 'protocol': 'tcp', ...}
    When its ingress has "(?=.*'ipv6_cidr_blocks': \[[^\]]*'::/0')(?:(?=.*'protocol': (?:-1|'-1'|'all')\W)|(?=.*'protocol': (?:'tcp'|6\W|'6'))(?:(?=.*'from_port': (?:\d|1\d|2[0-2])\W)(?=.*'to_port': (?:2[2-9]|[3-9]\d|\d\d\d+)\W)|(?=.*'from_port': (?:\d\d?\d?|[12]\d\d\d|3[0-2]\d\d|33[0-7]\d|338\d)\W)(?=.*'to_port': (?:3389|339\d|3[4-9]\d\d|[4-9]\d\d\d|\d\d\d\d\d)\W)))" regex
    Then it must fail

  @id:NET-004 @severity:critical @control:CIS-5.2 @control:CIS-5.3 @control:FSBP-EC2.53 @control:FSBP-EC2.54
  Scenario: Security group ingress rule resources do not allow SSH, RDP or all traffic from the internet
    Reports a group with an aws_vpc_security_group_ingress_rule whose cidr_ipv4 is 0.0.0.0/0 or cidr_ipv6
    is ::/0 and whose ip_protocol is "-1" or TCP with a port range that covers 22 or 3389.
    Remediation: Change `cidr_ipv4 = "0.0.0.0/0"` / `cidr_ipv6 = "::/0"` on those
      `aws_vpc_security_group_ingress_rule` resources to a specific range (bastion, VPN) or a
      `referenced_security_group_id`, and never use `ip_protocol = "-1"` for a rule open to the internet.
    Given I have aws_security_group defined
    # each rule as the engine renders it (JSON strings that parse as numbers become numbers): {'cidr_ipv4': '0.0.0.0/0', 'from_port': 22, 'ip_protocol': 'tcp', ...}
    When its aws_vpc_security_group_ingress_rule has "(?=.*'cidr_ipv(?:4': '0\.0\.0\.0/0'|6': '::/0'))(?:(?=.*'ip_protocol': (?:-1|'-1'|'all')\W)|(?=.*'ip_protocol': (?:'tcp'|6\W|'6'))(?:(?=.*'from_port': (?:\d|1\d|2[0-2])\W)(?=.*'to_port': (?:2[2-9]|[3-9]\d|\d\d\d+)\W)|(?=.*'from_port': (?:\d\d?\d?|[12]\d\d\d|3[0-2]\d\d|33[0-7]\d|338\d)\W)(?=.*'to_port': (?:3389|339\d|3[4-9]\d\d|[4-9]\d\d\d|\d\d\d\d\d)\W)))" regex
    Then it must fail

  @id:NET-005 @severity:medium @control:CIS-3.9 @control:FSBP-EC2.6
  Scenario: VPCs have flow logs
    Remediation: Add an `aws_flow_log` with `vpc_id = aws_vpc.<name>.id`, `traffic_type = "ALL"` (at least
      "REJECT") and a `log_destination` (CloudWatch Logs group with `iam_role_arn`, or an S3 bucket ARN
      with `log_destination_type = "s3"`).
    Given I have aws_vpc defined
    Then it must contain aws_flow_log

  @id:NET-006 @severity:high @control:FSBP-ELB.1
  Scenario: HTTP load balancer listeners redirect to HTTPS
    Remediation: Give every `aws_lb_listener` with `protocol = "HTTP"` a
      `default_action { type = "redirect" redirect { port = "443" protocol = "HTTPS" status_code = "HTTP_301" } }`
      and serve the application from an HTTPS listener.
    Given I have aws_lb_listener defined
    When its protocol is HTTP
    Then it must contain redirect

  @id:NET-007 @severity:high @control:FSBP-ELB.1
  Scenario: Load balancer listener redirects go to HTTPS
    Remediation: Set `protocol = "HTTPS"` in the `redirect` block of the listener's `default_action`
      (the default "#{protocol}" keeps plain HTTP).
    Given I have aws_lb_listener defined
    When it contains redirect
    When it contains protocol
    Then its value must match the "^HTTPS$" regex

  @id:NET-008 @severity:high @control:FSBP-ELB.17
  Scenario: HTTPS and TLS load balancer listeners choose their TLS policy
    Remediation: Set `ssl_policy` on every `aws_lb_listener` with `protocol = "HTTPS"` or "TLS", for
      example `ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"`; without it AWS applies the old
      ELBSecurityPolicy-2016-08 default, which allows TLS 1.0.
    Given I have aws_lb_listener defined
    When its protocol is "^(HTTPS|TLS)$" regex
    Then it must contain ssl_policy

  @id:NET-009 @severity:high @control:FSBP-ELB.17
  Scenario: HTTPS and TLS load balancer listeners use a modern TLS policy
    Remediation: Set `ssl_policy` to one of "ELBSecurityPolicy-TLS13-1-2-2021-06",
      "ELBSecurityPolicy-TLS13-1-2-Res-2021-06" or "ELBSecurityPolicy-FS-1-2-Res-2020-10" (TLS 1.2+ with
      forward secrecy).
    Given I have aws_lb_listener defined
    When its protocol is "^(HTTPS|TLS)$" regex
    When it contains ssl_policy
    Then its value must match the "^(ELBSecurityPolicy-TLS13-1-2-2021-06|ELBSecurityPolicy-TLS13-1-2-Res-2021-06|ELBSecurityPolicy-FS-1-2-Res-2020-10)$" regex

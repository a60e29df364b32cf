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

  @id:NET-005 @severity:medium @control:CIS-3.7 @control:FSBP-EC2.6
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

  @id:NET-010 @severity:high @control:FSBP-EC2.2 @control:CIS-5.4
  Scenario: Default security groups allow no traffic
    Rules allowing inbound traffic are reported first, then rules allowing outbound traffic.

    Remediation: Declare the VPC's `aws_default_security_group` without `ingress` and `egress` blocks
      (Terraform then removes every rule) and put workloads in their own `aws_security_group`s.
    Given I have aws_default_security_group defined
    Then it must not contain ingress
    And it must not contain egress

  @id:NET-011 @severity:high @control:FSBP-EC2.2 @control:CIS-5.4
  Scenario: VPCs take over their default security group
    The engine attaches an aws_default_security_group to the VPC that its vpc_id references.

    Remediation: Add an `aws_default_security_group` with `vpc_id = aws_vpc.<name>.id` and no `ingress`
      or `egress` blocks; without it the default security group keeps AWS's rules (all traffic between
      its members, all outbound traffic).
    Given I have aws_vpc defined
    Then it must contain aws_default_security_group

  @id:NET-012 @severity:high @control:FSBP-EC2.21 @control:CIS-5.1
  Scenario: Network ACLs do not allow SSH or RDP from the internet (inline rules)
    Allow rules with protocol -1 (all traffic), or TCP with a port range covering 22 or 3389, from
    0.0.0.0/0 or ::/0 are reported; deny rules are not.

    Remediation: In the `ingress` blocks of the `aws_network_acl`, replace `cidr_block = "0.0.0.0/0"` /
      `ipv6_cidr_block = "::/0"` on allow rules whose port range covers 22 or 3389 (or protocol "-1")
      with your VPN or bastion range.
    Given I have aws_network_acl defined
    # each rule as the engine renders it: {'action': 'allow', 'cidr_block': '0.0.0.0/0', 'from_port': 22, ...}
    When its ingress has "(?=.*'action': 'allow')(?=.*'(?:cidr_block': '0\.0\.0\.0/0'|ipv6_cidr_block': '::/0'))(?:(?=.*'protocol': (?:-1|'-1'|'all')\W)|(?=.*'protocol': (?:'tcp'|6\W|'6'))(?:(?=.*'from_port': (?:\d|1\d|2[0-2])\W)(?=.*'to_port': (?:2[2-9]|[3-9]\d|\d\d\d+)\W)|(?=.*'from_port': (?:\d\d?\d?|[12]\d\d\d|3[0-2]\d\d|33[0-7]\d|338\d)\W)(?=.*'to_port': (?:3389|339\d|3[4-9]\d\d|[4-9]\d\d\d|\d\d\d\d\d)\W)))" regex
    Then it must fail

  @id:NET-013 @severity:high @control:FSBP-EC2.21 @control:CIS-5.1
  Scenario: Network ACLs do not allow SSH or RDP from the internet (rule resources)
    The engine attaches an aws_network_acl_rule to its ACL only when network_acl_id references the ACL
    resource; findings name the ACL.

    Remediation: On the `aws_network_acl_rule` resources of the ACL with `egress = false` and
      `rule_action = "allow"`, replace `cidr_block = "0.0.0.0/0"` / `ipv6_cidr_block = "::/0"` where the
      port range covers 22 or 3389 (or protocol is "-1") with your VPN or bastion range.
    Given I have aws_network_acl defined
    # rules attached through network_acl_id = aws_network_acl.NAME.id, rendered as dicts
    When its aws_network_acl_rule has "(?=.*'egress': False)(?=.*'rule_action': 'allow')(?=.*'(?:cidr_block': '0\.0\.0\.0/0'|ipv6_cidr_block': '::/0'))(?:(?=.*'protocol': (?:-1|'-1'|'all')\W)|(?=.*'protocol': (?:'tcp'|6\W|'6'))(?:(?=.*'from_port': (?:\d|1\d|2[0-2])\W)(?=.*'to_port': (?:2[2-9]|[3-9]\d|\d\d\d+)\W)|(?=.*'from_port': (?:\d\d?\d?|[12]\d\d\d|3[0-2]\d\d|33[0-7]\d|338\d)\W)(?=.*'to_port': (?:3389|339\d|3[4-9]\d\d|[4-9]\d\d\d|\d\d\d\d\d)\W)))" regex
    Then it must fail

  @id:NET-014 @severity:medium @control:FSBP-EC2.15
  Scenario: Subnets do not assign public IP addresses on launch
    Only an explicit true is reported.

    Remediation: Remove `map_public_ip_on_launch = true` from the `aws_subnet` (the default is false);
      give public endpoints an Elastic IP or put them behind a load balancer.
    Given I have aws_subnet defined
    When its map_public_ip_on_launch is true
    Then it must fail

  @id:NET-015 @severity:high @control:FSBP-EC2.23
  Scenario: Transit gateways do not accept shared attachments automatically
    Only an explicit "enable" is reported.

    Remediation: Remove `auto_accept_shared_attachments = "enable"` from the `aws_ec2_transit_gateway`
      (the default is "disable") and accept each attachment with
      `aws_ec2_transit_gateway_vpc_attachment_accepter`.
    Given I have aws_ec2_transit_gateway defined
    When its auto_accept_shared_attachments is enable
    Then it must fail

  @id:NET-016 @severity:low @control:FSBP-EC2.51
  Scenario: Client VPN endpoints log client connections
    connection_log_options is a required block; its enabled flag decides.

    Remediation: Set `connection_log_options { enabled = true cloudwatch_log_group =
      aws_cloudwatch_log_group.<name>.name }` on the `aws_ec2_client_vpn_endpoint`.
    Given I have aws_ec2_client_vpn_endpoint defined
    When it contains connection_log_options
    Then enabled must be enabled

  @id:NET-017 @severity:medium @control:FSBP-EC2.172
  Scenario: VPC block public access is on
    "off" leaves every internet gateway of the Region open.

    Remediation: Set `internet_gateway_block_mode = "block-bidirectional"` (or "block-ingress") on the
      `aws_vpc_block_public_access_options`, and allow the VPCs or subnets that really need internet
      access with `aws_vpc_block_public_access_exclusion`.
    Given I have aws_vpc_block_public_access_options defined
    Then it must contain internet_gateway_block_mode
    And its value must match the "^block-(bidirectional|ingress)$" regex

  @id:NET-018 @severity:medium @control:FSBP-EC2.6 @control:CIS-3.7
  Scenario: VPC flow logs record rejected traffic
    Flow logs without traffic_type (transit gateway flow logs) are not checked; a flow log of accepted
    traffic only misses the rejected connections that show an attack.

    Remediation: Set `traffic_type = "ALL"` (or at least "REJECT") on the `aws_flow_log`.
    Given I have aws_flow_log defined
    When its traffic_type is not None
    Then it must contain traffic_type
    And its value must match the "^(ALL|REJECT)$" regex

  @id:NET-019 @severity:high @control:FSBP-EC2.18 @control:FSBP-EC2.19 @control:FSBP-Redshift.15
  Scenario: Security groups open only ports 80 and 443 to the internet (ingress blocks and aws_security_group_rule)
    A rule open to the internet passes only when it is TCP with from_port and to_port both 80 or both
    443; every other port, range or protocol is reported. This is stricter than the high-risk port list
    of EC2.19, so it covers that control too, and Redshift.15: a Redshift cluster port is 5431-5455 or
    8191-8215, so a group that opens it to the internet is reported whichever cluster uses it. The engine adds an aws_security_group_rule (type ingress)
    whose security_group_id references the group to the group's ingress rules; findings name the
    security group.

    Remediation: Restrict the `cidr_blocks` / `ipv6_cidr_blocks` of every inline `ingress` block of the
      `aws_security_group`, and of every `aws_security_group_rule` with `type = "ingress"`, that opens
      anything other than TCP 80 or 443 to 0.0.0.0/0 or ::/0: use your VPN or corporate ranges, a
      security group reference, or a load balancer in front.
    Given I have aws_security_group defined
    # each rule as the engine renders it: {'cidr_blocks': ['0.0.0.0/0'], 'from_port': 443, 'protocol': 'tcp', ...}
    When its ingress has "(?=.*'(?:cidr_blocks': \[[^\]]*'0\.0\.0\.0/0'|ipv6_cidr_blocks': \[[^\]]*'::/0'))(?!(?=.*'protocol': (?:'tcp'|6\W|'6'))(?=.*'from_port': (80|443)\W)(?=.*'to_port': \1\W))" regex
    Then it must fail

  @id:NET-020 @severity:high @control:FSBP-EC2.18 @control:FSBP-EC2.19 @control:FSBP-Redshift.15
  Scenario: Security groups open only ports 80 and 443 to the internet (aws_vpc_security_group_ingress_rule)
    Findings name the security group that security_group_id references. Like NET-019, this covers
    Redshift.15: no Redshift cluster port is 80 or 443.

    Remediation: Change `cidr_ipv4 = "0.0.0.0/0"` / `cidr_ipv6 = "::/0"` on every
      `aws_vpc_security_group_ingress_rule` that opens anything other than TCP 80 or 443 to a specific
      range or a `referenced_security_group_id`.
    Given I have aws_security_group defined
    # each rule as the engine renders it: {'cidr_ipv4': '0.0.0.0/0', 'from_port': 443, 'ip_protocol': 'tcp', ...}
    When its aws_vpc_security_group_ingress_rule has "(?=.*'cidr_ipv(?:4': '0\.0\.0\.0/0'|6': '::/0'))(?!(?=.*'ip_protocol': (?:'tcp'|6\W|'6'))(?=.*'from_port': (80|443)\W)(?=.*'to_port': \1\W))" regex
    Then it must fail

  @id:NET-021 @severity:medium @control:FSBP-ELB.18
  Scenario: Load balancer listeners use HTTPS or TLS
    Every aws_lb_listener must say protocol = "HTTPS" (Application Load Balancer) or "TLS" (Network Load
    Balancer): HTTP, TCP and UDP listeners carry data in clear text. As in Security Hub, an HTTP
    listener whose only action redirects to HTTPS is reported too; keep it with an exclusion if
    clients still arrive on port 80 (NET-006 and NET-007 check such redirects). An unset protocol is
    reported (AWS then takes HTTP for an Application Load Balancer): set it. A Gateway Load Balancer
    listener (GENEVE, no protocol) needs an exclusion.

    Remediation: Set protocol = "HTTPS" with certificate_arn = aws_acm_certificate.<name>.arn and
      ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06" on the reported aws_lb_listener (protocol = "TLS"
      on a Network Load Balancer), and point clients at it.
    Given I have aws_lb_listener defined
    Then it must contain protocol
    And its value must match the "^(HTTPS|TLS)$" regex

  @id:NET-022 @severity:medium @control:FSBP-EC2.171
  Scenario: Site-to-Site VPN tunnels send their logs to CloudWatch Logs
    Both tunnels of an aws_vpn_connection must say log_enabled = true in
    tunnelN_log_options { cloudwatch_log_options { ... } }. A tunnel without the block, or without
    log_enabled in it, keeps no log of IKE negotiations and tunnel state changes.

    Remediation: Add tunnel1_log_options and tunnel2_log_options blocks, each with
      cloudwatch_log_options { log_enabled = true log_group_arn = aws_cloudwatch_log_group.<name>.arn
      log_output_format = "json" }, to the reported aws_vpn_connection.
    Given I have aws_vpn_connection defined
    Then it must contain log_enabled
    And its value must be true

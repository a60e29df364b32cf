Feature: Load balancer guardrails
  Guardrails for Application, Network and Gateway Load Balancers (aws_lb and its alias aws_alb) and Classic
  Load Balancers (aws_elb). Checks that only apply to Application Load Balancers select them by
  load_balancer_type = "application", the provider default (aws_lb and aws_alb are the only resource types
  of AWS provider v5 with load_balancer_type). Listener checks for aws_lb_listener are in
  network.feature.

  @id:ELB-001 @severity:medium @control:FSBP-ELB.4
  Scenario: Application Load Balancers drop invalid HTTP headers
    drop_invalid_header_fields defaults to false: headers whose names are not valid HTTP tokens are then
    passed to the targets, which helps HTTP desync and request smuggling attacks.

    Remediation: Set drop_invalid_header_fields = true on the reported aws_lb (or aws_alb).
    Given I have resource that supports load_balancer_type defined
    When its load_balancer_type is application
    Then drop_invalid_header_fields must be enabled

  @id:ELB-002 @severity:medium @control:FSBP-ELB.5
  Scenario: Application Load Balancers write access logs
    The access_logs block must say enabled = true; without the block nothing is logged. A load balancer
    without an access_logs block and one whose block says enabled = false are reported in the same run.

    Remediation: Add access_logs { bucket = aws_s3_bucket.<logs>.id prefix = "<name>" enabled = true }
      to the reported aws_lb, with a bucket policy that lets the regional Elastic Load Balancing account
      (or logdelivery.elasticloadbalancing.amazonaws.com) s3:PutObject under the prefix.
    Given I have resource that supports load_balancer_type defined
    When its load_balancer_type is application
    Then it must contain access_logs
    And it must contain enabled
    And its value must be true

  @id:ELB-003 @severity:medium @control:FSBP-ELB.5
  Scenario: Classic Load Balancers write access logs
    Without an access_logs block nothing is logged; in the block enabled defaults to true.

    Remediation: Add access_logs { bucket = aws_s3_bucket.<logs>.id bucket_prefix = "<name>" interval =
      60 } to the reported aws_elb (or remove enabled = false), with a bucket policy that lets the
      regional Elastic Load Balancing account s3:PutObject under the prefix.
    Given I have aws_elb defined
    Then it must contain access_logs
    And it must contain enabled
    And its value must be true

  @id:ELB-004 @severity:medium @control:FSBP-ELB.6
  Scenario: Load balancers have deletion protection
    Applies to Application, Network and Gateway Load Balancers (aws_lb and its alias aws_alb, the only
    resource types of AWS provider v5 with enable_deletion_protection); it defaults to false.

    Remediation: Set enable_deletion_protection = true on the reported aws_lb (or aws_alb). To delete it
      later, first apply a change that sets it to false.
    Given I have resource that supports enable_deletion_protection defined
    Then enable_deletion_protection must be enabled

  @id:ELB-005 @severity:medium @control:FSBP-ELB.12
  Scenario: Application Load Balancers use defensive or strictest desync mitigation
    desync_mitigation_mode defaults to defensive; only monitor is reported.

    Remediation: Remove desync_mitigation_mode = "monitor" from the reported aws_lb (or set it to
      "defensive" or "strictest").
    Given I have resource that supports load_balancer_type defined
    When its load_balancer_type is application
    When its desync_mitigation_mode is monitor
    Then it must fail

  @id:ELB-006 @severity:medium @control:FSBP-ELB.14
  Scenario: Classic Load Balancers use defensive or strictest desync mitigation
    desync_mitigation_mode defaults to defensive; only monitor is reported.

    Remediation: Remove desync_mitigation_mode = "monitor" from the reported aws_elb (or set it to
      "defensive" or "strictest").
    Given I have aws_elb defined
    When its desync_mitigation_mode is monitor
    Then it must fail

  @id:ELB-007 @severity:medium @control:FSBP-ELB.9
  Scenario: Classic Load Balancers balance across zones
    cross_zone_load_balancing defaults to true; only an explicit false is reported.

    Remediation: Remove cross_zone_load_balancing = false from the reported aws_elb (or set it to true).
    Given I have aws_elb defined
    When its cross_zone_load_balancing is false
    Then it must fail

  @id:ELB-008 @severity:medium @control:FSBP-ELB.7
  Scenario: Classic Load Balancers drain connections
    connection_draining defaults to false: in-flight requests are cut when an instance is deregistered
    or fails its health check.

    Remediation: Set connection_draining = true and connection_draining_timeout = 300 (seconds) on the
      reported aws_elb.
    Given I have aws_elb defined
    Then connection_draining must be enabled

  @id:ELB-009 @severity:medium @control:FSBP-ELB.3
  Scenario: Classic Load Balancer listeners terminate HTTPS or TLS
    Reports a Classic Load Balancer with a listener whose lb_protocol is http or tcp.

    Remediation: Change every listener of the reported aws_elb to lb_protocol = "https" (or "ssl") with
      ssl_certificate_id = aws_acm_certificate.<name>.arn, or better migrate to an Application Load
      Balancer with an HTTP listener that redirects to HTTPS.
    Given I have aws_elb defined
    When its listener has ".*'lb_protocol': '(?:http|tcp)'" regex
    Then it must fail

  @id:ELB-010 @severity:medium @control:FSBP-ELB.2
  Scenario: Classic Load Balancers use certificates from ACM
    Reports an HTTPS or SSL listener whose ssl_certificate_id is an IAM server certificate ARN
    (arn:aws:iam::...:server-certificate/...): ACM renews its certificates, IAM server certificates
    expire. A certificate ARN only known after apply (an aws_acm_certificate created in the same plan)
    is taken as an ACM certificate.

    Remediation: Import or request the certificate in ACM (aws_acm_certificate) and set
      ssl_certificate_id = aws_acm_certificate.<name>.arn on the listener of the reported aws_elb.
    Given I have aws_elb defined
    When its listener has ".*'ssl_certificate_id': 'arn:aws[a-z-]*:iam:" regex
    Then it must fail

  @id:ELB-011 @severity:medium @control:FSBP-ELB.16
  Scenario: Application Load Balancers are protected by a WAF web ACL
    An aws_lb with load_balancer_type = "application" (the default) passes when an
    aws_wafv2_web_acl_association, or a legacy AWS WAF Classic aws_wafregional_web_acl_association,
    references it with resource_arn = aws_lb.<name>.arn in the same module instance. ELB-012 checks the
    alias aws_alb. An association whose resource_arn is a literal ARN, or that is made outside this plan
    (Firewall Manager), is not seen: such a load balancer needs an exclusion.

    Remediation: Add an aws_wafv2_web_acl_association with resource_arn = aws_lb.<name>.arn and
      web_acl_arn = aws_wafv2_web_acl.<acl>.arn (a REGIONAL web ACL with at least the AWS managed common
      rule set) for the reported load balancer.
    Given I have aws_lb defined
    When its load_balancer_type is application
    When it does not have aws_wafregional_web_acl_association
    Then it must contain aws_wafv2_web_acl_association

  @id:ELB-012 @severity:medium @control:FSBP-ELB.16
  Scenario: Application Load Balancers declared as aws_alb are protected by a WAF web ACL
    As ELB-011, for the alias aws_alb: an association must reference it with resource_arn =
    aws_alb.<name>.arn in the same module instance.

    Remediation: Add an aws_wafv2_web_acl_association with resource_arn = aws_alb.<name>.arn and
      web_acl_arn = aws_wafv2_web_acl.<acl>.arn for the reported load balancer.
    Given I have aws_alb defined
    When its load_balancer_type is application
    When it does not have aws_wafregional_web_acl_association
    Then it must contain aws_wafv2_web_acl_association

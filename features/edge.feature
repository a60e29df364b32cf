Feature: Edge guardrails
  Guardrails for CloudFront distributions and AWS WAF (v2) web ACLs and rule groups. A CloudFront check that
  reads the origins or cache behaviours judges every origin block and every default and ordered cache
  behaviour of the distribution. A companion aws_wafv2_web_acl_logging_configuration counts for the web ACL
  it references (resource_arn = aws_wafv2_web_acl.NAME.arn).

  @id:CF-001 @severity:medium @control:FSBP-CloudFront.3
  Scenario: CloudFront distributions require HTTPS from viewers
    Every default and ordered cache behaviour must set viewer_protocol_policy to redirect-to-https or
    https-only; allow-all serves the content over plain HTTP.

    Remediation: Set viewer_protocol_policy = "redirect-to-https" (or "https-only") in the
      default_cache_behavior and in every ordered_cache_behavior of the reported
      aws_cloudfront_distribution.
    Given I have aws_cloudfront_distribution defined
    Then it must contain viewer_protocol_policy
    And its value must not match the "^allow-all$" regex

  @id:CF-002 @severity:medium @control:FSBP-CloudFront.9
  Scenario: CloudFront distributions reach custom origins over HTTPS
    Applies to distributions with a custom origin (custom_origin_config). origin_protocol_policy
    http-only is reported; match-viewer with an allow-all viewer policy is reported by CF-001.

    Remediation: Set origin_protocol_policy = "https-only" in the custom_origin_config of every origin
      of the reported aws_cloudfront_distribution, with origin_ssl_protocols = ["TLSv1.2"] and a
      certificate on the origin that matches its domain name.
    Given I have aws_cloudfront_distribution defined
    When it has origin_protocol_policy
    Then it must contain origin_protocol_policy
    And its value must not match the "^http-only$" regex

  @id:CF-003 @severity:medium @control:FSBP-CloudFront.15
  Scenario: CloudFront distributions use a TLS 1.2 security policy for viewers
    minimum_protocol_version must be TLSv1.2_2021 (the recommended policy), TLSv1.2_2025 or
    TLSv1.3_2025. A distribution on the default *.cloudfront.net certificate is always TLSv1 and is
    reported too (see CF-004).

    Remediation: Set minimum_protocol_version = "TLSv1.2_2021" in the viewer_certificate block of the
      reported aws_cloudfront_distribution (with an ACM certificate from us-east-1 and
      ssl_support_method = "sni-only").
    Given I have aws_cloudfront_distribution defined
    Then it must contain minimum_protocol_version
    And its value must match the "^TLSv1\.(2_202[15]|3_2025)$" regex

  @id:CF-004 @severity:medium @control:FSBP-CloudFront.7
  Scenario: CloudFront distributions use a custom TLS certificate
    Reports a distribution whose viewer_certificate sets cloudfront_default_certificate = true (the
    shared *.cloudfront.net certificate, which fixes the viewer policy at TLSv1).

    Remediation: In the viewer_certificate block of the reported aws_cloudfront_distribution replace
      cloudfront_default_certificate = true with acm_certificate_arn = aws_acm_certificate.<name>.arn (a
      certificate in us-east-1 for the distribution's aliases), ssl_support_method = "sni-only" and
      minimum_protocol_version = "TLSv1.2_2021".
    Given I have aws_cloudfront_distribution defined
    When its viewer_certificate has ".*'cloudfront_default_certificate': True" regex
    Then it must fail

  @id:CF-005 @severity:low @control:FSBP-CloudFront.8
  Scenario: CloudFront distributions serve HTTPS with SNI
    ssl_support_method = "vip" gives the distribution dedicated IP addresses at every edge location, at
    a monthly charge, only for clients without SNI support.

    Remediation: Set ssl_support_method = "sni-only" in the viewer_certificate block of the reported
      aws_cloudfront_distribution.
    Given I have aws_cloudfront_distribution defined
    When its viewer_certificate has ".*'ssl_support_method': 'vip'" regex
    Then it must fail

  @id:CF-006 @severity:medium @control:FSBP-CloudFront.5
  Scenario: CloudFront distributions write access logs
    Checks the legacy standard logging block logging_config. A distribution that sends its logs with
    standard logging v2 (aws_cloudwatch_log_delivery_source and aws_cloudwatch_log_delivery) needs an
    exclusion.

    Remediation: Add logging_config { bucket = aws_s3_bucket.<logs>.bucket_domain_name prefix =
      "<name>/" include_cookies = false } to the reported aws_cloudfront_distribution; the log bucket
      needs ACLs enabled (object_ownership = "BucketOwnerPreferred") for CloudFront to write to it.
    Given I have aws_cloudfront_distribution defined
    Then it must contain logging_config

  @id:CF-007 @severity:medium @control:FSBP-CloudFront.6
  Scenario: CloudFront distributions are protected by AWS WAF
    web_acl_id must name a web ACL (a WAFv2 web ACL ARN with scope CLOUDFRONT, or a WAF Classic id). A
    web_acl_id only known after apply (a web ACL created in the same plan) is taken as set.

    Remediation: Set web_acl_id = aws_wafv2_web_acl.<name>.arn on the reported
      aws_cloudfront_distribution, with a web ACL created in us-east-1 with scope = "CLOUDFRONT".
    Given I have aws_cloudfront_distribution defined
    When its web_acl_id is ".*" regex
    Then it must contain web_acl_id
    And its value must match the "^(?!None$).+" regex

  @id:CF-008 @severity:critical @control:FSBP-CloudFront.1
  Scenario: CloudFront distributions have a default root object
    Without default_root_object a request for the distribution's root URL is passed to the origin, which
    may list the bucket or return an error page. A distribution in front of an API only may need an
    exclusion.

    Remediation: Set default_root_object = "index.html" (the object to return for "/") on the reported
      aws_cloudfront_distribution.
    Given I have aws_cloudfront_distribution defined
    Then it must contain default_root_object
    And its value must match the "^(?!None$).+" regex

  @id:CF-009 @severity:low @control:FSBP-CloudFront.4
  Scenario: CloudFront distributions have origin failover
    A distribution passes with an origin_group block (a primary and a secondary origin).

    Remediation: Add a second origin and an origin_group { origin_id = "<group>" failover_criteria {
      status_codes = [500, 502, 503, 504] } member { origin_id = "<primary>" } member { origin_id =
      "<secondary>" } } to the reported aws_cloudfront_distribution, and point target_origin_id of the
      cache behaviours at the group.
    Given I have aws_cloudfront_distribution defined
    Then it must contain origin_group

  @id:CF-010 @severity:medium @control:FSBP-CloudFront.13
  Scenario: CloudFront distributions reach S3 origins through origin access control
    An origin counts as an S3 bucket when it has an s3_origin_config block or its domain_name is an S3
    REST endpoint (*.s3.amazonaws.com, *.s3.<region>.amazonaws.com, *.s3-<region>.amazonaws.com; S3
    website endpoints are custom origins). Such an origin must set origin_access_control_id; an origin
    access identity (s3_origin_config) is the legacy way and is reported. An origin whose domain_name is
    only known after apply (a bucket created in the same plan) is recognised only by its
    s3_origin_config block.

    Remediation: Create an aws_cloudfront_origin_access_control (origin_access_control_origin_type =
      "s3", signing_behavior = "always", signing_protocol = "sigv4"), set origin_access_control_id to
      its id in the reported origin, remove s3_origin_config, and allow the distribution's ARN
      s3:GetObject in the bucket policy (condition AWS:SourceArn).
    Given I have aws_cloudfront_distribution defined
    When its origin has "(?=.*(?:'domain_name': '[^']*\.s3(?!-website)[.-]|'s3_origin_config': \[\x7b))(?!.*'origin_access_control_id': '[^']+')" regex
    Then it must fail

  @id:CF-011 @severity:medium @control:FSBP-CloudFront.10
  Scenario: CloudFront distributions do not offer SSLv3 to custom origins
    Remediation: Set origin_ssl_protocols = ["TLSv1.2"] in the custom_origin_config of every origin of
      the reported aws_cloudfront_distribution.
    Given I have aws_cloudfront_distribution defined
    When its origin has ".*'origin_ssl_protocols': \[[^\]]*'SSLv3'" regex
    Then it must fail

  @id:WAF-001 @severity:medium @control:FSBP-WAF.10
  Scenario: WAFv2 web ACLs have at least one rule
    A web ACL without rule blocks applies only its default action. Rules supplied through rule_json or
    by Firewall Manager are not seen: exclude such a web ACL.

    Remediation: Add rule blocks to the reported aws_wafv2_web_acl, at least a
      managed_rule_group_statement for AWSManagedRulesCommonRuleSet and a rate_based_statement.
    Given I have aws_wafv2_web_acl defined
    Then it must contain rule

  @id:WAF-002 @severity:medium @control:FSBP-WAF.11
  Scenario: WAFv2 web ACLs log requests
    A web ACL passes when an aws_wafv2_web_acl_logging_configuration references it.

    Remediation: Add an aws_wafv2_web_acl_logging_configuration with resource_arn =
      aws_wafv2_web_acl.<name>.arn and log_destination_configs = [<ARN of a CloudWatch log group, S3
      bucket or Firehose stream whose name starts with aws-waf-logs->], redacting authorization and
      cookie headers with redacted_fields.
    Given I have aws_wafv2_web_acl defined
    Then it must contain aws_wafv2_web_acl_logging_configuration

  @id:WAF-003 @severity:medium @control:FSBP-WAF.12
  Scenario: WAFv2 web ACLs and rule groups publish CloudWatch metrics
    Checks the visibility_config of each aws_wafv2_web_acl and aws_wafv2_rule_group (the only resource
    types of AWS provider v5 with one); the rules inside them are checked by WAF-004.

    Remediation: Set cloudwatch_metrics_enabled = true in the visibility_config block of the reported
      web ACL or rule group.
    Given I have resource that supports visibility_config defined
    When its visibility_config has ".*'cloudwatch_metrics_enabled': False" regex
    Then it must fail

  @id:WAF-004 @severity:medium @control:FSBP-WAF.12
  Scenario: WAFv2 rules publish CloudWatch metrics
    Checks the visibility_config of every rule block of each aws_wafv2_web_acl and aws_wafv2_rule_group
    (the only resource types of AWS provider v5 with visibility_config).

    Remediation: Set cloudwatch_metrics_enabled = true in the visibility_config block of every rule of
      the reported web ACL or rule group.
    Given I have resource that supports visibility_config defined
    When its rule has ".*'cloudwatch_metrics_enabled': False" regex
    Then it must fail

  @id:WAF-005 @severity:medium @control:FSBP-WAF.1
  Scenario: WAF Classic global web ACLs log requests
    Logging of an aws_waf_web_acl (WAF Classic, global) is its logging_configuration block; the provider
    has no separate logging resource for it. A log_destination only known after apply (a Firehose stream
    created in the same plan) counts as set.

    Remediation: Add `logging_configuration { log_destination = aws_kinesis_firehose_delivery_stream.<name>.arn }`
      to the reported aws_waf_web_acl, with a Firehose delivery stream whose name starts with
      "aws-waf-logs-", and `redacted_fields` for authorization and cookie headers. Better, move to a
      WAFv2 aws_wafv2_web_acl with an aws_wafv2_web_acl_logging_configuration.
    Given I have aws_waf_web_acl defined
    Then it must contain logging_configuration

  @id:WAF-006 @severity:medium @control:FSBP-WAF.2
  Scenario: WAF Classic Regional rules have at least one condition
    An aws_wafregional_rule without predicate blocks matches no request and does nothing.

    Remediation: Add at least one `predicate { data_id = aws_wafregional_ipset.<name>.id, negated = false,
      type = "IPMatch" }` (or a ByteMatch, GeoMatch, RegexMatch, SizeConstraint, SqlInjectionMatch or
      XssMatch set) to the reported aws_wafregional_rule, or delete the rule.
    Given I have aws_wafregional_rule defined
    Then it must contain predicate

  @id:WAF-007 @severity:medium @control:FSBP-WAF.3
  Scenario: WAF Classic Regional rule groups have at least one rule
    An aws_wafregional_rule_group without activated_rule blocks inspects nothing.

    Remediation: Add at least one `activated_rule { action { type = "BLOCK" }, priority = 1, rule_id =
      aws_wafregional_rule.<name>.id }` to the reported aws_wafregional_rule_group, or delete the group.
    Given I have aws_wafregional_rule_group defined
    Then it must contain activated_rule

  @id:WAF-008 @severity:medium @control:FSBP-WAF.4
  Scenario: WAF Classic Regional web ACLs have at least one rule or rule group
    An aws_wafregional_web_acl without rule blocks applies only its default action. Rules attached by
    Firewall Manager are not seen: exclude such a web ACL.

    Remediation: Add at least one `rule { action { type = "BLOCK" }, priority = 1, rule_id =
      aws_wafregional_rule.<name>.id }` (or, with `type = "GROUP"` and an `override_action`, a rule
      group) to the reported aws_wafregional_web_acl.
    Given I have aws_wafregional_web_acl defined
    Then it must contain rule

  @id:WAF-009 @severity:medium @control:FSBP-WAF.6
  Scenario: WAF Classic global rules have at least one condition
    An aws_waf_rule without predicates blocks matches no request and does nothing.

    Remediation: Add at least one `predicates { data_id = aws_waf_ipset.<name>.id, negated = false, type =
      "IPMatch" }` (or a ByteMatch, GeoMatch, RegexMatch, SizeConstraint, SqlInjectionMatch or XssMatch
      set) to the reported aws_waf_rule, or delete the rule.
    Given I have aws_waf_rule defined
    Then it must contain predicates

  @id:WAF-010 @severity:medium @control:FSBP-WAF.7
  Scenario: WAF Classic global rule groups have at least one rule
    An aws_waf_rule_group without activated_rule blocks inspects nothing.

    Remediation: Add at least one `activated_rule { action { type = "BLOCK" }, priority = 1, rule_id =
      aws_waf_rule.<name>.id }` to the reported aws_waf_rule_group, or delete the group.
    Given I have aws_waf_rule_group defined
    Then it must contain activated_rule

  @id:WAF-011 @severity:medium @control:FSBP-WAF.8
  Scenario: WAF Classic global web ACLs have at least one rule or rule group
    An aws_waf_web_acl without rules blocks applies only its default action. Rules attached by Firewall
    Manager are not seen: exclude such a web ACL.

    Remediation: Add at least one `rules { action { type = "BLOCK" }, priority = 1, rule_id =
      aws_waf_rule.<name>.id }` (or, with `type = "GROUP"` and an `override_action`, a rule group) to the
      reported aws_waf_web_acl.
    Given I have aws_waf_web_acl defined
    Then it must contain rules

  @id:CF-012 @severity:medium @control:FSBP-CloudFront.16
  Scenario: CloudFront distributions reach Lambda function URL origins through origin access control
    An origin counts as a Lambda function URL when its domain_name is <id>.lambda-url.<region>.on.aws.
    Such an origin must set origin_access_control_id; without it the function URL must allow anonymous
    calls (authorization_type = "NONE") and anyone can bypass the distribution. An id known only after
    apply (an aws_cloudfront_origin_access_control of the same plan) counts as set. An origin whose
    domain_name is only known after apply (a function URL created in the same plan) is not recognised:
    build it from a known name or check it by hand.

    Remediation: Create an aws_cloudfront_origin_access_control with origin_access_control_origin_type =
      "lambda", signing_behavior = "always" and signing_protocol = "sigv4", set origin_access_control_id
      to its id in the reported origin, set authorization_type = "AWS_IAM" on the aws_lambda_function_url,
      and allow cloudfront.amazonaws.com lambda:InvokeFunctionUrl with an aws_lambda_permission whose
      source_arn is the distribution's ARN.
    Given I have aws_cloudfront_distribution defined
    # each origin as the engine renders it: {'domain_name': '....lambda-url.eu-west-1.on.aws', 'origin_access_control_id': None, ...}
    When its origin has "(?=.*'domain_name': '[^']*\.lambda-url\.[a-z0-9-]+\.on\.aws')(?=.*'origin_access_control_id': (?:None|'')[,\x7d])" regex
    Then it must fail

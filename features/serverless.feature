Feature: Serverless guardrails
  Guardrails for Lambda functions, permissions and function URLs, API Gateway REST, HTTP and WebSocket
  APIs, and Step Functions state machines. A companion resource (aws_api_gateway_method_settings,
  aws_wafv2_web_acl_association, aws_lambda_permission) counts for the resource whose attribute it
  references, for example stage_name = aws_api_gateway_stage.NAME.stage_name.

  @id:LAM-001 @severity:high @control:FSBP-Lambda.2
  Scenario: Lambda functions use a supported runtime
    Reports .zip-packaged functions whose runtime AWS has deprecated as of 2026-11: nodejs (0.10),
    nodejs4.3, nodejs4.3-edge, nodejs6.10, nodejs8.10, nodejs10.x to nodejs20.x, python2.7,
    python3.6 to python3.10, ruby2.5, ruby2.7, ruby3.2, java8 (Amazon Linux 1), go1.x, provided
    (Amazon Linux 1), dotnetcore1.0, dotnetcore2.0, dotnetcore2.1, dotnetcore3.1, dotnet5.0,
    dotnet6, dotnet7 and dotnet8. Update the list when AWS deprecates further runtimes (see
    "Runtime deprecation policy" in the Lambda developer guide). Container image functions
    (package_type = "Image") have no runtime and are not checked.

    Remediation: Set runtime on the reported aws_lambda_function to a supported version of the
      same language (for example python3.13, nodejs22.x, java21, ruby3.4, dotnet10 or
      provided.al2023 for Go and other compiled code), rebuild the deployment package for it and
      run the function's tests before applying.
    Given I have aws_lambda_function defined
    When its package_type is Zip
    Then it must contain runtime
    And its value must not match the "^(nodejs|nodejs4\.3|nodejs4\.3-edge|nodejs6\.10|nodejs8\.10|nodejs10\.x|nodejs12\.x|nodejs14\.x|nodejs16\.x|nodejs18\.x|nodejs20\.x|python2\.7|python3\.6|python3\.7|python3\.8|python3\.9|python3\.10|ruby2\.5|ruby2\.7|ruby3\.2|java8|go1\.x|provided|dotnetcore1\.0|dotnetcore2\.0|dotnetcore2\.1|dotnetcore3\.1|dotnet5\.0|dotnet6|dotnet7|dotnet8)$" regex

  @id:LAM-002 @severity:low
  Scenario: Lambda functions have X-Ray active tracing
    A function without a tracing_config block is reported (AWS then uses PassThrough), and so, in the
    same run, is a function whose block says PassThrough.

    Remediation: Add tracing_config { mode = "Active" } to the reported aws_lambda_function and
      allow its execution role xray:PutTraceSegments and xray:PutTelemetryRecords (for example by
      attaching the AWSXRayDaemonWriteAccess managed policy).
    Given I have aws_lambda_function defined
    Then it must contain tracing_config
    And its value must match the "^Active$" regex

  @id:LAM-003 @severity:medium
  Scenario: API Gateway REST API stages write access logs
    Remediation: Add an access_log_settings block to the reported aws_api_gateway_stage with
      destination_arn set to a CloudWatch Logs log group ARN (for example
      aws_cloudwatch_log_group.api_access.arn) or a Kinesis Data Firehose stream whose name starts
      with amazon-apigateway-, and format set to a single-line format that includes
      $context.requestId, $context.identity.sourceIp, $context.httpMethod, $context.resourcePath
      and $context.status. The account needs an aws_api_gateway_account with a
      cloudwatch_role_arn once per region.
    Given I have aws_api_gateway_stage defined
    Then it must contain access_log_settings

  @id:LAM-004 @severity:low @control:FSBP-APIGateway.3
  Scenario: API Gateway REST API stages have X-Ray tracing enabled
    Remediation: Set xray_tracing_enabled = true on the reported aws_api_gateway_stage.
    Given I have aws_api_gateway_stage defined
    Then xray_tracing_enabled must be enabled

  @id:LAM-005 @severity:critical @control:FSBP-Lambda.1
  Scenario: Lambda permissions do not allow invocation by any principal
    An aws_lambda_permission with principal = "*" makes the function's resource-based policy public: any
    AWS account may invoke the function, and anyone on the internet when it is granted
    lambda:InvokeFunctionUrl for a function URL with authorization_type NONE. Security Hub does not
    count a "*" principal as public when a source_account, source_arn or principal_org_id condition
    narrows it; the engine cannot combine two arguments in one condition, so every "*" principal is
    reported and such a narrowed permission needs an exclusion that records the condition.

    Remediation: Set principal on the reported aws_lambda_permission to the service that invokes the
      function (for example "s3.amazonaws.com" with source_arn = aws_s3_bucket.<name>.arn and
      source_account) or to the invoking account id, never "*". For a function URL use
      authorization_type = "AWS_IAM" and grant lambda:InvokeFunctionUrl to the calling roles.
    Given I have aws_lambda_permission defined
    When its principal is "*"
    Then it must fail

  @id:LAM-006 @severity:high
  Scenario: Lambda function URLs require IAM authorization
    authorization_type = "NONE" makes the function callable by anyone who knows the URL.

    Remediation: Set authorization_type = "AWS_IAM" on the reported aws_lambda_function_url and let
      callers sign their requests (SigV4), or put the function behind API Gateway or CloudFront with an
      authorizer.
    Given I have aws_lambda_function_url defined
    Then it must contain authorization_type
    And its value must be AWS_IAM

  @id:LAM-007 @severity:low
  Scenario: Lambda functions invoked asynchronously have a dead-letter queue
    Applies to a function that an aws_lambda_permission lets an asynchronous event source invoke
    (principal s3, sns, events, ses, logs, iot, codecommit or config .amazonaws.com, with function_name
    = aws_lambda_function.NAME.function_name or .arn). Such events that still fail after Lambda's two
    retries are dropped unless a dead-letter queue keeps them. Functions invoked synchronously (API
    Gateway, function URLs) or by polling (SQS, Kinesis and DynamoDB event source mappings) are not
    checked. An on-failure destination in an aws_lambda_function_event_invoke_config is not read by this
    guardrail: exclude a function that uses one.

    Remediation: Add dead_letter_config { target_arn = aws_sqs_queue.<name>_dlq.arn } (or an SNS topic
      ARN) to the reported aws_lambda_function and allow its execution role sqs:SendMessage (or
      sns:Publish) on it.
    Given I have aws_lambda_function defined
    When its aws_lambda_permission has ".*'principal': '(?:s3|sns|events|ses|logs|iot|codecommit|config)\.amazonaws\.com'" regex
    Then it must contain dead_letter_config

  @id:LAM-008 @severity:medium @control:FSBP-Lambda.5
  Scenario: VPC Lambda functions use subnets in more than one Availability Zone
    Reports a function whose vpc_config lists exactly one subnet: a subnet lives in one Availability
    Zone, so the function stops when that zone does. The plan does not say which zone a subnet is in, so
    two subnets of the same zone pass. A subnet list only known after apply (subnets created in the same
    plan) cannot be counted and is not reported.

    Remediation: List at least two private subnets in different Availability Zones in subnet_ids of the
      vpc_config block of the reported aws_lambda_function.
    Given I have aws_lambda_function defined
    When its vpc_config has ".*'subnet_ids': \['[^']*'\]" regex
    Then it must fail

  @id:LAM-009 @severity:low @control:FSBP-Lambda.3
  Scenario: Lambda functions run in a VPC
    A function without a vpc_config block (or with an empty subnet_ids list, which detaches it) runs in
    the Lambda service's network: it reaches the internet directly and nothing in your VPC can filter or
    log its traffic. Functions that must not reach private resources need an exclusion.

    Remediation: Add vpc_config { subnet_ids = [<private subnets in two Availability Zones>]
      security_group_ids = [aws_security_group.<name>.id] } to the reported aws_lambda_function, and
      give its execution role the AWSLambdaVPCAccessExecutionRole managed policy.
    Given I have aws_lambda_function defined
    Then it must contain subnet_ids

  @id:API-001 @severity:medium @control:FSBP-APIGateway.1
  Scenario: API Gateway REST API stages have execution logging
    A stage passes when an aws_api_gateway_method_settings resource that references it (stage_name =
    aws_api_gateway_stage.NAME.stage_name) sets logging_level to ERROR or INFO; method settings for a
    single method path count too. A stage with no method settings at all and a stage whose settings say
    OFF are reported in the same run.

    Remediation: Add an aws_api_gateway_method_settings with rest_api_id, stage_name =
      aws_api_gateway_stage.<name>.stage_name, method_path = "*/*" and settings { logging_level =
      "ERROR" metrics_enabled = true } (or "INFO"), and set cloudwatch_role_arn once per region in an
      aws_api_gateway_account.
    Given I have aws_api_gateway_stage defined
    Then it must contain logging_level
    And its value must match the "^(ERROR|INFO)$" regex

  @id:API-002 @severity:medium @control:FSBP-APIGateway.2
  Scenario: API Gateway REST API stages use a client certificate for backend authentication
    A client_certificate_id only known after apply (an aws_api_gateway_client_certificate created in the
    same plan) is taken as set.

    Remediation: Create an aws_api_gateway_client_certificate, set client_certificate_id =
      aws_api_gateway_client_certificate.<name>.id on the reported aws_api_gateway_stage, and make the
      backend verify it (the certificate's pem_encoded_certificate is the public part to trust).
    Given I have aws_api_gateway_stage defined
    When its client_certificate_id is ".*" regex
    Then it must contain client_certificate_id
    And its value must not be null

  @id:API-003 @severity:medium @control:FSBP-APIGateway.4
  Scenario: API Gateway REST API stages are protected by AWS WAF
    A stage passes when an aws_wafv2_web_acl_association references it (resource_arn =
    aws_api_gateway_stage.NAME.arn). An association made outside the plan (for example by Firewall
    Manager) is not seen: exclude the stage.

    Remediation: Add an aws_wafv2_web_acl_association with resource_arn =
      aws_api_gateway_stage.<name>.arn and web_acl_arn = aws_wafv2_web_acl.<name>.arn (a REGIONAL web
      ACL with at least the AWS managed common rule set).
    Given I have aws_api_gateway_stage defined
    Then it must contain aws_wafv2_web_acl_association

  @id:API-004 @severity:medium @control:FSBP-APIGateway.5
  Scenario: API Gateway REST API cache data is encrypted at rest
    Reports method settings that turn caching on (caching_enabled = true) without cache_data_encrypted =
    true; cache_data_encrypted defaults to false.

    Remediation: Set cache_data_encrypted = true in the settings block of the reported
      aws_api_gateway_method_settings (next to caching_enabled = true).
    Given I have aws_api_gateway_method_settings defined
    When its settings has "(?=.*'caching_enabled': True)(?!.*'cache_data_encrypted': True)" regex
    Then it must fail

  @id:API-005 @severity:medium @control:FSBP-APIGateway.9
  Scenario: API Gateway HTTP and WebSocket API stages write access logs
    Remediation: Add access_log_settings { destination_arn = aws_cloudwatch_log_group.<name>.arn format
      = jsonencode({ requestId = "$context.requestId", ip = "$context.identity.sourceIp", routeKey =
      "$context.routeKey", status = "$context.status" }) } to the reported aws_apigatewayv2_stage.
    Given I have aws_apigatewayv2_stage defined
    Then it must contain access_log_settings

  @id:API-006 @severity:medium @control:FSBP-APIGateway.8
  Scenario: API Gateway HTTP and WebSocket API routes specify an authorization type
    authorization_type defaults to NONE. WebSocket APIs authorize only the $connect route; their other
    routes are reported and need an exclusion.

    Remediation: Set authorization_type on the reported aws_apigatewayv2_route to "JWT" (with
      authorizer_id of an aws_apigatewayv2_authorizer), "AWS_IAM" or "CUSTOM" (a Lambda authorizer).
    Given I have aws_apigatewayv2_route defined
    Then it must contain authorization_type
    And its value must not match the "^NONE$" regex

  @id:API-007 @severity:medium
  Scenario: API Gateway REST API methods require authorization
    OPTIONS methods (CORS preflight) are not checked. An API key (api_key_required = true) identifies a
    client but does not authenticate it, so a NONE method with an API key is reported too.

    Remediation: Set authorization on the reported aws_api_gateway_method to "AWS_IAM",
      "COGNITO_USER_POOLS" (with authorizer_id and authorization_scopes) or "CUSTOM" (with authorizer_id
      of an aws_api_gateway_authorizer).
    Given I have aws_api_gateway_method defined
    When its http_method is not OPTIONS
    Then it must contain authorization
    And its value must not match the "^NONE$" regex

  @id:API-008 @severity:high
  Scenario: API Gateway custom domain names use a TLS 1.2 security policy
    Checks aws_api_gateway_domain_name and aws_apigatewayv2_domain_name. Passes TLS_1_2 and the enhanced
    policies whose names start with SecurityPolicy_TLS12_ or SecurityPolicy_TLS13_. A REST API domain
    name that does not set security_policy is reported: the value is then chosen by AWS and is not in
    the plan.

    Remediation: Set security_policy = "TLS_1_2" on the reported aws_api_gateway_domain_name, or in the
      domain_name_configuration block of the aws_apigatewayv2_domain_name.
    Given I have resource that supports security_policy defined
    When its type metadata is "^aws_api(_gateway|gatewayv2)_domain_name$" regex
    Then it must contain security_policy
    And its value must match the "^(TLS_1_2|SecurityPolicy_TLS1[23]_.*)$" regex

  @id:SFN-001 @severity:medium @control:FSBP-StepFunctions.1
  Scenario: Step Functions state machines log execution events
    The logging_configuration level must be ALL, ERROR or FATAL. Without a logging_configuration block
    the level is OFF.

    Remediation: Add logging_configuration { log_destination =
      "${aws_cloudwatch_log_group.<name>.arn}:*" level = "ERROR" include_execution_data = false } to the
      reported aws_sfn_state_machine (level "ALL" logs every state transition) and allow its role the
      logs:CreateLogDelivery family of actions.
    Given I have aws_sfn_state_machine defined
    Then it must contain logging_configuration
    And it must contain level
    And its value must match the "^(ALL|ERROR|FATAL)$" regex

  @id:SFN-002 @severity:low
  Scenario: Step Functions state machines have X-Ray tracing
    Without a tracing_configuration block tracing is off.

    Remediation: Add tracing_configuration { enabled = true } to the reported aws_sfn_state_machine and
      allow its role xray:PutTraceSegments, xray:PutTelemetryRecords, xray:GetSamplingRules and
      xray:GetSamplingTargets.
    Given I have aws_sfn_state_machine defined
    Then it must contain tracing_configuration
    And it must contain enabled
    And its value must be true

  @id:API-009 @severity:low
  Scenario: API Gateway REST API stages are declared as aws_api_gateway_stage resources
    An aws_api_gateway_deployment with stage_name (deprecated since AWS provider v5) creates a stage
    that no aws_api_gateway_stage describes, so API-001 to API-004 cannot see its logging, certificate,
    WAF or cache settings.

    Remediation: Remove stage_name (and stage_description) from the reported aws_api_gateway_deployment
      and declare the stage as an aws_api_gateway_stage with deployment_id =
      aws_api_gateway_deployment.<name>.id; import the existing stage first (terraform import
      aws_api_gateway_stage.<name> <rest api id>/<stage>) so that it is not recreated.
    Given I have aws_api_gateway_deployment defined
    When its stage_name is "^(?!None$).+" regex
    Then it must fail

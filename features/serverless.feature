Feature: Serverless guardrails
  Guardrails for Lambda functions and API Gateway stages.

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
    A function without a tracing_config block is reported (AWS then uses PassThrough). The engine
    stops a scenario at its first failing step, so in one plan a function with no tracing_config
    block hides a function whose block says PassThrough until the first one is fixed.

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

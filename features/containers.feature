Feature: Container guardrails
  Guardrails for ECS task definitions, services and clusters, ECR repositories and EKS clusters. The ECS
  task definition checks read every container definition in container_definitions.

  @id:ECR-001 @severity:medium @control:FSBP-ECR.1
  Scenario: ECR repositories scan images on push
    A repository without an image_scanning_configuration block is reported as well as one with
    scan_on_push = false. If the account uses registry-level enhanced scanning
    (aws_ecr_registry_scanning_configuration with scan_type = "ENHANCED"), exclude the
    repositories it covers.

    Remediation: Add image_scanning_configuration { scan_on_push = true } to the reported
      aws_ecr_repository.
    Given I have aws_ecr_repository defined
    Then scan_on_push must be enabled

  @id:ECR-002 @severity:medium @control:FSBP-ECR.2
  Scenario: ECR repositories have immutable image tags
    Remediation: Set image_tag_mutability = "IMMUTABLE" on the reported aws_ecr_repository and
      publish every build under a new tag (for example the git commit SHA) instead of re-pushing
      "latest".
    Given I have aws_ecr_repository defined
    Then it must contain image_tag_mutability
    And its value must be IMMUTABLE

  @id:EKS-001 @severity:high @control:FSBP-EKS.1
  Scenario: EKS cluster API endpoints are not publicly accessible
    endpoint_public_access defaults to true, so a cluster that does not set it is reported. A
    public endpoint restricted with public_access_cidrs is still reported: the engine cannot
    combine the two attributes in one condition; exclude such a cluster with an exclusion that
    records the allowed CIDRs.

    Remediation: In the vpc_config block of the reported aws_eks_cluster set
      endpoint_public_access = false and endpoint_private_access = true, and reach the API from
      inside the VPC (VPN, Direct Connect, a bastion or SSM port forwarding, or CI runners in the
      VPC).
    Given I have aws_eks_cluster defined
    Then it must contain vpc_config
    And it must contain endpoint_public_access
    And its value must be false

  @id:EKS-002 @severity:high @control:FSBP-EKS.3
  Scenario: EKS clusters encrypt Kubernetes secrets with a KMS key
    "secrets" is the only resource type EKS envelope encryption supports, so the presence of an
    encryption_config block is what is checked.

    Remediation: Add to the reported aws_eks_cluster an encryption_config block with
      resources = ["secrets"] and provider { key_arn = aws_kms_key.eks.arn } pointing at a
      symmetric customer managed KMS key that the cluster role may use (kms:Encrypt, kms:Decrypt,
      kms:DescribeKey, kms:CreateGrant).
    Given I have aws_eks_cluster defined
    Then it must contain encryption_config

  @id:ECS-001 @severity:high @control:FSBP-ECS.4
  Scenario: ECS containers do not run privileged
    A privileged container has root on the container instance: every device, every kernel capability,
    and the other tasks on the host. privileged defaults to false. Container definitions only known
    after apply cannot be read; ECS-010 reports them.

    Remediation: Remove "privileged": true from the reported container definitions of the
      aws_ecs_task_definition (set it to false). Grant only the Linux capabilities the container needs
      with linuxParameters.capabilities.add.
    Given I have aws_ecs_task_definition defined
    When its container_definitions has ".*'privileged': True" regex
    Then it must fail

  @id:ECS-002 @severity:high @control:FSBP-ECS.5
  Scenario: ECS containers have a read-only root filesystem
    Every container definition of a task definition must set readonlyRootFilesystem to true; it defaults
    to false.

    Remediation: Set "readonlyRootFilesystem": true in each reported container definition of the
      aws_ecs_task_definition and give the paths the application writes to a volume (a bind mount or EFS
      volume in mountPoints, for example /tmp).
    Given I have aws_ecs_task_definition defined
    When its container_definitions has "^(?!.*'readonlyRootFilesystem': True)" regex
    Then it must fail

  @id:ECS-003 @severity:high @control:FSBP-ECS.1
  Scenario: ECS task definitions in host network mode run containers as a non-root user
    With network_mode = "host" a container shares the instance's network stack. As in Security Hub, a
    container of such a task definition is reported when it is not privileged and its user is unset,
    "root" or uid 0 (for example "0:0"). Other network modes are not checked.

    Remediation: Set "user" in each reported container definition to a non-root uid (for example "user":
      "1000:1000") or, better, use network_mode = "awsvpc" on the aws_ecs_task_definition.
    Given I have aws_ecs_task_definition defined
    When its network_mode is host
    When its container_definitions has "^(?!.*'privileged': True)(?!.*'user': '(?!(?:root|0)(?::[^']*)?')[^']+')" regex
    Then it must fail

  @id:ECS-004 @severity:high @control:FSBP-ECS.3
  Scenario: ECS task definitions do not share the host's process namespace
    pid_mode = "host" lets the task's containers see and signal every process of the container instance.

    Remediation: Remove pid_mode = "host" from the reported aws_ecs_task_definition (or set pid_mode =
      "task" to share a namespace only between the task's own containers).
    Given I have aws_ecs_task_definition defined
    When its pid_mode is host
    Then it must fail

  @id:ECS-005 @severity:high @control:FSBP-ECS.8
  Scenario: ECS container definitions pass no AWS credentials as environment variables
    Reports a container whose environment has AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or
    ECS_ENGINE_AUTH_DATA: environment values are stored in clear in the task definition and shown to
    anyone with ecs:DescribeTaskDefinition. The same names under secrets (valueFrom) are fine.

    Remediation: Remove those variables from the environment of the reported container definitions. Give
      the task an IAM role with task_role_arn instead of access keys, and pass other secrets with
      "secrets": [{ "name": ..., "valueFrom": <Secrets Manager or SSM parameter ARN> }].
    Given I have aws_ecs_task_definition defined
    When its container_definitions has ".*'environment': \[[^\]]*'name': '(?:AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|ECS_ENGINE_AUTH_DATA)'" regex
    Then it must fail

  @id:ECS-006 @severity:high @control:FSBP-ECS.9
  Scenario: ECS containers have a logging configuration
    Every container definition must have a logConfiguration with a logDriver; without it the container's
    output is lost when the task stops.

    Remediation: Add "logConfiguration": { "logDriver": "awslogs", "options": { "awslogs-group":
      aws_cloudwatch_log_group.<name>.name, "awslogs-region": <region>, "awslogs-stream-prefix":
      <container> } } to each reported container definition (or use the awsfirelens driver with a log
      router container).
    Given I have aws_ecs_task_definition defined
    When its container_definitions has "^(?!.*'logDriver': '[^']+')" regex
    Then it must fail

  @id:ECS-007 @severity:high @control:FSBP-ECS.2
  Scenario: ECS services do not assign public IP addresses
    assign_public_ip defaults to false.

    Remediation: Set assign_public_ip = false in the network_configuration block of the reported
      aws_ecs_service, run its tasks in private subnets and reach the internet through a NAT gateway (or
      VPC endpoints for ECR, CloudWatch Logs and Secrets Manager); expose the service through a load
      balancer.
    Given I have aws_ecs_service defined
    When its network_configuration has ".*'assign_public_ip': True" regex
    Then it must fail

  @id:ECS-008 @severity:medium @control:FSBP-ECS.10
  Scenario: ECS Fargate services run on the latest platform version
    Applies to services with launch_type = "FARGATE". An unset platform_version means LATEST and passes;
    a pinned version must be LATEST or 1.4.0, the latest Linux platform version. A Windows service
    pinned to 1.0.0 (the latest Windows platform version) needs an exclusion. Services that use a
    capacity_provider_strategy instead of launch_type are not checked.

    Remediation: Remove platform_version from the reported aws_ecs_service, or set platform_version =
      "LATEST".
    Given I have aws_ecs_service defined
    When its launch_type is FARGATE
    When its platform_version is "^(?!None$).+" regex
    Then it must contain platform_version
    And its value must match the "^(LATEST|1\.4\.0)$" regex

  @id:ECS-009 @severity:medium @control:FSBP-ECS.12
  Scenario: ECS clusters have Container Insights
    The cluster's setting block must say containerInsights = enabled (or enhanced). Without the block
    the account default applies, which is disabled unless aws_ecs_account_setting_default turns it on;
    such clusters need an exclusion. A cluster without a setting block and one whose setting says
    disabled are reported in the same run.

    Remediation: Add setting { name = "containerInsights" value = "enabled" } (or "enhanced") to the
      reported aws_ecs_cluster.
    Given I have aws_ecs_cluster defined
    Then it must contain setting
    And its value must match the "^(containerInsights|enabled|enhanced)$" regex

  @id:ECS-010 @severity:low
  Scenario: ECS task definitions have container definitions known at plan time
    ECS-001 to ECS-006 read container_definitions. When its JSON interpolates a value only known after
    apply (for example the repository_url of an aws_ecr_repository created in the same plan), the plan
    has no container definitions to read, and this guardrail reports the task definition unknown instead
    of letting it pass unread. Once the referenced resources exist, the next plan knows the value.

    Remediation: Build container_definitions of the reported aws_ecs_task_definition only from values
      known at plan time: pass the image as a variable (for example
      "${var.registry}/orders:${var.image_tag}"), or create the repository, log group and secrets in an
      earlier apply or another root module.
    Given I have aws_ecs_task_definition defined
    Then it must contain container_definitions

  @id:ECS-011 @severity:high @control:FSBP-ECS.16
  Scenario: ECS task sets do not assign public IP addresses
    assign_public_ip in the network_configuration block of an aws_ecs_task_set (a deployment of an
    EXTERNAL deployment controller, for example blue/green through CodeDeploy) defaults to false.

    Remediation: Set assign_public_ip = false (or remove it) in the network_configuration block of the
      reported aws_ecs_task_set, run its tasks in private subnets and reach the internet through a NAT
      gateway or VPC endpoints; expose the service through a load balancer.
    Given I have aws_ecs_task_set defined
    # the block as the engine renders it: {'assign_public_ip': True, 'security_groups': [...], 'subnets': [...]}
    When its network_configuration has ".*'assign_public_ip': True" regex
    Then it must fail

  @id:EKS-003 @severity:medium @control:FSBP-EKS.8
  Scenario: EKS clusters send control plane audit logs to CloudWatch
    enabled_cluster_log_types must include "audit"; without it the Kubernetes audit log (who did what
    through the API server) is not kept.

    Remediation: Add "audit" to enabled_cluster_log_types of the reported aws_eks_cluster (for example
      enabled_cluster_log_types = ["api", "audit", "authenticator"]) and create the log group
      /aws/eks/<cluster name>/cluster with a retention period before the cluster.
    Given I have aws_eks_cluster defined
    Then it must contain enabled_cluster_log_types
    And its value must contain audit

  @id:EKS-004 @severity:high @control:FSBP-EKS.2
  Scenario: EKS clusters run a supported Kubernetes version
    Reports versions 1.31 and older: as of 2026-12 they are past the end of extended support in the
    Amazon EKS Kubernetes release calendar (1.31 ended on 2026-11-26). Update the pattern when the next
    version leaves support. The engine reads "1.30" as the number 1.3, so the pattern also matches 1.1
    to 1.3 for 1.10, 1.20 and 1.30. A cluster that does not set version (AWS then picks the current
    default) is reported too, because the plan cannot say which version it gets.

    Remediation: Set version on the reported aws_eks_cluster to a supported release (1.32 or later) and
      upgrade one minor version at a time, updating the node groups and add-ons after each step.
    Given I have aws_eks_cluster defined
    Then it must contain version
    And its value must not match the "^1\.(\d|1\d|2\d|3[01]?)$" regex

  @id:ECR-003 @severity:medium @control:FSBP-ECR.3
  Scenario: ECR repositories have a lifecycle policy
    A repository passes when an aws_ecr_lifecycle_policy references it (repository =
    aws_ecr_repository.NAME.name).

    Remediation: Add an aws_ecr_lifecycle_policy with repository = aws_ecr_repository.<name>.name and a
      policy that expires old images, for example jsonencode({ rules = [{ rulePriority = 1, selection =
      { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 30 }, action = { type =
      "expire" } }] }).
    Given I have aws_ecr_repository defined
    Then it must contain aws_ecr_lifecycle_policy

  @id:ECR-004 @severity:low
  Scenario: ECR repositories encrypt images with a KMS key
    encryption_type defaults to AES256 (keys owned by ECR); KMS puts image encryption under a key policy
    and CloudTrail. A repository without an encryption_configuration block is reported.

    Remediation: Add encryption_configuration { encryption_type = "KMS" kms_key = aws_kms_key.<name>.arn
      } to the reported aws_ecr_repository (without kms_key the AWS managed key aws/ecr is used). The
      setting can only be chosen when the repository is created.
    Given I have aws_ecr_repository defined
    Then it must contain encryption_type
    And its value must be KMS

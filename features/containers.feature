Feature: Container guardrails
  Guardrails for ECR repositories and EKS clusters.

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

  @id:EKS-002 @severity:high
  Scenario: EKS clusters encrypt Kubernetes secrets with a KMS key
    "secrets" is the only resource type EKS envelope encryption supports, so the presence of an
    encryption_config block is what is checked.

    Remediation: Add to the reported aws_eks_cluster an encryption_config block with
      resources = ["secrets"] and provider { key_arn = aws_kms_key.eks.arn } pointing at a
      symmetric customer managed KMS key that the cluster role may use (kms:Encrypt, kms:Decrypt,
      kms:DescribeKey, kms:CreateGrant).
    Given I have aws_eks_cluster defined
    Then it must contain encryption_config

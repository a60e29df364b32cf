Feature: Compute guardrails
  Guardrails for EC2 instances and launch templates. "resource that supports metadata_options" selects
  aws_instance, aws_launch_template, aws_spot_instance_request and aws_launch_configuration. An
  aws_instance is judged on its own arguments, also when it is launched from a launch template.

  @id:EC2-001 @severity:high @control:CIS-5.6 @control:FSBP-EC2.8
  Scenario: Instances and launch templates set the instance metadata token option
    Remediation: Add `metadata_options { http_tokens = "required" }` (keep `http_endpoint = "enabled"`
      and set `http_put_response_hop_limit = 1`, or 2 for containers) to the `aws_instance` or
      `aws_launch_template`. Left unset, the AMI default applies, which often allows IMDSv1. An instance
      launched from a launch template must repeat the block: the engine does not read the template's value.
    Given I have resource that supports metadata_options defined
    Then it must contain http_tokens

  @id:EC2-002 @severity:high @control:CIS-5.6 @control:FSBP-EC2.8
  Scenario: Instances and launch templates require IMDSv2
    Remediation: Set `http_tokens = "required"` in the `metadata_options` block ("optional" still allows
      IMDSv1 requests without a session token).
    Given I have resource that supports metadata_options defined
    When it contains http_tokens
    Then its value must be required

  @id:EC2-003 @severity:high @control:CIS-2.2.1 @control:FSBP-EC2.3
  Scenario: Instances declare their root volume
    Remediation: Add a `root_block_device { encrypted = true }` block to the `aws_instance` (with
      `volume_type` and `volume_size` as needed) so that root volume encryption is decided in code.
    Given I have aws_instance defined
    Then it must contain root_block_device

  @id:EC2-004 @severity:high @control:CIS-2.2.1 @control:FSBP-EC2.3
  Scenario: Instance root volumes are encrypted
    Remediation: Set `encrypted = true` in the instance's `root_block_device` block (optionally with
      `kms_key_id`). Changing it replaces the instance.
    Given I have aws_instance defined
    When it contains root_block_device
    Then encrypted must be enabled

  @id:EC2-005 @severity:high @control:CIS-2.2.1 @control:FSBP-EC2.3
  Scenario: Instance EBS block devices are encrypted
    Judges every ebs_block_device whose encrypted argument is set; prefer separate aws_ebs_volume
    resources, which EBS-001 checks.
    Remediation: Set `encrypted = true` in every `ebs_block_device` block of the `aws_instance`.
    Given I have aws_instance defined
    When it contains ebs_block_device
    When it contains encrypted
    Then its value must be true

  @id:EC2-006 @severity:high @control:CIS-2.2.1 @control:FSBP-EC2.3
  Scenario: Launch template EBS volumes are encrypted
    Remediation: Set `encrypted = true` in the `ebs` block of every `block_device_mappings` entry of the
      `aws_launch_template`.
    Given I have aws_launch_template defined
    When it contains block_device_mappings
    When it contains encrypted
    Then its value must be true

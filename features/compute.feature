Feature: Compute guardrails
  Guardrails for EC2 instances and launch templates. "resource that supports metadata_options" selects
  aws_instance, aws_launch_template, aws_spot_instance_request and aws_launch_configuration. An
  aws_instance is judged on its own arguments, also when it is launched from a launch template. Without a
  metadata_options block the AMI decides at launch: EC2-001 reports the resource and EC2-002 reports it
  unknown (never a pass).

  @id:EC2-001 @severity:high @control:CIS-5.6 @control:FSBP-EC2.8 @control:FSBP-EC2.170
  Scenario: Instances and launch templates set the instance metadata token option
    Remediation: Add `metadata_options { http_tokens = "required" }` (keep `http_endpoint = "enabled"`
      and set `http_put_response_hop_limit = 1`, or 2 for containers) to the `aws_instance` or
      `aws_launch_template`. Left unset, the AMI default applies, which often allows IMDSv1. An instance
      launched from a launch template must repeat the block: the engine does not read the template's value.
    Given I have resource that supports metadata_options defined
    Then it must contain http_tokens

  @id:EC2-002 @severity:high @control:CIS-5.6 @control:FSBP-EC2.8 @control:FSBP-EC2.170
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

  @id:EC2-006 @severity:high @control:CIS-2.2.1 @control:FSBP-EC2.3 @control:FSBP-EC2.181
  Scenario: Launch template EBS volumes are encrypted
    Remediation: Set `encrypted = true` in the `ebs` block of every `block_device_mappings` entry of the
      `aws_launch_template`.
    Given I have aws_launch_template defined
    When it contains block_device_mappings
    When it contains encrypted
    Then its value must be true

  @id:EC2-007 @severity:high @control:FSBP-EC2.9
  Scenario: EC2 instances do not get a public IP address
    An instance that leaves associate_public_ip_address unset is reported: whether it gets a public
    address depends on its subnet.

    Remediation: Set `associate_public_ip_address = false` on the `aws_instance` and reach it through a
      load balancer, Systems Manager Session Manager or a VPN. Left unset, the subnet's
      `map_public_ip_on_launch` decides, which the plan cannot show.
    Given I have aws_instance defined
    Then it must contain associate_public_ip_address
    And its value must be false

  @id:EC2-008 @severity:high @control:FSBP-EC2.25
  Scenario: Launch templates do not assign public IP addresses
    Launch templates without network_interfaces, or whose interfaces leave the flag unset, follow the
    subnet and are not reported here (subnets are checked by NET-014).

    Remediation: Remove `associate_public_ip_address = true` from the `network_interfaces` blocks of the
      `aws_launch_template` (or set it to false) and put the instances behind a load balancer.
    Given I have aws_launch_template defined
    # the engine renders each block as a dict; the provider stores the flag as a string
    When its network_interfaces has ".*'associate_public_ip_address': (True|'true')" regex
    Then it must fail

  @id:EC2-009 @severity:low
  Scenario: EC2 instances do not turn EBS optimisation off
    Unset means the instance type's default, which is EBS-optimised for current generations.

    Remediation: Remove `ebs_optimized = false` from the `aws_instance` (current instance types are
      EBS-optimised by default) or set it to true.
    Given I have aws_instance defined
    When its ebs_optimized is false
    Then it must fail

  @id:EC2-010 @severity:low
  Scenario: EC2 instances have detailed monitoring
    Detailed monitoring is off unless the instance turns it on.

    Remediation: Set `monitoring = true` on the `aws_instance` to get one-minute CloudWatch metrics.
    Given I have aws_instance defined
    Then monitoring must be enabled

  @id:EC2-011 @severity:high @control:FSBP-AutoScaling.4
  Scenario: Launch configurations keep the metadata response hop limit at 1
    A launch configuration that does not set the hop limit gets the default of 1.

    Remediation: Set `http_put_response_hop_limit = 1` in the `metadata_options` of the
      `aws_launch_configuration`, or better move the Auto Scaling group to an `aws_launch_template`.
    Given I have aws_launch_configuration defined
    When it contains http_put_response_hop_limit
    Then its value must be less and equal than 1

  @id:EC2-012 @severity:high @control:FSBP-AutoScaling.5
  Scenario: Launch configurations do not assign public IP addresses
    Only an explicit true is reported; unset follows the subnet (checked by NET-014).

    Remediation: Remove `associate_public_ip_address = true` from the `aws_launch_configuration` and put
      the group behind a load balancer.
    Given I have aws_launch_configuration defined
    When its associate_public_ip_address is true
    Then it must fail

  @id:EC2-013 @severity:medium @control:FSBP-AutoScaling.9
  Scenario: Auto Scaling uses launch templates, not launch configurations
    Every aws_launch_configuration in the plan is reported: AWS no longer adds features to launch
    configurations, and new accounts cannot create them.

    Remediation: Replace the `aws_launch_configuration` with an `aws_launch_template` (same AMI,
      instance type, security groups and `metadata_options { http_tokens = "required" }`) and point the
      `aws_autoscaling_group` at it with `launch_template { id = ..., version = "$Latest" }`.
    Given I have aws_launch_configuration defined
    Then it must fail

  @id:EC2-014 @severity:medium @control:FSBP-EC2.180
  Scenario: EC2 network interfaces keep source/destination checks on
    Checks every resource type with a source_dest_check argument (aws_instance, aws_network_interface,
    aws_spot_instance_request). The default is true; only an explicit false is reported.

    Remediation: Remove `source_dest_check = false` from the `aws_network_interface` or `aws_instance`.
      A NAT or routing appliance that needs it off should have an approved exclusion.
    Given I have resource that supports source_dest_check defined
    When its source_dest_check is false
    Then it must fail

  @id:EC2-015 @severity:high @control:FSBP-AutoScaling.3
  Scenario: Launch configurations require IMDSv2
    Left unset, the instances allow IMDSv1 (http_tokens optional), which is reported.

    Remediation: Add `metadata_options { http_tokens = "required" }` to the `aws_launch_configuration`,
      or better move the Auto Scaling group to an `aws_launch_template` (EC2-013).
    Given I have aws_launch_configuration defined
    Then it must contain http_tokens
    And its value must match the "^required$" regex

  @id:EC2-016 @severity:low @control:FSBP-AutoScaling.1
  Scenario: Auto Scaling groups in target groups use load balancer health checks
    Applies to an aws_autoscaling_group with target_group_arns. health_check_type defaults to "EC2":
    the group then replaces only instances that fail EC2 status checks, and keeps an instance whose
    application the load balancer already marks unhealthy. EC2-017 checks Classic Load Balancers,
    EC2-018 groups attached by aws_autoscaling_attachment.

    Remediation: Set health_check_type = "ELB" and health_check_grace_period (for example 300) on the
      reported aws_autoscaling_group.
    Given I have aws_autoscaling_group defined
    When its health_check_type is not ELB
    When its target_group_arns has ".+" regex
    Then it must fail

  @id:EC2-017 @severity:low @control:FSBP-AutoScaling.1
  Scenario: Auto Scaling groups behind Classic Load Balancers use load balancer health checks
    Applies to an aws_autoscaling_group with load_balancers (Classic Load Balancer names).
    health_check_type defaults to "EC2".

    Remediation: Set health_check_type = "ELB" and health_check_grace_period (for example 300) on the
      reported aws_autoscaling_group.
    Given I have aws_autoscaling_group defined
    When its health_check_type is not ELB
    When its load_balancers has ".+" regex
    Then it must fail

  @id:EC2-018 @severity:low @control:FSBP-AutoScaling.1
  Scenario: Auto Scaling groups attached to load balancers use load balancer health checks
    Applies to an aws_autoscaling_group that an aws_autoscaling_attachment references
    (autoscaling_group_name = aws_autoscaling_group.<name>.name, same module instance) with a target
    group or a Classic Load Balancer. An aws_autoscaling_traffic_source_attachment is not checked.

    Remediation: Set health_check_type = "ELB" and health_check_grace_period (for example 300) on the
      reported aws_autoscaling_group.
    Given I have aws_autoscaling_group defined
    When its health_check_type is not ELB
    When its aws_autoscaling_attachment has ".+" regex
    Then it must fail

  @id:EC2-019 @severity:low @control:FSBP-EC2.17
  Scenario: EC2 instances do not attach several network interfaces
    Reports an aws_instance with a network_interface block whose device_index is 1 or more: the instance
    then sits in several subnets at once and can bridge traffic around their security groups and
    network ACLs. EC2-020 checks interfaces attached by aws_network_interface_attachment. Appliances
    that need several interfaces (firewalls, routers) need an exclusion.

    Remediation: Remove the network_interface blocks with device_index 1 or more from the reported
      aws_instance (keep the primary interface, device_index = 0, or only subnet_id and
      vpc_security_group_ids); give separate workloads separate instances.
    Given I have aws_instance defined
    # each block as the engine renders it: {'device_index': 1, 'network_card_index': 0, 'network_interface_id': 'eni-...', ...}
    When its network_interface has ".*'device_index': [1-9]" regex
    Then it must fail

  @id:EC2-020 @severity:low @control:FSBP-EC2.17
  Scenario: EC2 instances have no network interfaces attached by aws_network_interface_attachment
    Reports an aws_instance that an aws_network_interface_attachment references (instance_id =
    aws_instance.<name>.id, same module instance): the primary interface is created with the instance,
    so every attachment adds a second one.

    Remediation: Remove the aws_network_interface_attachment of the reported aws_instance (and its extra
      aws_network_interface), or give the workload on that interface an instance of its own.
    Given I have aws_instance defined
    When its aws_network_interface_attachment has ".+" regex
    Then it must fail

  @id:EC2-021 @severity:medium @control:FSBP-EC2.173
  Scenario: Spot Fleet launch specifications encrypt their EBS volumes
    Reports an aws_spot_fleet_request with a launch_specification whose ebs_block_device or
    root_block_device does not say encrypted = true (unset, AWS applies the account's default: set it).
    Volumes that a launch specification does not
    describe (the AMI's root volume) follow the account's EBS encryption default (EC2.7); a fleet that
    uses launch_template_config is judged through its launch template (EC2-006).

    Remediation: Set encrypted = true (with kms_key_id = aws_kms_key.<name>.arn for a customer managed key)
      in every ebs_block_device and root_block_device of the launch_specification blocks of the reported
      aws_spot_fleet_request, or move the fleet to a launch template that encrypts its volumes.
    Given I have aws_spot_fleet_request defined
    # each specification as the engine renders it: {'ami': '...', 'ebs_block_device': [{'device_name': '/dev/sdb', 'encrypted': True, ...}], ...}
    When its launch_specification has ".*'(?:ebs|root)_block_device': \[[^\]]*\x7b(?![^\x7d]*'encrypted': True)" regex
    Then it must fail

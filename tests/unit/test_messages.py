"""Address parsing on terraform-compliance 1.16 failure messages, captured from real engine runs
(tests/e2e/test_step_kinds.py runs the same step kinds through the engine)."""

import pytest

from runner.engine.messages import parse_addresses, strip_ansi

KNOWN = {
    "aws_s3_bucket.logs",
    'module.store.aws_s3_bucket.data["eu"]',
    "aws_instance.web[0]",
    "aws_instance.web[1]",
    "aws_security_group.ssh",
    "aws_db_instance.main",
    'module.net.module.sg["a.b/c"].aws_security_group_rule.rdp[0]',
    "data.aws_iam_policy_document.x",
}

CASES = [
    ("must contain", "aws_s3_bucket.logs (aws_s3_bucket) does not have server_side_encryption_configuration property.",
     ["aws_s3_bucket.logs"]),
    ("must contain (for_each in module)", 'module.store.aws_s3_bucket.data["eu"] (aws_s3_bucket) does not have '
     "server_side_encryption_configuration property.", ['module.store.aws_s3_bucket.data["eu"]']),
    ("must not contain", "acl property exists in aws_s3_bucket.logs (aws_s3_bucket).", ["aws_s3_bucket.logs"]),
    ("must be in", "instance_type property in aws_instance.web[0] resource does not match with "
     "^in\\ t3\\.micro,\\ t3\\.small$ case insensitive regex. It is set to m5.large.", ["aws_instance.web[0]"]),
    ("regex match", "instance_type property in aws_instance.web[0] resource does not match with ^m5\\. case "
     "insensitive regex. It is set to t3.micro.", ["aws_instance.web[0]"]),
    ("port and CIDR", "tcp/22 port is defined within 0.0.0.0/0 network in aws_security_group.ssh.",
     ["aws_security_group.ssh"]),
    ("tag check", "aws_security_group.ssh (resource that supports tags) does not have owner property.",
     ["aws_security_group.ssh"]),
    ("reference", "aws_s3_bucket.logs (aws_s3_bucket) does not have aws_s3_bucket_versioning referenced property.",
     ["aws_s3_bucket.logs"]),
    ("null check", 'password property in aws_db_instance.main is considered to be not Null. It is set to "x".',
     ["aws_db_instance.main"]),
    ("property enabled", "Resource aws_db_instance.main does not have encryption property enabled (encryption=[]).",
     ["aws_db_instance.main"]),
    ("value contains", "audit could not found in aws_db_instance.main.", ["aws_db_instance.main"]),
    ("count", "aws_instance.web resource count is 2 which is not equal to 1", ["aws_instance.web[0]",
                                                                               "aws_instance.web[1]"]),
    ("nested modules, key with dots", 'module.net.module.sg["a.b/c"].aws_security_group_rule.rdp[0] allows '
     "3389 from 0.0.0.0/0", ['module.net.module.sg["a.b/c"].aws_security_group_rule.rdp[0]']),
    ("python repr key", "module.store.aws_s3_bucket.data['eu'] is not encrypted", ['module.store.aws_s3_bucket.data["eu"]']),
    ("data source", "data.aws_iam_policy_document.x has Action *", ["data.aws_iam_policy_document.x"]),
]


@pytest.mark.parametrize("kind,message,expected", CASES, ids=[c[0] for c in CASES])
def test_addresses_from_each_step_kind(kind, message, expected):
    assert parse_addresses(message, KNOWN) == expected


@pytest.mark.parametrize("kind,message,expected", CASES, ids=[c[0] for c in CASES])
def test_ansi_codes_do_not_hide_addresses(kind, message, expected):
    coloured = f"\x1b[1m\x1b[31mFailure\x1b[1m\x1b[37m:\x1b[22m\x1b[39m \x1b[31m{message}\x1b[39m\x1b[26m"
    assert parse_addresses(coloured, KNOWN) == expected


def test_strip_ansi_removes_colour_and_carriage_returns():
    assert strip_ansi("\x1b[1m\x1b[31mFailure\x1b[22m: \x1b[31m\r   \x1b[39m") == "Failure:    "


def test_message_without_a_known_address_yields_nothing():
    assert parse_addresses("Invalid configuration from_port can not be bigger than to_port.", KNOWN) == []
    assert parse_addresses("aws_s3_bucket.ghost is bad", KNOWN) == []


def test_without_known_addresses_every_candidate_is_returned():
    assert parse_addresses("aws_s3_bucket.a and module.m.aws_iam_role.r[3] differ") == [
        "aws_s3_bucket.a", "module.m.aws_iam_role.r[3]"]

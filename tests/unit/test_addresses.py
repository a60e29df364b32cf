"""runner.addresses: the one resource-address parser (modules, data sources, count and for_each keys)."""

from __future__ import annotations

import pytest

from runner.addresses import PatternError, ResourceAddress, normalise, parse_address, resource_type, split_address


@pytest.mark.parametrize("address, expected", [
    ("aws_s3_bucket.logs", ResourceAddress((), "managed", "aws_s3_bucket", "logs")),
    ("aws_s3_bucket.logs[0]", ResourceAddress((), "managed", "aws_s3_bucket", "logs", (), "[0]")),
    ('module.a["k.1"].module.b.data.aws_iam_policy_document.p', ResourceAddress(
        ("a", "b"), "data", "aws_iam_policy_document", "p", ('["k.1"]', ""), "")),
    ('module.net["eu.west/1"].aws_subnet.private[2]', ResourceAddress(
        ("net",), "managed", "aws_subnet", "private", ('["eu.west/1"]',), "[2]")),
])
def test_resource_addresses_are_read_part_by_part(address: str, expected: ResourceAddress) -> None:
    assert parse_address(address) == expected


@pytest.mark.parametrize("text", ["foo", "module.x", "module.x.aws_s3_bucket", 'aws_s3_bucket.x["open', "a.b.c"])
def test_what_is_not_a_resource_address_is_none(text: str) -> None:
    assert parse_address(text) is None


def test_config_address_drops_instance_keys_and_single_quotes_normalise() -> None:
    parsed = parse_address(normalise("module.a['x'].aws_s3_bucket.b['y']"))
    assert parsed is not None and parsed.key == '["y"]'
    assert parsed.config_address == "module.a.aws_s3_bucket.b"
    assert resource_type('module.a["x"].data.aws_region.r') == "aws_region"


def test_unbalanced_brackets_are_a_pattern_error() -> None:
    with pytest.raises(PatternError):
        split_address("aws_s3_bucket.x[0")

"""Resource patterns of exclusions (runner.exclusions.match): every address form Terraform prints."""

from __future__ import annotations

import pytest

from runner.exclusions.match import check_pattern, is_broad, split_address
from runner.exclusions.registry import matches

ROOT = "aws_s3_bucket.logs"
COUNT0 = "aws_s3_bucket.raw[0]"
COUNT1 = "aws_s3_bucket.raw[1]"
COUNT12 = "aws_s3_bucket.raw[12]"
DOTTED_KEY = 'aws_s3_bucket.site["eu.west/1"]'
QUOTE_KEY = 'aws_s3_bucket.site["we\\"ird"]'
MODULE = "module.lake.aws_s3_bucket.data"
MODULE_COUNT = "module.lake[0].aws_s3_bucket.data"
NESTED = 'module.lake["eu"].module.inner.aws_s3_bucket.data'
NESTED_DEEP = "module.a.module.b.module.c.aws_s3_bucket.data"
DATA = "data.aws_s3_bucket.shared"
MODULE_DATA = "module.lake.data.aws_iam_policy_document.read"
ALL = [ROOT, COUNT0, COUNT1, COUNT12, DOTTED_KEY, QUOTE_KEY, MODULE, MODULE_COUNT, NESTED, NESTED_DEEP, DATA,
       MODULE_DATA, "aws_s3_bucket.logs_archive", "module.lakehouse.aws_s3_bucket.data"]


def covered(pattern: str) -> set[str]:
    return {a for a in ALL if matches(pattern, a)}


@pytest.mark.parametrize("address", ALL)
def test_an_exact_address_matches_itself_and_nothing_else(address: str) -> None:
    assert covered(address) == {address}


@pytest.mark.parametrize(("pattern", "expected"), [
    # count instances
    ("aws_s3_bucket.raw[*]", {COUNT0, COUNT1, COUNT12}),
    ("aws_s3_bucket.raw[1]", {COUNT1}),
    ("aws_s3_bucket.raw[1*]", {COUNT1, COUNT12}),
    # for_each keys with dots, slashes and escaped quotes stay inside one part
    ("aws_s3_bucket.site[*]", {DOTTED_KEY, QUOTE_KEY}),
    ('aws_s3_bucket.site["eu.*"]', {DOTTED_KEY}),
    ('aws_s3_bucket.site["eu.west/1"]', {DOTTED_KEY}),
    ("aws_s3_bucket.site['eu.west/1']", {DOTTED_KEY}),  # single quotes read as Terraform's double quotes
    ('aws_s3_bucket.site["we\\"*"]', {QUOTE_KEY}),
    # `*` stays within one part: the name, the index, or both
    ("aws_s3_bucket.logs*", {ROOT, "aws_s3_bucket.logs_archive"}),
    ("aws_s3_bucket.*", {ROOT, COUNT0, COUNT1, COUNT12, DOTTED_KEY, QUOTE_KEY, "aws_s3_bucket.logs_archive"}),
    # modules: one step per `module.NAME[KEY]`
    ("module.lake.aws_s3_bucket.data", {MODULE}),
    ("module.lake[*].aws_s3_bucket.data", {MODULE_COUNT}),
    ("module.lake*.aws_s3_bucket.data", {MODULE, MODULE_COUNT, "module.lakehouse.aws_s3_bucket.data"}),
    ("module.*.aws_s3_bucket.data", {MODULE, MODULE_COUNT, "module.lakehouse.aws_s3_bucket.data"}),
    ('module.lake["eu"].module.inner.aws_s3_bucket.data', {NESTED}),
    ("module.lake[*].module.*.aws_s3_bucket.data", {NESTED}),
    # `**` before TYPE.NAME: any module path, the root included, never a data source
    ("**.aws_s3_bucket.data", {MODULE, MODULE_COUNT, NESTED, NESTED_DEEP, "module.lakehouse.aws_s3_bucket.data"}),
    ("**.aws_s3_bucket.logs", {ROOT}),
    ("**.aws_s3_bucket.shared", set()),  # `data.aws_s3_bucket.shared` is a data source, not a module path
    ("module.a.**.aws_s3_bucket.data", {NESTED_DEEP}),
    # `**` at the end: everything below, data sources included
    ("module.lake.**", {MODULE, MODULE_DATA}),
    ("module.lake[*].**", {MODULE_COUNT, NESTED}),
    ("**", set(ALL)),
    # data sources
    ("data.aws_s3_bucket.shared", {DATA}),
    ("data.aws_s3_bucket.*", {DATA}),
    ("**.data.aws_iam_policy_document.read", {MODULE_DATA}),
    ("*.aws_s3_bucket.shared", {DATA}),
])
def test_patterns_cover_exactly_these(pattern: str, expected: set[str]) -> None:
    assert covered(pattern) == expected


def test_a_resource_without_index_does_not_cover_its_instances() -> None:
    assert not matches("aws_s3_bucket.raw", COUNT0)
    assert not matches("module.lake.aws_s3_bucket.data", MODULE_COUNT)


def test_an_empty_address_is_never_matched() -> None:
    assert not matches("**", "")
    assert not matches("*", "")


def test_a_malformed_pattern_matches_nothing() -> None:
    assert not matches("aws_s3_bucket.raw[", "aws_s3_bucket.raw[0]")


def test_split_keeps_dots_and_brackets_inside_keys() -> None:
    assert split_address('module.net["a.b"].aws_subnet.x["c]d.e"]') == (
        "module", 'net["a.b"]', "aws_subnet", 'x["c]d.e"]')


@pytest.mark.parametrize(("pattern", "why"), [
    ("", "is empty"),
    (" aws_s3_bucket.logs", "spaces"),
    ("aws_s3_bucket.logs[", "unclosed"),
    ("aws_s3_bucket.logs]", "without `[`"),
    ('aws_s3_bucket."logs"', "inside [ ]"),
    ("aws_s3_bucket..logs", "empty part"),
    ("aws_s3_bucket.logs.", "empty part"),
    ("**aws_s3_bucket.logs", "`**` must stand alone"),
    ("module.x.a**", "`**` must stand alone"),
    ("logs", "must end with TYPE.NAME"),
    ("*", "must end with TYPE.NAME"),
    ("module.x.**.logs", "must end with TYPE.NAME"),
    ("module.x.raw[0].logs", "where a resource type"),
    ("AWS_S3_BUCKET.logs", "where a resource type"),
])
def test_malformed_patterns_are_explained(pattern: str, why: str) -> None:
    message = check_pattern(pattern)
    assert message and why in message


@pytest.mark.parametrize("pattern", [ROOT, DOTTED_KEY, NESTED, DATA, "aws_s3_bucket.raw[*]", "**.aws_s3_bucket.data",
                                     "module.*.aws_s3_bucket.data", "module.lake.**"])
def test_well_formed_patterns_pass(pattern: str) -> None:
    assert check_pattern(pattern) is None


@pytest.mark.parametrize(("pattern", "broad"), [
    ("**", True),
    ("module.lake.**", True),
    ("aws_s3_bucket.*", True),
    ("aws_s3_bucket.*[*]", True),
    ("**.aws_s3_bucket.*", True),
    ("*.*", True),
    ("aws_*.logs", True),
    ("aws_s3_bucket.logs", False),
    ("aws_s3_bucket.raw[*]", False),
    ("aws_s3_bucket.logs_*", False),
    ("**.aws_s3_bucket.data", False),
    ("module.*.aws_s3_bucket.data", False),
])
def test_broad_patterns(pattern: str, broad: bool) -> None:
    assert is_broad(pattern) is broad

"""tfguard's corrections of terraform-compliance (runner/engine/fixes, runner.engine.corrections): companion
resources attach only within their own module instance, and to the instance their reference names."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import REPO_ROOT

from runner.engine.corrections import module_instances, same_module_instance

FIXTURES = REPO_ROOT / "tests" / "guardrails"


@pytest.mark.parametrize(("address", "chain"), [
    ("aws_s3_bucket.logs", []),
    ("module.a.aws_s3_bucket.this", [("a", "")]),
    ('module.a["x.y"].module.b[0].aws_s3_bucket.this[1]', [("a", '["x.y"]'), ("b", "[0]")]),
])
def test_module_instances_reads_every_call_with_its_key(address, chain):
    assert module_instances(address) == chain


@pytest.mark.parametrize(("a", "b", "same"), [
    ('module.t["a"].aws_s3_bucket.this', 'module.t["a"].aws_s3_bucket_versioning.this[0]', True),
    ('module.t["a"].aws_s3_bucket.this', 'module.t["b"].aws_s3_bucket_versioning.this[0]', False),
    ("module.t[0].aws_s3_bucket.this", "module.t[1].aws_s3_bucket_logging.this", False),
    # nested: the inner module of instance "a" belongs to "a" only
    ('module.t["a"].module.sse[0].aws_x.this', 'module.t["a"].aws_s3_bucket.this', True),
    ('module.t["a"].module.sse[0].aws_x.this', 'module.t["b"].aws_s3_bucket.this', False),
    # different calls share no instance: links through outputs and variables stay possible
    ("module.a.aws_x.this", "module.b.aws_s3_bucket.this", True),
    ("aws_x.root", 'module.t["a"].aws_s3_bucket.this', True),
])
def test_same_module_instance(a, b, same):
    assert same_module_instance(a, b) is same
    assert same_module_instance(b, a) is same


# the parser is patched in one child process, so that this one keeps the engine as installed
MOUNTS = """
import contextlib, io, json, sys
with contextlib.redirect_stdout(io.StringIO()):
    from terraform_compliance.extensions.terraform import TerraformParser
    from runner.engine.corrections import install_engine_fixes
    out = {}
    for mode in ("plain", "fixed"):
        if mode == "fixed":
            install_engine_fixes(TerraformParser)
        for plan in sys.argv[1:]:
            parser = TerraformParser(plan, parse_it=False)
            parser._parse_resources(); parser._parse_configurations(); parser._mount_references()
            key = "terraform-compliance.mounted_resources.addresses_list"
            out[mode + " " + plan] = {a: sorted(r.get(key, [])) for a, r in parser.resources.items()
                                      if r["type"] == "aws_s3_bucket"}
print(json.dumps(out))
"""
PLANS = ("S3-001/fail/sibling_module_without_sse.json", "S3-001/pass/companion_through_module_variables.json",
         "S3-003/fail/for_each_companions_pair_by_key.json", "S3-001/fail/count_companion_in_module_pairs_by_index.json",
         "S3-002/fail/literal_key_companion.json", "S3-002/unknown/companion_key_from_a_local.json",
         "S3-003/fail/for_each_over_the_buckets.json")


@pytest.fixture(scope="module")
def mounts() -> dict[str, dict[str, list[str]]]:
    """Mounted companions of every bucket, per "plain|fixed PLAN"."""
    out = subprocess.run([sys.executable, "-c", MOUNTS, *(str(FIXTURES / p) for p in PLANS)],
                         capture_output=True, text=True, check=True).stdout
    return {k.split(" ", 1)[0] + " " + k.split("/tests/guardrails/")[1]: v
            for k, v in json.loads(out.strip().splitlines()[-1]).items()}


SSE = "aws_s3_bucket_server_side_encryption_configuration.this"


def test_a_companion_is_mounted_on_the_bucket_of_its_own_module_instance_only(mounts):
    assert mounts["fixed " + PLANS[0]] == {
        "module.secure.aws_s3_bucket.this": [f"module.secure.{SSE}[0]"],
        "module.plain.aws_s3_bucket.this": [],
        'module.tenant["a"].aws_s3_bucket.this': [f'module.tenant["a"].{SSE}[0]'],
        'module.tenant["b"].aws_s3_bucket.this': [],
    }


def test_the_installed_engine_mounts_across_instances_which_the_fix_corrects(mounts):
    """Guards the reason for the fix: if terraform-compliance stops doing this, the fix can go."""
    assert mounts["plain " + PLANS[0]]["module.plain.aws_s3_bucket.this"]  # another module's encryption


def test_a_bucket_passed_through_module_variables_gets_its_companion(mounts):
    got = mounts["fixed " + PLANS[1]]
    assert got["aws_s3_bucket.audit"] == [f"module.audit_sse.{SSE}"]
    assert got['module.site["a"].aws_s3_bucket.this'] == [f'module.site["a"].module.sse[0].{SSE}']
    assert got['module.site["b"].aws_s3_bucket.this'] == [f'module.site["b"].module.sse[0].{SSE}']


def test_supports_tags_means_a_top_level_tags_argument(monkeypatch):
    """S3 configurations whose nested filter carries tags are out of scope; a type with top-level tags is in,
    whatever the provider; in a static plan, which leaves unset arguments out, a listed taggable type that
    nobody tagged is in too (a plan from terraform shows `tags` for every type whose provider has it)."""
    import types

    from radish import world

    from runner.engine.corrections import aws_taggable, install_taggable_scope

    def any_depth(haystack, needle, return_key=None):  # the engine's reading
        def has(v):
            return isinstance(v, dict) and (needle in v or any(has(x) for x in v.values())) or \
                isinstance(v, list) and any(has(x) for x in v)
        return [r[return_key] for r in haystack.values() if has(r)]

    module = types.SimpleNamespace(find_root_by_key=any_depth)
    install_taggable_scope(module)
    raw = {
        "aws_s3_bucket_analytics_configuration.a": {"type": "aws_s3_bucket_analytics_configuration", "mode": "managed",
                                                    "values": {"filter": [{"prefix": "p/", "tags": {"k": "v"}}]}},
        "aws_sns_topic.t": {"type": "aws_sns_topic", "mode": "managed", "values": {"name": "t"}},
        "acme_widget.w": {"type": "acme_widget", "mode": "managed", "values": {"tags": {"owner": "x"}}},
    }
    monkeypatch.setattr(world, "config", types.SimpleNamespace(terraform=types.SimpleNamespace(raw={})), raising=False)
    assert module.find_root_by_key(raw, "tags", return_key="type") == ["acme_widget"]
    world.config.terraform.raw = {"tfguard": {"static_plan": True}}
    assert module.find_root_by_key(raw, "tags", return_key="type") == ["acme_widget", "aws_sns_topic"]
    assert module.find_root_by_key(raw, "prefix", return_key="type") == ["aws_s3_bucket_analytics_configuration"]
    taggable = aws_taggable()
    assert "aws_s3_bucket" in taggable and "aws_s3_bucket_lifecycle_configuration" not in taggable
    assert len(taggable) > 500


PAB = "aws_s3_bucket_public_access_block"


def test_a_for_each_companion_attaches_to_the_bucket_of_its_own_key(mounts):
    """bucket = aws_s3_bucket.team[each.key].id: the configuration records ["aws_s3_bucket.team", "each.key"]."""
    got = mounts["fixed " + PLANS[2]]
    assert got['aws_s3_bucket.team["payments"]'] == [f'{PAB}.team["payments"]']
    assert got['aws_s3_bucket.team["search"]'] == [f'{PAB}.team["search"]']
    assert len(mounts["plain " + PLANS[2]]['aws_s3_bucket.team["payments"]']) == 2  # the engine: both blocks


def test_a_count_companion_inside_a_module_instance_attaches_by_count_index(mounts):
    got = mounts["fixed " + PLANS[3]]
    assert got["module.archive.aws_s3_bucket.this[0]"] == [f"module.archive.{SSE}[0]"]
    assert got["module.archive.aws_s3_bucket.this[1]"] == []


def test_a_literal_key_names_its_instance_and_an_undecided_key_keeps_every_candidate(mounts):
    literal = mounts["fixed " + PLANS[4]]
    assert literal['aws_s3_bucket.site["www"]'] == [f"{PAB}.www"] and literal['aws_s3_bucket.site["assets"]'] == []
    undecided = mounts["fixed " + PLANS[5]]  # aws_s3_bucket.team[local.primary_team]: tfguard reports unknown
    assert undecided['aws_s3_bucket.team["payments"]'] == undecided['aws_s3_bucket.team["search"]'] == [f"{PAB}.primary"]


def test_a_companion_iterating_the_buckets_is_mounted_by_key(mounts):
    """for_each = aws_s3_bucket.team, bucket = each.value.id: the engine mounts nothing (it skips each.*)."""
    got = mounts["fixed " + PLANS[6]]
    assert got['aws_s3_bucket.team["payments"]'] == [f'{PAB}.team["payments"]']
    assert got['aws_s3_bucket.team["search"]'] == [f'{PAB}.team["search"]']
    assert mounts["plain " + PLANS[6]]['aws_s3_bucket.team["search"]'] == []

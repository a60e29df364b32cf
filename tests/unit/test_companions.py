"""runner.engine.companions: which instance of a companion attaches to which instance of the resource it
references. The reference lists are the ones terraform 1.0.3 writes into a plan's `configuration` (read
from real plans of null_resource companions), and plan-from-source writes the same."""

from __future__ import annotations

import pytest

from runner.engine.companions import Companions, instance_key, key_kind, pairing, references_in

TEAM = "aws_s3_bucket.team"
KEYS = ['["payments"]', '["search"]']


@pytest.mark.parametrize(("refs", "context", "keys", "decided"), [
    # aws_s3_bucket.team[each.key].id, evaluated for the companion's own key
    ([TEAM, "each.key"], '["search"]', ['["search"]'], True),
    # aws_s3_bucket.b[count.index].id, and element(aws_s3_bucket.b[*].id, count.index) alike
    (["aws_s3_bucket.b", "count.index"], "[1]", ["[1]"], True),
    # aws_s3_bucket.team["payments"].id (terraform 1.x lists the instance, then the resource)
    ([f'{TEAM}["payments"].id', f'{TEAM}["payments"]', TEAM], "", ['["payments"]'], True),
    ([f'{TEAM}["payments"]'], "", ['["payments"]'], True),  # terraform 0.12 lists the instance only
    ([f'{TEAM}["gone"].id', f'{TEAM}["gone"]', TEAM], "", [], True),  # a key with no instance: nothing
    ([TEAM], "", KEYS, True),  # aws_s3_bucket.team[*].id: every instance
    # not decided: every candidate, and said so
    ([TEAM, "local.primary"], "", KEYS, False),  # aws_s3_bucket.team[local.primary].id
    ([TEAM, "each.value"], '["payments"]', KEYS, False),  # aws_s3_bucket.team[each.value].id
    ([TEAM, "each.key"], '["ledger"]', KEYS, False),  # its own key is not one of the bucket's
    ([TEAM, "count.index"], '["payments"]', KEYS, False),  # count.index where the companion is for_each
    ([f'{TEAM}["payments"].id', f'{TEAM}["payments"]', TEAM, "each.key"], '["x"]', KEYS, False),
])
def test_pairing_reads_the_references_terraform_records(refs, context, keys, decided):
    counted = "aws_s3_bucket.b" in refs
    got = pairing(refs, "aws_s3_bucket.b" if counted else TEAM, context, ["[0]", "[1]"] if counted else KEYS)
    assert (list(got.keys), got.decided) == (keys, decided)


def test_a_resource_with_one_instance_is_always_decided():
    assert pairing([TEAM, "local.primary"], TEAM, "", ["[0]"]).decided


def test_keys_and_references():
    assert instance_key('module.a["x"].aws_s3_bucket.b["y.z"]') == '["y.z"]'
    assert instance_key('module.a["x"].aws_s3_bucket.b') == ""
    assert (key_kind("[3]"), key_kind('["3"]'), key_kind("")) == ("count", "for_each", "")
    nested = {"rule": [{"apply": [{"kms": {"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]}}]}]}
    assert references_in(nested) == ["aws_kms_key.k.arn", "aws_kms_key.k"]


def _plan(resources: dict[str, dict], calls: dict | None = None) -> tuple[dict, dict]:
    """configs (configuration address -> resource) and a plan holding the module calls."""
    return resources, {"configuration": {"root_module": {"module_calls": calls or {}}}}


def test_keep_pairs_both_directions_of_the_engine_mounting():
    configs, raw = _plan({
        TEAM: {"expressions": {"bucket": {"references": ["each.key"]}}},
        "aws_s3_bucket_public_access_block.team": {"expressions": {"bucket": {"references": [TEAM, "each.key"]}}},
    })
    buckets = [f"{TEAM}{k}" for k in KEYS]
    blocks = [f"aws_s3_bucket_public_access_block.team{k}" for k in KEYS]
    pairer = Companions(configs, raw, buckets + blocks)
    assert pairer.keep(blocks[1], "bucket", buckets) == [buckets[1]]  # companion -> bucket
    assert pairer.keep(buckets[0], "bucket", blocks) == [blocks[0]]  # bucket -> companion
    assert pairer.keep(blocks[0], "tags", buckets) == buckets  # an argument that does not name it: unchanged


def test_a_reference_through_a_module_variable_pairs_by_the_module_instance_key():
    """module "site" { for_each = local.teams, bucket_id = aws_s3_bucket.team[each.key].id }, and inside the
    module a public access block with bucket = var.bucket_id."""
    configs, raw = _plan({
        TEAM: {"expressions": {}},
        "module.site.aws_s3_bucket_public_access_block.this": {"expressions": {"bucket": {"references": ["var.bucket_id"]}}},
    }, {"site": {"expressions": {"bucket_id": {"references": [TEAM, "each.key"]}}}})
    buckets = [f"{TEAM}{k}" for k in KEYS]
    blocks = [f"module.site{k}.aws_s3_bucket_public_access_block.this" for k in KEYS]
    pairer = Companions(configs, raw, buckets + blocks)
    assert pairer.keep(blocks[1], "bucket", buckets) == [buckets[1]]
    mounts = {(m.source, m.target, m.key, m.decided) for m in pairer.mounts()}
    assert (blocks[1], buckets[1], "aws_s3_bucket_public_access_block", True) in mounts
    assert (buckets[1], blocks[1], "aws_s3_bucket", True) in mounts
    assert not any(m[0] == blocks[1] and m[1] == buckets[0] for m in mounts)


def test_mounts_say_which_pairings_the_plan_does_not_decide():
    configs, raw = _plan({
        TEAM: {"expressions": {}},
        "aws_s3_bucket_versioning.primary": {"expressions": {"bucket": {"references": [TEAM, "local.primary"]}}},
        "aws_security_group_rule.ssh": {"expressions": {
            "type": {"constant_value": "ingress"},
            "security_group_id": {"references": ["aws_security_group.edge", "each.key"]}}},
        "aws_security_group.edge": {"expressions": {}},
    })
    buckets = [f"{TEAM}{k}" for k in KEYS]
    groups = ['aws_security_group.edge["a"]', 'aws_security_group.edge["b"]']
    rules = ['aws_security_group_rule.ssh["a"]', 'aws_security_group_rule.ssh["b"]']
    pairer = Companions(configs, raw, buckets + ["aws_s3_bucket_versioning.primary"] + groups + rules)
    mounts = list(pairer.mounts())
    versioning = [m for m in mounts if m.source == "aws_s3_bucket_versioning.primary"]
    assert sorted(m.target for m in versioning) == buckets and not any(m.decided for m in versioning)
    ssh = sorted((m.source, m.target, m.key) for m in mounts if m.source in rules)
    assert ssh == [(rules[0], groups[0], "ingress"), (rules[1], groups[1], "ingress")]  # mounted as the engine does
    assert all(m.decided for m in mounts if m.source in rules or m.source in groups)


def test_a_for_each_over_the_referenced_resource_pairs_each_value_by_key():
    """for_each = aws_s3_bucket.team, bucket = each.value.id: the argument records only each.value, the
    for_each the resource; it reads as aws_s3_bucket.team[each.key].id."""
    configs, raw = _plan({
        TEAM: {"expressions": {}},
        "aws_s3_bucket_public_access_block.team": {"expressions": {"bucket": {"references": ["each.value.id", "each.value"]}},
                                                   "for_each_expression": {"references": [TEAM]}},
        "aws_s3_bucket_versioning.team": {"expressions": {"bucket": {"references": ["each.value.id", "each.value"]}},
                                          "for_each_expression": {"references": [TEAM, "local.enabled"]}},
    })
    buckets = [f"{TEAM}{k}" for k in KEYS]
    blocks = [f"aws_s3_bucket_public_access_block.team{k}" for k in KEYS]
    versions = [f"aws_s3_bucket_versioning.team{k}" for k in KEYS]
    pairer = Companions(configs, raw, buckets + blocks + versions)
    assert sorted(pairer.iteration_routes()) == [
        ("aws_s3_bucket_public_access_block.team", "bucket", TEAM, "aws_s3_bucket_public_access_block"),
        ("aws_s3_bucket_versioning.team", "bucket", TEAM, "aws_s3_bucket_versioning")]
    assert pairer.keep(blocks[0], "bucket", buckets) == [buckets[0]]
    assert pairer.keep(buckets[1], "bucket", blocks) == [blocks[1]]
    # a for_each that filters or re-keys the map (another reference in it) is not decided
    assert [m.decided for m in pairer.mounts() if m.source == versions[0]] == [False, False]

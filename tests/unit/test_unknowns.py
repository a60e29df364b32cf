"""runner.engine.unknowns: what each step looks at, and which resources a guardrail cannot judge at plan
time; runner.model: an unknown is counted apart and never reads as compliant."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from helpers import minimal_plan
from helpers import resource_change as rc

from runner.engine.unknowns import (
    KNOWN,
    PRESENCE,
    UNKNOWN_HERE,
    UNKNOWN_IF_FAILED,
    VALUE,
    Step,
    judge,
    plan_view,
    probes,
    steps_of,
    unknown_resources,
    watch_list,
)
from runner.exclusions.registry import ExclusionRegistry, apply_exclusions
from runner.model import Finding, Result, RunResult, Status, judged_status, worst_status


def steps(*texts: str) -> list[Step]:
    lines = [f"    {t}" for t in texts]
    return steps_of(lines, 1, len(lines))


def view_of(rtype: str, after: dict, unknown: dict | None = None, expressions: dict | None = None, name: str = "r"):
    change = rc(rtype, name, after)
    change["change"]["after_unknown"] = {"id": True, **(unknown or {})}
    data = minimal_plan([change])
    data["configuration"]["root_module"]["resources"][0]["expressions"] = expressions or {}
    return plan_view(data)


def test_probes_say_what_each_step_needs():
    found = probes(steps("Given I have resource that supports metadata_options defined",
                         "When it contains http_tokens", "Then its value must be required"))
    assert [(p.attribute, p.kind, p.phase, p.root, p.context) for p in found] == [
        ("http_tokens", PRESENCE, "when", "metadata_options", ()),
        ("http_tokens", VALUE, "then", "metadata_options", ("http_tokens",)),
    ]
    found = probes(steps("Given I have aws_cloudtrail defined", 'When its kms_key_id is ".*" regex',
                         "Then it must contain kms_key_id", "And its value must not be null"))
    assert [(p.kind, p.negative, p.top_level) for p in found] == [(PRESENCE, False, True), (PRESENCE, False, False),
                                                                  (PRESENCE, False, False)]
    found = probes(steps("Given I have aws_iam_policy_attachment defined", "When it has users",
                         "Then it must contain users", "And its value must be null"))
    assert found[-1].negative  # "must be null" asks for absence
    assert probes(steps("Given I have aws_rds_cluster defined", "Then storage_encrypted must be enabled"))[0].kind == VALUE
    assert probes(steps("Given I have aws_s3_bucket defined", "Then it must fail")) == []
    assert probes(steps("Given I have <type> defined", "Then it must contain <attr>")) == []  # outlines: engine alone


def test_a_value_known_only_after_apply_is_unknown_for_a_value_step_and_known_for_presence_when_set():
    view = view_of("aws_rds_cluster", {"engine": "aurora"}, {"storage_encrypted": True},
                   {"storage_encrypted": {"references": ["data.aws_ssm_parameter.p.value"]}})
    r = view["aws_rds_cluster.r"]
    value, presence = probes(steps("Given I have aws_rds_cluster defined", "Then storage_encrypted must be enabled",
                                   "Then it must contain storage_encrypted"))
    assert judge(value, r) == UNKNOWN_HERE
    assert judge(presence, r) == UNKNOWN_IF_FAILED  # it is set; the engine may not have seen it


def test_an_unset_attribute_with_a_provider_default_is_known():
    r = view_of("aws_rds_cluster", {"engine": "aurora"}, {"storage_encrypted": True})["aws_rds_cluster.r"]
    [value] = probes(steps("Given I have aws_rds_cluster defined", "Then storage_encrypted must be enabled"))
    assert judge(value, r) == KNOWN and r.after["storage_encrypted"] is False


def test_aws_decides_an_unset_block_a_filter_cannot_tell_and_a_requirement_reports_it():
    r = view_of("aws_instance", {"ami": "ami-1"})["aws_instance.r"]
    when, value = probes(steps("Given I have resource that supports metadata_options defined",
                               "When it contains http_tokens", "Then its value must be required"))
    [then] = probes(steps("Given I have resource that supports metadata_options defined",
                          "Then it must contain http_tokens"))
    assert judge(when, r) == UNKNOWN_HERE and judge(value, r) == UNKNOWN_HERE
    assert judge(then, r) == KNOWN  # EC2-001: not set, so the engine's failure stands


def test_its_x_reads_the_top_level_only():
    """An aws_instance's root_block_device.tags_all is known after apply; its own tags_all is known."""
    r = view_of("aws_instance", {"tags_all": {"owner": "t"}, "metadata_options": [{"http_tokens": "required"}]},
                {"root_block_device": [{"tags_all": True}], "tags_all": {}},
                {"metadata_options": [{"http_tokens": {"constant_value": "required"}}]})["aws_instance.r"]
    [when] = probes(steps("Given I have resource that supports tags defined", "When its tags_all has owner"))
    assert judge(when, r) == KNOWN


def test_unknown_resources_follow_the_reached_steps_and_keep_earlier_failures():
    view = view_of("aws_instance", {"ami": "ami-1"})
    found = probes(steps("Given I have resource that supports metadata_options defined",
                         "When it contains http_tokens", "Then its value must be required"))
    got = unknown_resources(found, [1, 2, 3], {2: ["aws_instance.r"]}, {}, view)
    assert [(u.address, u.line, u.decided_by_aws) for u in got] == [("aws_instance.r", 2, "metadata_options")]
    assert "AWS chooses it at apply time" in got[0].message()
    assert unknown_resources(found, [1, 2, 3], {}, {}, view) == []  # never given to the step: not judged there


def test_unknown_counts_apart_and_never_reads_as_compliant():
    u = Finding("G", "w", "aws_x.a", "m", unknown=True)
    assert u.is_unknown and not u.is_violation
    assert judged_status([u], Status.PASSED) is Status.UNKNOWN
    assert judged_status([u, Finding("G", "w", "aws_x.b", "m")], Status.PASSED) is Status.FAILED
    run = RunResult((), (Result("G", "w", Status.UNKNOWN, (u,)),))
    assert run.exit_code == 1 and run.counts()["unknown"] == 1 and Status.UNKNOWN.noncompliant
    assert worst_status([Status.PASSED, Status.UNKNOWN]) is Status.UNKNOWN
    assert worst_status([Status.FAILED, Status.UNKNOWN]) is Status.FAILED


def test_an_excluded_unknown_passes_and_an_unexcluded_one_stays_unknown():
    from runner.exclusions.registry import Exclusion

    e = Exclusion(id="EXC-1", guardrail="G", workload="w", resource="aws_x.a", reason="r", requested_by="app",
                  approved_by="sec", ticket="", created=date(2026, 1, 1), expires=date(2099, 1, 1))
    reg = ExclusionRegistry(Path("."), (e,), approvers=("sec",))
    only = Result("G", "w", Status.UNKNOWN, (Finding("G", "w", "aws_x.a", "m", unknown=True),))
    assert apply_exclusions(only, reg, date(2026, 1, 1)).status is Status.PASSED
    two = Result("G", "w", Status.UNKNOWN, (Finding("G", "w", "aws_x.a", "m", unknown=True),
                                            Finding("G", "w", "aws_x.b", "m", unknown=True)))
    assert apply_exclusions(two, reg, date(2026, 1, 1)).status is Status.UNKNOWN


def test_any_value_regexes_ask_for_presence_and_identifiers_naming_a_resource_are_known():
    """`"^(?!None$).+"` and `".*"` only ask whether there is a value. An identifier the configuration takes
    from a resource of the plan (kms_key_id = aws_kms_key.k.arn) names that resource: a guardrail asking
    what it names is judged; a boolean taken from another resource is not known."""
    found = probes(steps("Given I have aws_secretsmanager_secret defined", 'When its kms_key_id is "^(?!None$).+" regex',
                         "Then it must contain kms_key_id", 'And its value must match the "^(?!alias/aws/).+" regex'))
    assert [p.kind for p in found] == [PRESENCE, PRESENCE, VALUE]
    view = view_of("aws_secretsmanager_secret", {"name": "s"}, {"kms_key_id": True},
                   {"kms_key_id": {"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]}})
    assert judge(found[-1], view["aws_secretsmanager_secret.r"]) == KNOWN
    flag = view_of("aws_rds_cluster", {"engine": "aurora"}, {"storage_encrypted": True},
                   {"storage_encrypted": {"references": ["aws_rds_global_cluster.g.storage_encrypted"]}})
    [enabled] = probes(steps("Given I have aws_rds_cluster defined", "Then storage_encrypted must be enabled"))
    assert judge(enabled, flag["aws_rds_cluster.r"], engine_keys=["storage_encrypted"]) == UNKNOWN_HERE


# --- companions: part of the resource they attach to (runner.engine.companions) ------------------------

GUARDRAILS = Path(__file__).resolve().parents[1] / "guardrails"


def fixture_view(rel: str):
    import json

    return plan_view(json.loads((GUARDRAILS / rel).read_text(encoding="utf-8")))


def test_a_value_known_after_apply_inside_a_companion_is_unknown_on_its_bucket():
    """aws_s3_bucket_logging.target_prefix from a data source read at apply: S3-007 asks the bucket to contain
    it; the engine, which sees no value, fails the bucket, and that failure is not true."""
    view = fixture_view("S3-007/unknown/logging_prefix_known_after_apply.json")
    [then] = probes(steps("Given I have aws_s3_bucket defined", "Then it must contain target_prefix"))
    assert judge(then, view["aws_s3_bucket.app"]) == UNKNOWN_IF_FAILED
    got = unknown_resources([then], [1, 2], {2: ["aws_s3_bucket.app"]}, {"aws_s3_bucket.app": {2}}, view)
    assert [(u.address, u.attribute) for u in got] == [("aws_s3_bucket.app", "target_prefix")]
    assert "aws_s3_bucket.app" in watch_list(view, [then])


def test_a_regex_on_a_companion_is_unknown_when_it_names_an_attribute_known_after_apply():
    view = fixture_view("S3-003/unknown/flag_known_after_apply.json")
    bucket = view["aws_s3_bucket.app"]
    [named] = probes(steps("Given I have aws_s3_bucket defined",
                           """When its aws_s3_bucket_public_access_block has ".*'(ignore_public_acls)': False" regex"""))
    [other] = probes(steps("Given I have aws_s3_bucket defined",
                           """When its aws_s3_bucket_public_access_block has ".*'block_public_acls': False" regex"""))
    assert judge(named, bucket) == UNKNOWN_HERE
    assert judge(other, bucket) == KNOWN  # its id and bucket are unknown too, but the step does not read them
    assert watch_list(view, [named]) == ["aws_s3_bucket.app"]


def test_a_companion_the_plan_does_not_pair_makes_what_it_brings_unknown():
    """aws_s3_bucket_public_access_block.primary, bucket = aws_s3_bucket.team[local.primary_team].id: the
    engine attaches it to both buckets; which one it belongs to is not in the plan."""
    view = fixture_view("S3-002/unknown/companion_key_from_a_local.json")
    bucket = view['aws_s3_bucket.team["search"]']
    [must_have] = probes(steps("Given I have aws_s3_bucket defined", "Then it must contain aws_s3_bucket_public_access_block"))
    [tags] = probes(steps("Given I have aws_s3_bucket defined", "Then it must contain tags"))
    assert judge(must_have, bucket) == UNKNOWN_HERE
    assert judge(tags, bucket) == KNOWN  # the bucket's own
    got = unknown_resources([must_have], [1, 2], {2: ['aws_s3_bucket.team["search"]']}, {}, view)
    assert "aws_s3_bucket_public_access_block.primary" in got[0].message()
    assert "each.key, count.index or a literal key" in got[0].message()
    paired = fixture_view("S3-003/fail/for_each_companions_pair_by_key.json")['aws_s3_bucket.team["search"]']
    assert paired.undecided == () and judge(must_have, paired) == KNOWN


def test_a_known_value_at_the_top_is_not_shadowed_by_a_companion_s_unknown_one():
    """A member (its subnet_group_name known after apply, as an ElastiCache cluster's is when it joins a
    replication group) is mounted onto its group, whose own subnet_group_name the engine reads first."""
    group = rc("acme_group", "sessions", {"subnet_group_name": "private"})
    member = rc("acme_member", "reader", {"name": "reader"})
    member["change"]["after_unknown"] = {"id": True, "subnet_group_name": True, "group_id": True}
    data = minimal_plan([group, member])
    config = data["configuration"]["root_module"]["resources"]
    config[0]["expressions"] = {"subnet_group_name": {"constant_value": "private"}}
    config[1]["expressions"] = {"group_id": {"references": ["acme_group.sessions.id", "acme_group.sessions"]}}
    sessions = plan_view(data)["acme_group.sessions"]
    found = probes(steps("Given I have acme_group defined",
                         "Then it must contain subnet_group_name", 'And its value must not match the "^default$" regex'))
    assert "subnet_group_name" in sessions.companion_marked and "subnet_group_name" not in sessions.marked
    assert [judge(p, sessions) for p in found] == [KNOWN, KNOWN]
    assert sessions.alone is not None and sessions.alone.companion_marked == frozenset()


def test_resource_that_supports_x_reads_the_resource_without_its_companions():
    """The engine removes mounted resources for "Given I have resource that supports X defined": a queue
    policy's policy, set and known after apply, is not the queue's own."""
    queue = rc("aws_sqs_queue", "jobs", {"name": "jobs"})
    queue["change"]["after_unknown"] = {"id": True, "policy": True}
    policy = rc("aws_sqs_queue_policy", "jobs", {})
    policy["change"]["after_unknown"] = {"id": True, "policy": True, "queue_url": True}
    data = minimal_plan([queue, policy])
    data["configuration"]["root_module"]["resources"][1]["expressions"] = {
        "queue_url": {"references": ["aws_sqs_queue.jobs.id", "aws_sqs_queue.jobs"]},
        "policy": {"references": ["data.aws_iam_policy_document.jobs.json", "data.aws_iam_policy_document.jobs"]}}
    jobs = plan_view(data)["aws_sqs_queue.jobs"]
    [contains] = probes(steps("Given I have resource that supports policy defined", "When it contains policy"))
    [plain] = probes(steps("Given I have aws_sqs_queue defined", "When it contains policy"))
    assert jobs.alone is not None and judge(contains, jobs) == judge(contains, jobs.alone) == KNOWN
    got = unknown_resources([contains, *probes(steps("Given I have resource that supports policy defined",
                                                     "When it contains policy", 'When its Statement has "x" regex'))[1:]],
                            [1, 2, 3], {2: ["aws_sqs_queue.jobs"]}, {}, {"aws_sqs_queue.jobs": jobs})
    assert got == []  # the queue does not set a policy of its own: not followed past the filter
    assert plain.root == "" and "policy" in {k for m in jobs.unknown["aws_sqs_queue_policy"] for k in m}

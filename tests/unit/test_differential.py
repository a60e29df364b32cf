"""The comparison behind bench/differential: address normalisation, crediting companions to their subject,
verdicts per (resource, control), the confusion categories and the expectations that classify them.

No checkov here: the tool outputs are small JSON documents written by hand in the shape checkov 3.3.30
and `tfguard check --format json` print (the bench itself runs both for real)."""

from __future__ import annotations

import sys
from typing import Any

import pytest
import yaml
from helpers import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "bench" / "differential"))

import verdicts as v  # noqa: E402

# --------------------------------------------------------------------------- helpers


def change(address: str, type_: str) -> dict[str, Any]:
    return {"address": address, "mode": "managed", "type": type_, "change": {"actions": ["create"], "after": {}}}


def resource(address: str, type_: str, **refs: list[str]) -> dict[str, Any]:
    return {"address": address, "mode": "managed", "type": type_, "expressions": {k: {"references": r} for k, r in refs.items()}}


def bucket_module() -> dict[str, Any]:
    resources = [resource("aws_s3_bucket.this", "aws_s3_bucket")]
    resources.append(
        resource(
            "aws_s3_bucket_server_side_encryption_configuration.this",
            "aws_s3_bucket_server_side_encryption_configuration",
            bucket=["aws_s3_bucket.this.id", "aws_s3_bucket.this"],
        )
    )
    return {"module": {"resources": resources}}


SIBLING_PLAN: dict[str, Any] = {
    "resource_changes": [
        change("module.on.aws_s3_bucket.this", "aws_s3_bucket"),
        change(
            "module.on.aws_s3_bucket_server_side_encryption_configuration.this[0]",
            "aws_s3_bucket_server_side_encryption_configuration",
        ),
        change("module.off.aws_s3_bucket.this", "aws_s3_bucket"),
    ],
    "configuration": {"root_module": {"module_calls": {"on": bucket_module(), "off": bucket_module()}}},
}

SSE = v.Control(
    id="s3-default-encryption",
    title="",
    subjects=("aws_s3_bucket",),
    tfguard=("S3-001",),
    checkov=("CKV_AWS_145",),
    attach={"aws_s3_bucket_server_side_encryption_configuration": "bucket"},
)


def tfguard_report(*results: tuple[str, str, list[str]]) -> dict[str, Any]:
    return {
        "results": [
            {"guardrail": gid, "status": status, "findings": [{"address": a, "status": "violation"} for a in findings]}
            for gid, status, findings in results
        ]
    }


def checkov_report(*results: tuple[str, str, str]) -> dict[str, Any]:
    buckets: dict[str, list[dict[str, Any]]] = {"passed_checks": [], "failed_checks": [], "skipped_checks": []}
    for check_id, address, result in results:
        key = {"PASSED": "passed_checks", "FAILED": "failed_checks", "SKIPPED": "skipped_checks"}[result]
        buckets[key].append({"check_id": check_id, "resource": address, "file_path": "/main.tf", "file_line_range": [3, 9]})
    return {"check_type": "terraform", "results": buckets, "summary": {}}


def rows_by_subject(rows: list[v.Row]) -> dict[str, v.Row]:
    return {r.subject: r for r in rows}


# --------------------------------------------------------------------------- addresses


def test_parse_address_reads_module_keys_resource_keys_and_data_sources() -> None:
    segs = v.parse_address('module.net["eu.west/1"].module.sg.aws_security_group_rule.ssh[0]')
    assert segs == (
        v.Segment("module", "net", "eu.west/1"),
        v.Segment("module", "sg", None),
        v.Segment("aws_security_group_rule", "ssh", 0),
    )
    assert v.parse_address("data.aws_iam_policy_document.ops")[-1] == v.Segment("data.aws_iam_policy_document", "ops")
    assert v.format_address(segs) == 'module.net["eu.west/1"].module.sg.aws_security_group_rule.ssh[0]'
    for bad in ("", "module.a", "aws_s3_bucket", "aws_s3_bucket.b[", "aws_s3_bucket.b junk"):
        with pytest.raises(ValueError):
            v.parse_address(bad)


def test_config_address_drops_every_instance_key() -> None:
    assert v.config_address('module.a["x"].module.b[2].aws_kms_key.k["y"]') == "module.a.module.b.aws_kms_key.k"


def test_a_checkov_address_without_keys_matches_every_instance_and_a_key_must_be_equal() -> None:
    plan_address = 'module.env["prod"].module.keys.aws_kms_key.primary[0]'
    assert v.address_matches('module.env["prod"].module.keys.aws_kms_key.primary', plan_address)
    assert v.address_matches(plan_address, plan_address)
    assert not v.address_matches('module.env["dev"].module.keys.aws_kms_key.primary', plan_address)
    assert not v.address_matches('module.env["prod"].module.keys.aws_kms_key.primary[1]', plan_address)
    assert not v.address_matches("module.keys.aws_kms_key.primary", plan_address)  # another module path
    assert not v.address_matches('module.env["prod"].module.keys.aws_kms_key.other', plan_address)


def test_the_plan_index_holds_managed_resources_that_will_exist() -> None:
    deleted = change("aws_s3_bucket.old", "aws_s3_bucket")
    deleted["change"]["actions"] = ["delete"]
    kept = change("aws_s3_bucket.kept", "aws_s3_bucket")
    kept["change"]["actions"] = ["no-op"]
    data = {**change("data.aws_iam_policy_document.p", "aws_iam_policy_document"), "mode": "data"}
    plan = v.PlanIndex.from_plan({"resource_changes": [deleted, kept, data, change("aws_s3_bucket.new", "aws_s3_bucket")]})
    assert plan.instances == {"aws_s3_bucket.kept": "aws_s3_bucket", "aws_s3_bucket.new": "aws_s3_bucket"}


# --------------------------------------------------------------------------- module calls as subjects


MODULE_PLAN: dict[str, Any] = {
    "resource_changes": [
        change("module.pinned.aws_sqs_queue.this", "aws_sqs_queue"),
        change('module.tenant["a"].aws_sqs_queue.this', "aws_sqs_queue"),
        change('module.tenant["b"].aws_sqs_queue.this', "aws_sqs_queue"),
        change("module.platform.aws_sns_topic.t", "aws_sns_topic"),
        change("module.platform.module.jobs.aws_sqs_queue.this", "aws_sqs_queue"),
        change("aws_s3_bucket.root", "aws_s3_bucket"),
    ],
    "configuration": {
        "root_module": {
            "module_calls": {
                "pinned": {"source": "git::https://example.com/q.git?ref=v1.2.0"},
                "tenant": {"source": "git::https://example.com/q.git?ref=main"},
                "legacy": {"source": "git::https://example.com/q.git"},  # count = 0: nothing in the plan
                "platform": {
                    "source": "./modules/platform",
                    "module": {"module_calls": {"jobs": {"source": "github.com/acme/q?ref=main"}}},
                },
            }
        }
    },
}
MODULES = v.Control("module-source-pinned", "", (v.MODULE,), ("MOD-001",), ("CKV_TF_2",))


def test_checkov_names_a_module_call_by_its_bare_name_after_the_instances_it_sits_in() -> None:
    assert v.module_call_address("queue") == "module.queue"
    assert v.module_call_address('envs["a.b"]') == 'module.envs["a.b"]'
    assert v.module_call_address("module.wraps[1].inner") == "module.wraps[1].module.inner"
    report = {"check_type": "terraform", "results": {"failed_checks": [
        {"check_id": "CKV_TF_2", "resource": "module.platform.jobs", "check_class": "checkov.terraform.checks.module.generic.RevisionVersionTag"},
        {"check_id": "CKV_AWS_27", "resource": "module.platform.aws_sqs_queue.q", "check_class": "checkov.terraform.checks.resource.aws.X"},
    ]}}
    assert [r.address for r in v.checkov_results(report)] == ["module.platform.module.jobs", "module.platform.aws_sqs_queue.q"]


def test_module_calls_that_are_not_local_and_create_resources_are_the_subjects() -> None:
    plan = v.PlanIndex.from_plan(MODULE_PLAN)
    calls = sorted(a for a, kind in plan.instances.items() if kind == v.MODULE)
    # the local module.platform is no subject (nothing to pin); legacy creates nothing and is not in the plan
    assert calls == ["module.pinned", "module.platform.module.jobs", 'module.tenant["a"]', 'module.tenant["b"]']
    assert v.parse_subject("module.platform.module.jobs")[-1] == v.Segment("module", "jobs")
    with pytest.raises(ValueError):
        v.parse_address("module.platform.module.jobs")  # still not a resource address


def test_a_finding_on_a_resource_counts_for_the_module_call_that_creates_it() -> None:
    plan = v.PlanIndex.from_plan(MODULE_PLAN)
    rows = v.compare_root(
        "m",
        [MODULES],
        plan,
        tfguard_report(("MOD-001", "failed", ['module.tenant["a"].aws_sqs_queue.this', "module.platform.module.jobs.aws_sqs_queue.this"])),
        checkov_report(
            ("CKV_TF_2", "module.pinned", "PASSED"),
            ("CKV_TF_2", "module.tenant", "FAILED"),  # checkov without the key: every instance of the call
            ("CKV_TF_2", "module.platform.module.jobs", "FAILED"),
            ("CKV_TF_2", "module.legacy", "FAILED"),
        ),
    )
    by = rows_by_subject(rows)
    assert by["module.pinned"].category == v.BOTH_PASS
    assert by['module.tenant["a"]'].category == v.BOTH_FAIL
    assert by['module.tenant["b"]'].category == v.ONLY_CHECKOV  # MOD-001 named only the other instance
    assert by["module.platform.module.jobs"].category == v.BOTH_FAIL
    assert (by["module.legacy"].category, by["module.legacy"].tfguard.detail) == (v.NOT_EVALUATED, "tfguard: not in the plan")
    assert "aws_s3_bucket.root" not in by and "module.platform" not in by


# --------------------------------------------------------------------------- crediting companions


def test_a_companion_is_credited_to_the_subject_of_its_own_module_instance_only() -> None:
    plan = v.PlanIndex.from_plan(SIBLING_PLAN)
    companion = "module.on.aws_s3_bucket_server_side_encryption_configuration.this[0]"
    assert v.subject_of(plan, companion, "bucket", ["aws_s3_bucket"]) == "module.on.aws_s3_bucket.this"
    assert SSE.credit(plan, companion) == "module.on.aws_s3_bucket.this"
    assert SSE.credit(plan, "module.off.aws_s3_bucket.this") == "module.off.aws_s3_bucket.this"
    assert SSE.credit(plan, "module.on.aws_s3_bucket_versioning.this") is None  # not a type of this control


def test_a_for_each_companion_goes_to_the_subject_with_its_own_key() -> None:
    plan = v.PlanIndex.from_plan(
        {
            "resource_changes": [
                change('aws_s3_bucket.team["a"]', "aws_s3_bucket"),
                change('aws_s3_bucket.team["b"]', "aws_s3_bucket"),
                change('aws_s3_bucket_versioning.team["b"]', "aws_s3_bucket_versioning"),
                change("aws_s3_bucket_versioning.loose", "aws_s3_bucket_versioning"),
                change('aws_s3_bucket_versioning.literal["x"]', "aws_s3_bucket_versioning"),
            ],
            "configuration": {
                "root_module": {
                    "resources": [
                        resource("aws_s3_bucket.team", "aws_s3_bucket"),
                        resource(
                            "aws_s3_bucket_versioning.team", "aws_s3_bucket_versioning", bucket=["aws_s3_bucket.team", "each.key"]
                        ),
                        resource("aws_s3_bucket_versioning.loose", "aws_s3_bucket_versioning", bucket=["aws_s3_bucket.team"]),
                        resource(
                            "aws_s3_bucket_versioning.literal",
                            "aws_s3_bucket_versioning",
                            bucket=['aws_s3_bucket.team["a"].id', 'aws_s3_bucket.team["a"]', "aws_s3_bucket.team"],
                        ),
                    ]
                }
            },
        }
    )
    subjects = ["aws_s3_bucket"]
    assert v.subject_of(plan, 'aws_s3_bucket_versioning.team["b"]', "bucket", subjects) == 'aws_s3_bucket.team["b"]'
    assert v.subject_of(plan, 'aws_s3_bucket_versioning.literal["x"]', "bucket", subjects) == 'aws_s3_bucket.team["a"]'
    # which of two buckets a reference without a key means cannot be told: credited to none, never to both
    assert v.subject_of(plan, "aws_s3_bucket_versioning.loose", "bucket", subjects) is None


# --------------------------------------------------------------------------- verdicts


def test_the_sibling_false_pass_is_a_disagreement_on_the_instance_without_the_companion() -> None:
    """tfguard passes both buckets (S3-001 passed, no finding); checkov fails the bucket whose call has
    no encryption configuration."""
    rows = v.compare_root(
        "sib",
        [SSE],
        v.PlanIndex.from_plan(SIBLING_PLAN),
        tfguard_report(("S3-001", "passed", [])),
        checkov_report(
            ("CKV_AWS_145", "module.on.aws_s3_bucket.this", "PASSED"), ("CKV_AWS_145", "module.off.aws_s3_bucket.this", "FAILED")
        ),
    )
    by = rows_by_subject(rows)
    assert set(by) == {"module.on.aws_s3_bucket.this", "module.off.aws_s3_bucket.this"}
    assert by["module.on.aws_s3_bucket.this"].category == v.BOTH_PASS
    off = by["module.off.aws_s3_bucket.this"]
    assert off.category == v.ONLY_CHECKOV
    assert (off.tfguard.detail, off.checkov.detail, off.location) == ("S3-001 passed", "CKV_AWS_145 failed", "main.tf:3")


def test_results_on_rule_resources_count_for_their_security_group() -> None:
    def sg_module() -> dict[str, Any]:
        return {
            "module": {
                "resources": [
                    resource("aws_security_group.this", "aws_security_group"),
                    resource(
                        "aws_security_group_rule.ssh", "aws_security_group_rule", security_group_id=["aws_security_group.this.id"]
                    ),
                ]
            }
        }

    plan = v.PlanIndex.from_plan(
        {
            "resource_changes": [
                change("module.x.aws_security_group.this", "aws_security_group"),
                change("module.x.aws_security_group_rule.ssh[0]", "aws_security_group_rule"),
                change("module.y.aws_security_group.this", "aws_security_group"),
            ],
            "configuration": {"root_module": {"module_calls": {"x": sg_module(), "y": sg_module()}}},
        }
    )
    control = v.Control(
        "sg", "", ("aws_security_group",), ("NET-001",), ("CKV_AWS_24",), {"aws_security_group_rule": "security_group_id"}
    )
    rows = v.compare_root(
        "sg",
        [control],
        plan,
        tfguard_report(("NET-001", "failed", ["module.x.aws_security_group.this", "module.y.aws_security_group.this"])),
        checkov_report(
            ("CKV_AWS_24", "module.x.aws_security_group.this", "PASSED"),
            ("CKV_AWS_24", "module.x.aws_security_group_rule.ssh[0]", "FAILED"),
            ("CKV_AWS_24", "module.y.aws_security_group.this", "PASSED"),
        ),
    )
    by = rows_by_subject(rows)
    assert by["module.x.aws_security_group.this"].category == v.BOTH_FAIL
    assert by["module.x.aws_security_group.this"].checkov.detail == "CKV_AWS_24 on module.x.aws_security_group_rule.ssh[0] failed"
    assert by["module.y.aws_security_group.this"].category == v.ONLY_TFGUARD
    assert len(rows) == 2  # the rule is no subject of its own


def test_checkov_results_on_addresses_outside_the_plan_and_without_instance_keys() -> None:
    plan = v.PlanIndex.from_plan(
        {
            "resource_changes": [change("aws_kms_key.fleet[0]", "aws_kms_key"), change("aws_kms_key.fleet[1]", "aws_kms_key")],
            "configuration": {"root_module": {"resources": [resource("aws_kms_key.fleet", "aws_kms_key")]}},
        }
    )
    control = v.Control("kms", "", ("aws_kms_key",), ("KMS-001",), ("CKV_AWS_7",))
    checkov = checkov_report(("CKV_AWS_7", "aws_kms_key.fleet", "FAILED"), ("CKV_AWS_7", "aws_kms_key.legacy", "FAILED"))
    rows = v.compare_root("k", [control], plan, tfguard_report(("KMS-001", "failed", ["aws_kms_key.fleet[1]"])), checkov)
    by = rows_by_subject(rows)
    # one configuration-level verdict (no key) applies to each instance
    assert by["aws_kms_key.fleet[0]"].category == v.ONLY_CHECKOV
    assert by["aws_kms_key.fleet[0]"].checkov.detail == "CKV_AWS_7 on aws_kms_key.fleet failed"
    assert by["aws_kms_key.fleet[1]"].category == v.BOTH_FAIL
    # a resource that will not exist (count = 0) keeps checkov's address and is not evaluated by tfguard
    legacy = by["aws_kms_key.legacy"]
    assert (legacy.category, legacy.tfguard.value, legacy.tfguard.detail) == (v.NOT_EVALUATED, v.NONE, "tfguard: not in the plan")
    assert v.address_matching(plan, checkov) == {"without instance keys": 1, "not in the plan": 1}


@pytest.mark.parametrize(
    "result, expected",
    [
        (("S3-001", "not-applicable", []), (v.PASS, "S3-001 not-applicable")),
        (("S3-001", "failed", ["aws_s3_bucket.other"]), (v.PASS, "S3-001 failed on other resources")),
        # unknown because of another resource's unknown finding: this bucket passed
        (("S3-001", "unknown", ["aws_s3_bucket.other"]), (v.PASS, "S3-001 unknown on other resources")),
        (("S3-001", "error", []), (v.NONE, "S3-001 error")),
        (("S3-001", "failed", [""]), (v.NONE, "S3-001 failed naming no resource of the control")),
    ],
)
def test_tfguard_verdicts_from_guardrail_statuses(result: tuple[str, str, list[str]], expected: tuple[str, str]) -> None:
    plan = v.PlanIndex.from_plan(
        {"resource_changes": [change("aws_s3_bucket.b", "aws_s3_bucket"), change("aws_s3_bucket.other", "aws_s3_bucket")]}
    )
    rows = v.compare_root("r", [SSE], plan, tfguard_report(result), checkov_report())
    row = rows_by_subject(rows)["aws_s3_bucket.b"]
    assert (row.tfguard.value, row.tfguard.detail) == expected
    assert row.checkov == v.Verdict(v.NONE, "no checkov result")
    assert row.category == v.NOT_EVALUATED


def test_a_guardrail_missing_from_the_run_or_a_finding_without_a_verdict_is_never_a_pass() -> None:
    plan = v.PlanIndex.from_plan({"resource_changes": [change("aws_s3_bucket.b", "aws_s3_bucket")]})
    missing = v.compare_root("r", [SSE], plan, tfguard_report(), checkov_report())[0]
    assert missing.tfguard == v.Verdict(v.NONE, "S3-001 missing")
    unknown = {
        "results": [{"guardrail": "S3-001", "status": "failed", "findings": [{"address": "aws_s3_bucket.b", "status": "unknown"}]}]
    }
    row = v.compare_root("r", [SSE], plan, unknown, checkov_report())[0]
    assert row.tfguard == v.Verdict(v.NONE, "S3-001 reported it without a verdict")


def test_a_finding_on_a_type_outside_the_control_changes_nothing() -> None:
    plan = v.PlanIndex.from_plan(
        {"resource_changes": [change("aws_s3_bucket.b", "aws_s3_bucket"), change("aws_sqs_queue.q", "aws_sqs_queue")]}
    )
    rows = v.compare_root("r", [SSE], plan, tfguard_report(("S3-001", "failed", ["aws_sqs_queue.q"])), checkov_report())
    assert [(r.subject, r.tfguard.value) for r in rows] == [("aws_s3_bucket.b", v.PASS)]


def test_checkov_results_are_read_from_one_document_a_list_of_them_or_a_summary_only() -> None:
    one = checkov_report(("CKV_AWS_7", "aws_kms_key.a", "SKIPPED"))
    assert v.checkov_results(one) == [v.CheckovResult("CKV_AWS_7", "aws_kms_key.a", "SKIPPED", "main.tf:3")]
    other_framework = {"check_type": "secrets", "results": {"failed_checks": [{"check_id": "CKV_SECRET_2", "resource": "x"}]}}
    assert len(v.checkov_results([one, other_framework])) == 1
    assert v.checkov_results({"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0, "resource_count": 0}) == []
    plan = v.PlanIndex.from_plan({"resource_changes": [change("aws_kms_key.a", "aws_kms_key")]})
    control = v.Control("kms", "", ("aws_kms_key",), ("KMS-001",), ("CKV_AWS_7",))
    row = v.compare_root("r", [control], plan, tfguard_report(("KMS-001", "passed", [])), one)[0]
    assert row.checkov == v.Verdict(v.NONE, "CKV_AWS_7 skipped")


def test_confusion_counts_each_category_per_control_and_in_all() -> None:
    pas, fail, none = v.Verdict(v.PASS, ""), v.Verdict(v.FAIL, ""), v.Verdict(v.NONE, "")
    rows = [
        v.Row("r", "a", "x", fail, fail),
        v.Row("r", "a", "y", pas, pas),
        v.Row("r", "b", "x", fail, pas),
        v.Row("r", "b", "y", pas, fail),
        v.Row("r", "b", "z", none, fail),
    ]
    assert [r.category for r in rows] == [v.BOTH_FAIL, v.BOTH_PASS, v.ONLY_TFGUARD, v.ONLY_CHECKOV, v.NOT_EVALUATED]
    table = v.confusion(rows)
    assert table["a"] == {v.BOTH_FAIL: 1, v.BOTH_PASS: 1}
    assert table["all"] == {c: 1 for c in v.CATEGORIES}


# --------------------------------------------------------------------------- expectations and classes


def expectation(
    subject: str,
    tfguard: str | list[str] | None = None,
    checkov: str | list[str] | None = None,
    wrong_now: dict[str, str] | None = None,
) -> dict[str, Any]:
    entry: dict[str, Any] = {"root": "r", "subject": subject, "control": "c", "why": "because"}
    if tfguard is not None:
        entry["tfguard"] = tfguard
    if checkov is not None:
        entry["checkov"] = checkov
    if wrong_now:
        entry["wrong_now"] = wrong_now
    return entry


def test_the_class_of_a_disagreement_follows_from_the_expected_verdicts() -> None:
    pas, fail, none = v.Verdict(v.PASS, ""), v.Verdict(v.FAIL, ""), v.Verdict(v.NONE, "")
    rows = [
        v.Row("r", "c", "tf-wrong", pas, fail),
        v.Row("r", "c", "ck-wrong", fail, pas),
        v.Row("r", "c", "differ", fail, pas),
        v.Row("r", "c", "both-wrong", pas, pas),
        v.Row("r", "c", "right", fail, fail),
        v.Row("r", "c", "unclassified", pas, fail),
        v.Row("r", "c", "plain-agreement", pas, pas),
        v.Row("r", "c", "fixed", fail, none),
    ]
    expectations = v.load_expectations(
        [
            expectation("tf-wrong", tfguard="fail", checkov="fail", wrong_now={"tfguard": "issue item"}),
            expectation("ck-wrong", tfguard="fail", checkov="fail", wrong_now={"checkov": "its bug"}),
            expectation("differ", tfguard="fail", checkov="pass"),
            expectation("both-wrong", tfguard="fail", checkov="fail", wrong_now={"tfguard": "a", "checkov": "b"}),
            expectation("right", tfguard="fail", checkov=["fail", "none"]),
            expectation("fixed", tfguard="fail", checkov="none", wrong_now={"tfguard": "was wrong"}),
            expectation("gone", tfguard="pass"),
        ]
    )
    judged, stale = v.judge(rows, expectations)
    by = {j.row.subject: j for j in judged}
    assert {s: j.cls for s, j in by.items()} == {
        "tf-wrong": "tfguard wrong",
        "ck-wrong": "checkov wrong",
        "differ": "defined differently",
        "both-wrong": "both wrong",
        "right": "right",
        "unclassified": "unclassified",
        "fixed": "right",
    }
    assert "plain-agreement" not in by  # an agreement without an expectation is not judged
    assert [x.subject for x in stale] == ["gone"]
    assert by["tf-wrong"].unexpected == () and by["tf-wrong"].wrong == ("tfguard",)
    assert by["fixed"].fixed == ("tfguard",)


def test_a_wrong_verdict_that_is_not_known_is_unexpected() -> None:
    rows = [v.Row("r", "c", "s", v.Verdict(v.PASS, ""), v.Verdict(v.FAIL, ""))]
    judged, _ = v.judge(rows, v.load_expectations([expectation("s", tfguard="fail", checkov="fail")]))
    assert judged[0].unexpected == ("tfguard",)


def test_the_bench_fails_on_a_regression_and_on_a_known_wrong_verdict_that_is_right_again() -> None:
    """A wrong_now that is right again must be dropped from expected.yaml: left there, it would let that verdict
    relapse without a sound. So it fails the bench, as an unexpected wrong verdict and a stale entry do."""
    pas, fail = v.Verdict(v.PASS, ""), v.Verdict(v.FAIL, "")
    known = expectation("s", tfguard="fail", checkov="fail", wrong_now={"tfguard": "sibling module instances"})
    clean = expectation("s", tfguard="fail", checkov="fail")

    def outcome(tfguard: v.Verdict, entries: list[dict[str, Any]]) -> v.Problems:
        return v.problems(*v.judge([v.Row("r", "c", "s", tfguard, fail)], v.load_expectations(entries)))

    assert outcome(pas, [known]).exit_code == 0  # wrong, and listed as such
    assert outcome(fail, [clean]).exit_code == 0  # right, nothing listed
    fixed = outcome(fail, [known])
    assert fixed.exit_code == 1 and [j.fixed for j in fixed.fixed] == [("tfguard",)]
    assert "1 wrong_now right again" in fixed.summary()
    regression = outcome(pas, [clean])
    assert regression.exit_code == 1 and len(regression.unexpected) == 1
    stale = outcome(fail, [clean, expectation("gone", tfguard="pass")])
    assert stale.exit_code == 1 and [x.subject for x in stale.stale] == ["gone"]
    unclassified = v.problems(*v.judge([v.Row("r", "c", "s", pas, fail)], []))
    assert unclassified.exit_code == 1 and len(unclassified.unclassified) == 1


@pytest.mark.parametrize(
    "entry, message",
    [
        (expectation("s", tfguard="maybe"), "must be fail, pass or none"),
        (expectation("s"), "needs a verdict"),
        (expectation("s", tfguard="fail", wrong_now={"checkov": "x"}), "wrong_now names a tool"),
        ({**expectation("s", tfguard="fail"), "why": ""}, "needs a verdict of at least one tool and a why"),
    ],
)
def test_malformed_expectations_are_refused(entry: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        v.load_expectations([entry])


def test_an_expectation_listed_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="listed twice"):
        v.load_expectations([expectation("s", tfguard="fail"), expectation("s", tfguard="pass")])


# --------------------------------------------------------------------------- the bench's own tables


def test_the_mapping_names_real_guardrails_and_every_expectation_a_real_root_and_control() -> None:
    bench = REPO_ROOT / "bench" / "differential"
    controls = v.load_controls(yaml.safe_load((bench / "mapping.yaml").read_text()))
    known = {
        line.split("@id:")[1].split()[0]
        for p in (REPO_ROOT / "features").glob("*.feature")
        for line in p.read_text().splitlines()
        if "@id:" in line
    }
    assert {g for c in controls for g in c.tfguard} <= known
    assert len({c.id for c in controls}) == len(controls)
    expectations = v.load_expectations(yaml.safe_load((bench / "expected.yaml").read_text()))
    roots = {p.name for p in (bench / "corpus").iterdir() if (p / "main.tf").exists()}
    assert len(roots) >= 15
    assert {x.root for x in expectations} <= roots
    assert {x.control for x in expectations} <= {c.id for c in controls}
    for x in expectations:
        v.parse_subject(x.subject)

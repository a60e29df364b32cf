"""The exclusion registry: loading, schema errors, applying exclusions to results, validation."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from runner.config import load_config
from runner.errors import ConfigError
from runner.exclusions.registry import (
    Exclusion,
    ExclusionRegistry,
    load_registry,
    make_result_filter,
    read_registry,
)
from runner.exclusions.validate import validate_registry
from runner.model import Finding, Result, Status, Workload

APPROVERS = ("alice.sec@example.com", "bob.sec@example.com")
CONFIG = """\
exclusions:
  approvers: [alice.sec@example.com, bob.sec@example.com]
  max_lifetime_days: 90
  warning_days: 14
"""
TODAY = date(2026, 9, 1)


def entry(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "EXC-1", "guardrail": "S3-001", "resource": "aws_s3_bucket.logs",
        "reason": "access-log bucket, cannot log into itself", "requested_by": "dana.dev@example.com",
        "approved_by": "alice.sec@example.com", "ticket": "SEC-1", "created": "2026-08-01",
        "expires": "2026-10-01",
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def yaml_entry(fields: dict[str, object]) -> str:
    lines = []
    for i, (key, value) in enumerate(fields.items()):
        text = value if not isinstance(value, str) or not any(c in value for c in '"[:#*') else f"'{value}'"
        lines.append(("  - " if i == 0 else "    ") + f"{key}: {text}")
    return "\n".join(lines) + "\n"


def make_root(tmp_path: Path, files: dict[str, str], config: str = CONFIG) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "tfguard.yaml").write_text(config)
    (tmp_path / "exclusions").mkdir()
    for name, text in files.items():
        (tmp_path / "exclusions" / name).write_text(text)
    return tmp_path


def registry_file(workload: str, *entries: dict[str, object]) -> str:
    body = "".join(yaml_entry(e) for e in entries)
    return f"# comment\nworkload: {workload}\nexclusions:\n{body}" if entries else f"workload: {workload}\nexclusions: []\n"


def read(tmp_path: Path, files: dict[str, str]) -> tuple[ExclusionRegistry, list]:
    return read_registry(make_root(tmp_path, files))


# --- loading -----------------------------------------------------------------------------------------


def test_a_well_formed_registry_loads(tmp_path: Path) -> None:
    registry = load_registry(make_root(tmp_path, {
        "web-service.yaml": registry_file("web-service", entry(), entry(id="EXC-2", resource="aws_s3_bucket.raw[*]")),
        "api.yaml": registry_file("api"),
    }))
    assert [e.id for e in registry.all] == ["EXC-1", "EXC-2"]
    first = registry.for_workload("web-service")[0]
    assert first == Exclusion(
        id="EXC-1", guardrail="S3-001", workload="web-service", resource="aws_s3_bucket.logs",
        reason="access-log bucket, cannot log into itself", requested_by="dana.dev@example.com",
        approved_by="alice.sec@example.com", ticket="SEC-1", created=date(2026, 8, 1), expires=date(2026, 10, 1),
        file="exclusions/web-service.yaml", entry=1, line=4,
    )
    assert first.ref.id == "EXC-1" and first.ref.expires == date(2026, 10, 1) and first.ref.ticket == "SEC-1"
    assert registry.for_workload("api") == ()
    assert registry.approvers == APPROVERS
    assert registry.files == ("exclusions/api.yaml", "exclusions/web-service.yaml")


def test_reading_one_workloads_file_ignores_another_teams_broken_file(tmp_path: Path) -> None:
    root = make_root(tmp_path, {"web.yaml": registry_file("web", entry()), "api.yaml": "workload: [\n"})
    assert [e.id for e in load_registry(root, workload="web").all] == ["EXC-1"]
    assert load_registry(root, workload="other").all == ()
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_registry(root)


def test_no_exclusions_directory_is_an_empty_registry(tmp_path: Path) -> None:
    assert load_registry(tmp_path).all == ()


@pytest.mark.parametrize(("fields", "where", "message"), [
    (entry(expires=None), "(EXC-1), key `expires`", "missing required key `expires`"),
    (entry(approved_by=None), "(EXC-1), key `approved_by`", "missing required key `approved_by`"),
    ({**entry(), "expiry": "2026-10-01"}, "(EXC-1), key `expiry`", "unknown key `expiry` (did you mean `expires`?)"),
    (entry(expires="next week"), "key `expires`", "must be a date written YYYY-MM-DD"),
    (entry(expires="2026-02-30"), "key `expires`", "`2026-02-30` is not a real date"),
    (entry(expires="2026-07-01"), "key `expires`", "expires 2026-07-01 is not after created 2026-08-01"),
    (entry(id="12"), "entry 2, key `id`", "must look like EXC-12"),
    (entry(reason="because"), "key `reason`", "must say why"),
    (entry(resource="aws_s3_bucket.raw["), "key `resource`", "has an unclosed `[`"),
    (entry(allow_broad="maybe"), "key `allow_broad`", "must be true or false"),
])
def test_schema_problems_name_file_entry_and_key(tmp_path: Path, fields: dict, where: str, message: str) -> None:
    registry, problems = read(tmp_path, {"web.yaml": registry_file("web", entry(id="EXC-0"), fields)})
    assert [e.id for e in registry.all] == ["EXC-0"]  # the good entry still loads, the bad one does not
    assert len(problems) == 1, problems
    p = problems[0]
    assert p.level == "error"
    assert p.where.startswith("exclusions/web.yaml, entry 2")
    assert p.where.endswith(where)
    assert message in p.message
    assert p.line >= 12


def test_load_registry_raises_one_config_error_naming_file_entry_and_key(tmp_path: Path) -> None:
    root = make_root(tmp_path, {"web.yaml": registry_file("web", entry(id="EXC-7", expires="soon"))})
    with pytest.raises(ConfigError) as err:
        load_registry(root)
    assert err.value.where == "exclusions/web.yaml, entry 1 (EXC-7), key `expires`"
    assert "YYYY-MM-DD" in err.value.message


@pytest.mark.parametrize(("text", "message"), [
    ("workload: web\nexclusions:\n  - id: EXC-1\n   guardrail: x\n", "invalid YAML"),
    ("", "is empty"),
    ("- just a list\n", "must be a mapping"),
    ("workload: web\n", "missing required key `exclusions`"),
    ("workload: web\nexclusions: {}\n", "must be a list or null"),
    ("workload: other\nexclusions: []\n", "names workload `other` but this file is for `web`"),
    ("workload: web\nexclusions: []\nworkload: web\n", "key `workload` appears twice"),
])
def test_malformed_files(tmp_path: Path, text: str, message: str) -> None:
    _, problems = read(tmp_path, {"web.yaml": text})
    assert problems and message in problems[0].message, problems
    assert problems[0].where.startswith("exclusions/web.yaml")


def test_a_key_given_twice_in_an_entry_is_refused(tmp_path: Path) -> None:
    text = registry_file("web", entry()) + "    expires: 2099-01-01\n"
    _, problems = read(tmp_path, {"web.yaml": text})
    assert "key `expires` appears twice" in problems[0].message


def test_a_yml_file_is_reported_not_silently_ignored(tmp_path: Path) -> None:
    _, problems = read(tmp_path, {"web.yml": registry_file("web", entry())})
    assert problems[0].where == "exclusions/web.yml" and "name it web.yaml" in problems[0].message


def test_dates_may_be_quoted(tmp_path: Path) -> None:
    text = registry_file("web", entry()).replace("created: 2026-08-01", "created: '2026-08-01'")
    registry, problems = read(tmp_path, {"web.yaml": text})
    assert not problems and registry.all[0].created == date(2026, 8, 1)


# --- applying exclusions --------------------------------------------------------------------------------


def exclusion(**overrides: object) -> Exclusion:
    fields: dict = {"id": "EXC-12", "guardrail": "S3-001", "workload": "web", "resource": "aws_s3_bucket.logs",
                    "reason": "reason text", "requested_by": "dana.dev@example.com",
                    "approved_by": "alice.sec@example.com", "ticket": "SEC-9", "created": date(2026, 8, 1),
                    "expires": date(2026, 10, 1)}
    fields.update(overrides)
    return Exclusion(**fields)


def registry_of(*exclusions: Exclusion) -> ExclusionRegistry:
    return ExclusionRegistry(Path("."), tuple(exclusions), APPROVERS)


def failed(*addresses: str, guardrail: str = "S3-001", workload: str = "web") -> Result:
    findings = tuple(Finding(guardrail, workload, a, f"{a or 'something'} is not encrypted") for a in addresses)
    return Result(guardrail, workload, Status.FAILED, findings, engine_status=Status.FAILED)


def apply(registry: ExclusionRegistry, result: Result, today: date = TODAY, workload: str = "web") -> Result:
    return make_result_filter(registry, today)(Workload(workload), result)


def test_a_guardrail_whose_only_failures_are_excluded_passes_and_keeps_them_visible() -> None:
    out = apply(registry_of(exclusion()), failed("aws_s3_bucket.logs"))
    assert out.status is Status.PASSED
    assert out.engine_status is Status.FAILED
    (f,) = out.findings
    assert f.excluded and f.excluded_by is not None
    assert (f.excluded_by.id, f.excluded_by.expires, f.excluded_by.ticket) == ("EXC-12", date(2026, 10, 1), "SEC-9")
    assert f.note == "excluded by EXC-12 until 2026-10-01, ticket SEC-9"
    assert out.violations == ()


def test_other_failures_keep_the_guardrail_failed() -> None:
    out = apply(registry_of(exclusion()), failed("aws_s3_bucket.logs", "aws_s3_bucket.raw"))
    assert out.status is Status.FAILED
    assert [f.address for f in out.violations] == ["aws_s3_bucket.raw"]
    assert [f.address for f in out.excluded] == ["aws_s3_bucket.logs"]


def test_a_failure_naming_no_resource_is_never_excluded() -> None:
    out = apply(registry_of(exclusion(resource="**", allow_broad=True)), failed("", "aws_s3_bucket.logs"))
    assert out.status is Status.FAILED
    assert [f.address for f in out.violations] == [""]


@pytest.mark.parametrize(("today", "excluded"), [
    (date(2026, 9, 30), True),   # the day before `expires`: still applies
    (date(2026, 10, 1), False),  # on `expires`: expired
    (date(2026, 12, 24), False),
])
def test_expiry_on_both_sides_of_the_date(today: date, excluded: bool) -> None:
    out = apply(registry_of(exclusion()), failed("aws_s3_bucket.logs"), today)
    (f,) = out.findings
    assert f.excluded is excluded
    if excluded:
        assert out.status is Status.PASSED and f.expired_exclusion is None
    else:
        assert out.status is Status.FAILED
        assert f.note == "exclusion EXC-12 expired on 2026-10-01"
        assert f.expired_exclusion is not None and f.expired_exclusion.id == "EXC-12"


def test_a_renewal_wins_over_the_expired_entry() -> None:
    old = exclusion(id="EXC-3", expires=date(2026, 8, 15))
    new = exclusion(id="EXC-9", created=date(2026, 8, 14), expires=date(2026, 11, 1))
    (f,) = apply(registry_of(old, new), failed("aws_s3_bucket.logs")).findings
    assert f.excluded_by is not None and f.excluded_by.id == "EXC-9" and f.expired_exclusion is None


@pytest.mark.parametrize("unapproved", [
    exclusion(approved_by=""),
    exclusion(approved_by="mallory@example.com"),
    exclusion(requested_by="alice.sec@example.com"),  # approved by the requester
])
def test_unapproved_entries_never_apply(unapproved: Exclusion) -> None:
    out = apply(registry_of(unapproved), failed("aws_s3_bucket.logs"))
    assert out.status is Status.FAILED and not out.findings[0].excluded


def test_entries_apply_only_to_their_workload_and_guardrail() -> None:
    registry = registry_of(exclusion())
    assert apply(registry, failed("aws_s3_bucket.logs", workload="api"), workload="api").status is Status.FAILED
    assert apply(registry, failed("aws_s3_bucket.logs", guardrail="S3-002")).status is Status.FAILED


@pytest.mark.parametrize(("pattern", "address"), [
    ("module.lake.aws_s3_bucket.data", "module.lake.aws_s3_bucket.data"),
    ('module.lake["eu"].module.inner.aws_s3_bucket.data', 'module.lake["eu"].module.inner.aws_s3_bucket.data'),
    ("aws_s3_bucket.raw[*]", "aws_s3_bucket.raw[3]"),
    ('aws_s3_bucket.site["eu.*"]', 'aws_s3_bucket.site["eu.west/1"]'),
    ('aws_s3_bucket.site["we\\"ird"]', 'aws_s3_bucket.site["we\\"ird"]'),
    ("data.aws_s3_bucket.shared", "data.aws_s3_bucket.shared"),
    ("**.aws_s3_bucket.data", "module.a.module.b.aws_s3_bucket.data"),
])
def test_every_address_form_is_excluded(pattern: str, address: str) -> None:
    out = apply(registry_of(exclusion(resource=pattern)), failed(address))
    assert out.status is Status.PASSED and out.findings[0].excluded


def test_error_and_not_applicable_results_are_left_alone() -> None:
    registry = registry_of(exclusion())
    error = Result("S3-001", "web", Status.ERROR, error="engine broke")
    na = Result("S3-001", "web", Status.NOT_APPLICABLE)
    assert apply(registry, error) == error
    assert apply(registry, na) == na


# --- validation ---------------------------------------------------------------------------------------


def validate(tmp_path: Path, *entries: dict[str, object], workloads: list[str] | None = None,
             plans: dict | None = None, config: str = CONFIG, extra: dict[str, str] | None = None) -> list:
    root = make_root(tmp_path, {"web.yaml": registry_file("web", *entries), **(extra or {})}, config)
    registry, problems = read_registry(root)
    assert not problems, problems
    return validate_registry(registry, load_config(root), ["S3-001", "S3-002"],
                             ["web", "api"] if workloads is None else workloads, TODAY, plans)


def codes(problems: list) -> list[tuple[str, str]]:
    return [(p.level, p.code) for p in problems]


def test_a_valid_registry_has_no_problems(tmp_path: Path) -> None:
    assert validate(tmp_path, entry(), plans={"web": {"aws_s3_bucket.logs"}}) == []


@pytest.mark.parametrize(("fields", "code", "key", "text"), [
    (entry(guardrail="S3-0001"), "unknown-guardrail", "guardrail", "unknown guardrail `S3-0001` (did you mean `S3-001`?)"),
    (entry(approved_by=""), "pending-approval", "approved_by",
     "pending approval: a security approver (alice.sec@example.com, bob.sec@example.com) must review"),
    (entry(approved_by="mallory@example.com"), "not-an-approver", "approved_by",
     "`mallory@example.com` is not a security approver"),
    (entry(requested_by="alice.sec@example.com"), "self-approval", "approved_by", "cannot also approve it"),
    (entry(created="2026-08-01", expires="2026-09-01"), "expired", "expires", "expired on 2026-09-01"),
    (entry(created="2026-08-01", expires="2026-11-01"), "lifetime-exceeded", "expires",
     "lifetime of 92 days exceeds the maximum of 90"),
    (entry(created="2026-09-02", expires="2026-10-02"), "created-in-future", "created", "is in the future"),
    (entry(resource="aws_s3_bucket.*"), "broad-pattern", "resource", "is broad"),
    (entry(resource="**"), "broad-pattern", "resource", "allow_broad: true"),
    (entry(resource="module.lake.**"), "broad-pattern", "resource", "is broad"),
])
def test_each_validation_error(tmp_path: Path, fields: dict, code: str, key: str, text: str) -> None:
    problems = validate(tmp_path, fields)
    assert codes(problems) == [("error", code)]
    assert problems[0].where == f"exclusions/web.yaml, entry 1 (EXC-1), key `{key}`"
    assert text in problems[0].message


def test_lifetime_error_says_the_latest_allowed_date(tmp_path: Path) -> None:
    (p,) = validate(tmp_path, entry(created="2026-08-01", expires="2026-11-01"))
    assert "expire on 2026-10-30 at the latest" in p.message


def test_an_approver_marked_broad_pattern_is_accepted(tmp_path: Path) -> None:
    assert validate(tmp_path, entry(resource="aws_s3_bucket.*", allow_broad=True)) == []


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    problems = validate(tmp_path, entry(), extra={"api.yaml": registry_file("api", entry())})
    assert codes(problems) == [("error", "duplicate-id")]
    assert problems[0].where == "exclusions/web.yaml, entry 1 (EXC-1), key `id`"
    assert "also exclusions/api.yaml, entry 1" in problems[0].message


def test_unknown_workload(tmp_path: Path) -> None:
    problems = validate(tmp_path, entry(), workloads=["web-service", "api"])
    assert codes(problems) == [("error", "unknown-workload")]
    assert problems[0].where == "exclusions/web.yaml, key `workload`"
    assert "unknown workload `web` (known: api, web-service)" in problems[0].message
    (close,) = validate(tmp_path / "b", entry(), workloads=["webs"])
    assert "did you mean `webs`?" in close.message


def test_no_workload_registry_skips_the_workload_check(tmp_path: Path) -> None:
    root = make_root(tmp_path, {"web.yaml": registry_file("web", entry())})
    assert validate_registry(read_registry(root)[0], load_config(root), ["S3-001"], None, TODAY) == []


def test_no_approvers_configured_means_nothing_is_approved(tmp_path: Path) -> None:
    problems = validate(tmp_path, entry(), config="exclusions: {}\n")
    assert codes(problems) == [("error", "not-an-approver")]
    assert "none configured in tfguard.yaml exclusions.approvers" in problems[0].message


@pytest.mark.parametrize(("fields", "code", "text"), [
    (entry(expires="2026-09-10"), "expiring-soon", "expires in 9 days, on 2026-09-10"),
    (entry(allow_broad=True), "allow-broad-unneeded", "is not a broad pattern"),
])
def test_each_validation_warning(tmp_path: Path, fields: dict, code: str, text: str) -> None:
    problems = validate(tmp_path, fields)
    assert codes(problems) == [("warning", code)]
    assert text in problems[0].message


def test_a_pattern_matching_nothing_in_the_plan_is_stale(tmp_path: Path) -> None:
    plan = {"web": {"aws_s3_bucket.raw[0]", "aws_s3_bucket.raw[1]"}}
    (p,) = validate(tmp_path, entry(resource="aws_s3_bucket.raw"), plans=plan)
    assert (p.level, p.code) == ("warning", "stale-pattern")
    assert "matches no resource in the current plan of web" in p.message
    assert "use `aws_s3_bucket.raw[*]`" in p.message
    assert validate(tmp_path / "b", entry(resource="aws_s3_bucket.raw[*]"), plans=plan) == []


def test_the_same_exemption_twice_is_a_warning(tmp_path: Path) -> None:
    problems = validate(tmp_path, entry(), entry(id="EXC-2"))
    assert codes(problems) == [("warning", "duplicate-entry")]


def test_problems_carry_file_line_and_entry_id(tmp_path: Path) -> None:
    (p,) = validate(tmp_path, entry(), entry(id="EXC-2", guardrail="NOPE-1"))
    assert (p.file, p.line, p.subject) == ("exclusions/web.yaml", 13, "EXC-2")


def test_a_documented_registry_file_round_trips(tmp_path: Path) -> None:
    text = textwrap.dedent("""\
        workload: web
        exclusions:
          - id: EXC-4
            guardrail: S3-002
            resource: module.site.aws_s3_bucket.public["www.example.com"]
            reason: >-
              Static website bucket, public by design; content is reviewed before publishing.
            requested_by: dana.dev@example.com
            approved_by: bob.sec@example.com
            ticket: 1234
            created: 2026-08-01
            expires: 2026-10-01
    """)
    registry, problems = read(tmp_path, {"web.yaml": text})
    assert not problems
    (e,) = registry.all
    assert e.resource == 'module.site.aws_s3_bucket.public["www.example.com"]'
    assert e.ticket == "1234"
    assert e.reason.startswith("Static website bucket")


def test_the_schema_is_a_valid_json_schema() -> None:
    import jsonschema

    from runner.exclusions.registry import schema

    jsonschema.Draft202012Validator.check_schema(schema())


def test_the_shipped_example_registry_is_valid() -> None:
    """exclusions/*.yaml of this repository: well-formed, approved, naming real guardrails (on a pinned day
    inside their lifetime, so that the example does not rot the test suite when it expires)."""
    from helpers import FEATURES, REPO_ROOT

    from runner.guardrails.load import load_guardrails

    registry, problems = read_registry(REPO_ROOT)
    assert not problems
    assert registry.for_workload("web-service")
    config = load_config(REPO_ROOT)
    for e in registry.all:
        day = date.fromordinal(e.created.toordinal() + 1)
        found = validate_registry(registry, config, load_guardrails(FEATURES).ids, None, day)
        assert [p for p in found if p.level == "error"] == []

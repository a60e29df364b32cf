"""Guardrail self-tests: every guardrail against its own pass and fail fixture plans.

Layout: <fixtures>/<ID>/pass/*.json must pass (or be not applicable); <fixtures>/<ID>/fail/*.json must fail, reporting exactly
the addresses listed in <fixtures>/<ID>/expected.yaml (`fail: {name.json: [address, ...]}`). A guardrail
with no pass or no fail fixture is a mismatch: a guardrail that cannot fail proves nothing.
Optional <fixtures>/<ID>/unknown/*.json must come out *unknown* (a value known only after apply), on
exactly the addresses under `unknown:` in expected.yaml; a pass fixture that comes out unknown fails."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runner.engine import Engine
from runner.engine.evaluation import Target, evaluate
from runner.errors import ConfigError, PlanError
from runner.guardrails.load import GuardrailSet
from runner.model import Mode, Status, Workload
from runner.workloads.plan import Plan, load_plan
from runner.yamlload import load_yaml

DEFAULT_FIXTURES = "tests/guardrails"


@dataclass(frozen=True)
class FixtureOutcome:
    fixture: str  # e.g. fail/open_ssh.json
    expected: str  # pass | fail
    status: str
    addresses: tuple[str, ...] = ()
    expected_addresses: tuple[str, ...] = ()
    problem: str = ""  # empty when the fixture behaved as expected


@dataclass(frozen=True)
class GuardrailSelfTest:
    guardrail: str
    fixtures: tuple[FixtureOutcome, ...] = ()
    problems: tuple[str, ...] = ()  # guardrail-level problems (no fixtures, bad expected.yaml)

    @property
    def ok(self) -> bool:
        return not self.problems and all(not f.problem for f in self.fixtures)


@dataclass(frozen=True)
class SelfTestReport:
    guardrails: tuple[GuardrailSelfTest, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return all(g.ok for g in self.guardrails)

    def to_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "guardrails": {
                g.guardrail: {"ok": g.ok, "problems": list(g.problems) + [
                    f"{f.fixture}: {f.problem}" for f in g.fixtures if f.problem]}
                for g in self.guardrails
            },
        }


def _expected(folder: Path, kind: str = "fail") -> dict[str, list[str]]:
    path = folder / "expected.yaml"
    if not os.path.lexists(path):
        return {}
    doc = load_yaml(path).data or {}
    if not isinstance(doc, dict):
        raise ConfigError("must be a mapping with `fail:` (fixture file name -> resource addresses)", where=str(path))
    fail = doc.get(kind) if isinstance(doc, dict) else None
    if fail is None:
        return {}
    if not isinstance(fail, dict) or not all(isinstance(v, list) for v in fail.values()):
        raise ConfigError(f"`{kind}` must map fixture file names to lists of resource addresses", where=str(path))
    return {str(k): [str(a) for a in v] for k, v in fail.items()}


def _judge(kind: str, name: str, status: Status, addresses: tuple[str, ...], error: str,
           expected: dict[str, list[str]]) -> FixtureOutcome:
    fixture = f"{kind}/{name}"
    if status is Status.ERROR:
        return FixtureOutcome(fixture, kind, status.value, addresses, problem=f"engine error: {error}")
    if kind == "pass":
        if status in (Status.FAILED, Status.UNKNOWN):
            verb = "fails" if status is Status.FAILED else "is unknown"
            return FixtureOutcome(fixture, kind, status.value, addresses,
                                  problem=f"pass fixture {verb} on {', '.join(addresses) or '(no resource named)'}")
        # not-applicable is a pass: for a "must not exist" guardrail it is the only compliant outcome
        return FixtureOutcome(fixture, kind, status.value)
    want = tuple(sorted(expected.get(name, [])))
    wanted = Status.FAILED if kind == "fail" else Status.UNKNOWN
    if status is not wanted:
        return FixtureOutcome(fixture, kind, status.value, expected_addresses=want,
                              problem=f"{kind} fixture {status.value}: the guardrail is blind to it")
    if name not in expected:
        return FixtureOutcome(fixture, kind, status.value, addresses,
                              problem=f"no expected addresses for it in expected.yaml `{kind}:` "
                                      f"(reported: {', '.join(addresses) or 'none'})")
    if tuple(sorted(addresses)) != want:
        missing = sorted(set(want) - set(addresses))
        extra = sorted(set(addresses) - set(want))
        detail = "; ".join(x for x in (f"missing {', '.join(missing)}" if missing else "",
                                        f"unexpected {', '.join(extra)}" if extra else "") if x)
        return FixtureOutcome(fixture, kind, status.value, addresses, want, problem=f"addresses differ: {detail}")
    return FixtureOutcome(fixture, kind, status.value, addresses, want)


@dataclass(frozen=True)
class FixtureSet:
    """One guardrail's fixture plans, loaded, with what they must show."""

    guardrail: str
    targets: tuple[Target, ...]  # workload name: <id>|<pass|fail|unknown>|<file name>
    expected: dict[str, list[str]]
    problems: tuple[str, ...]  # no fixtures, bad expected.yaml, names without a fixture
    load_errors: tuple[FixtureOutcome, ...]  # plans that did not load
    unknown: dict[str, list[str]] = field(default_factory=dict)  # expected.yaml `unknown:`


def load_fixtures(folder: Path, gid: str) -> FixtureSet:
    problems: list[str] = []
    try:
        expected = _expected(folder)
        unknown = _expected(folder, "unknown")
    except ConfigError as exc:
        problems.append(exc.line())
        expected, unknown = {}, {}
    found = {kind: sorted((folder / kind).glob("*.json")) for kind in ("pass", "fail", "unknown")}
    if not found["pass"] and not found["fail"] and not found["unknown"]:
        problems.append(f"no fixtures in {folder}/pass or {folder}/fail: a guardrail that cannot fail")
    elif not found["fail"] and not found["unknown"]:
        # an unknown fixture proves it too: the guardrail reports what it cannot judge, never a pass
        problems.append(f"no fail fixture in {folder}/fail: a guardrail that cannot fail proves nothing")
    elif not found["pass"]:
        problems.append(f"no pass fixture in {folder}/pass")
    for name in sorted(set(expected) - {p.name for p in found["fail"]}):
        problems.append(f"expected.yaml names {name}, which is not in {folder}/fail")
    for name in sorted(set(unknown) - {p.name for p in found["unknown"]}):
        problems.append(f"expected.yaml `unknown:` names {name}, which is not in {folder}/unknown")
    targets: list[Target] = []
    errors: list[FixtureOutcome] = []
    for kind, paths in found.items():
        for path in paths:
            try:
                plan: Plan = load_plan(path)
            except PlanError as exc:
                errors.append(FixtureOutcome(f"{kind}/{path.name}", kind, "error", problem=exc.line()))
                continue
            targets.append(Target(Workload(f"{gid}|{kind}|{path.name}"), plan))
    return FixtureSet(gid, tuple(targets), expected, tuple(problems), tuple(errors), unknown)


def judge_run(fx: FixtureSet, results: Sequence[Any], gid: str) -> list[FixtureOutcome]:
    """Judge the results of guardrail `gid` (the fixtures' guardrail, or a mutant of it) on fx's plans."""
    outcomes = list(fx.load_errors)
    for r in results:
        if r.guardrail_id != gid:
            continue
        _, kind, name = r.workload.split("|", 2)
        if kind == "unknown":
            addresses = tuple(sorted({f.address for f in r.findings if f.address and f.unknown}))
            outcomes.append(_judge(kind, name, r.status, addresses, r.error, fx.unknown))
            continue
        addresses = tuple(sorted({f.address for f in r.findings if f.address}))
        outcomes.append(_judge(kind, name, r.status, addresses, r.error, fx.expected))
    return sorted(outcomes, key=lambda f: f.fixture)


def run_self_tests(gset: GuardrailSet, fixtures_dir: str | Path, engine: Engine,
                   only: Sequence[str] | None = None) -> SelfTestReport:
    """Each guardrail against its own fixtures only, one evaluation per guardrail: a fixture is judged on
    one guardrail, so evaluating it against the whole library would cost |library| times as much."""
    root = Path(fixtures_dir)
    tests = []
    for g in gset.select(only):
        fx = load_fixtures(root / g.id, g.id)
        results = evaluate(gset, fx.targets, engine, only=[g.id], mode=Mode.TEST).results if fx.targets else ()
        tests.append(GuardrailSelfTest(g.id, tuple(judge_run(fx, results, g.id)), fx.problems))
    return SelfTestReport(tuple(tests))


def write_report(report: SelfTestReport, path: str | Path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(report.to_json(), indent=2) + "\n", encoding="utf-8")

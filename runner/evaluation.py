"""Evaluate guardrails against workloads' plans: engine jobs in, typed results out."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from runner.engine import Engine, EvalJob, EvalOutput, ScenarioOutcome
from runner.engine.messages import parse_addresses, strip_ansi
from runner.guardrails import GuardrailSet, guardrail_by_location, write_engine_features
from runner.model import Finding, Guardrail, Result, RunResult, Status, Workload, WorkloadRun
from runner.plan import Plan

# turns one workload's raw results into final ones (exclusions); identity by default
ResultFilter = Callable[[Workload, Result], Result]


@dataclass(frozen=True)
class Target:
    """A workload and its loaded plan, or the reason its plan could not be loaded."""

    workload: Workload
    plan: Plan | None = None
    error: str = ""
    static_plan: bool = False


def _findings(g: Guardrail, workload: str, outcome: ScenarioOutcome, plan: Plan) -> tuple[list[Finding], list[str]]:
    by_address: dict[str, list[str]] = {}
    warning_of: dict[str, bool] = {}
    unparsed: list[str] = []
    for failure in outcome.failures:
        message = plan.redact(strip_ansi(str(failure.get("message", ""))).strip())
        warning = bool(failure.get("warning"))
        addresses = parse_addresses(message, plan.addresses)
        if not addresses:
            unparsed.append(message)
            addresses = [""]
        for addr in addresses:
            by_address.setdefault(addr, []).append(message)
            warning_of[addr] = warning_of.get(addr, True) and warning
    findings = [
        Finding(g.id, workload, addr, "\n".join(dict.fromkeys(msgs)), g.severity, warning=warning_of[addr])
        for addr, msgs in by_address.items()
    ]
    return findings, unparsed


def outcome_to_result(g: Guardrail, workload: str, outcome: ScenarioOutcome | None, out: EvalOutput,
                      plan: Plan) -> Result:
    if outcome is None:
        why = out.error or "the engine did not evaluate this guardrail"
        return Result(g.id, workload, Status.ERROR, error=plan.redact(why))
    if outcome.errors:
        return Result(g.id, workload, Status.ERROR, error=plan.redact("; ".join(outcome.errors)))
    findings, unparsed = _findings(g, workload, outcome, plan)
    if outcome.state == "failed":
        if not findings:
            return Result(g.id, workload, Status.FAILED, messages=("the engine failed this guardrail "
                                                                    "without a message",))
        return Result(g.id, workload, Status.FAILED, tuple(findings), tuple(unparsed))
    if outcome.state == "skipped":
        status = Status.PASSED if findings else Status.NOT_APPLICABLE
        return Result(g.id, workload, status, tuple(findings), tuple(unparsed))
    if outcome.state == "passed":
        return Result(g.id, workload, Status.PASSED, tuple(findings), tuple(unparsed))
    return Result(g.id, workload, Status.ERROR, error=f"the engine left this guardrail {outcome.state}")


def _relocate(out: EvalOutput, tmp_features: str, real_root: str) -> EvalOutput:
    """Engine messages name the cleaned copy's temp path: name the user's features directory instead."""
    if tmp_features not in out.error and not any(tmp_features in e for o in out.outcomes for e in o.errors):
        return out
    outcomes = tuple(replace(o, errors=tuple(e.replace(tmp_features, real_root) for e in o.errors))
                     for o in out.outcomes)
    return replace(out, outcomes=outcomes, error=out.error.replace(tmp_features, real_root))


def _final(result: Result, flt: ResultFilter | None, workload: Workload) -> Result:
    result = replace(result, engine_status=result.status)
    return flt(workload, result) if flt else result


def evaluate(
    gset: GuardrailSet,
    targets: Sequence[Target],
    engine: Engine,
    only: Sequence[str] | None = None,
    result_filter: ResultFilter | None = None,
    mode: str = "check",
) -> RunResult:
    """Run the selected guardrails against every target's plan. Nothing is lost: a target whose plan did
    not load, or whose engine run broke, yields error results for that workload only."""
    guardrails = gset.select(only)
    selected = [g.id for g in guardrails]
    location = guardrail_by_location(gset)
    results: list[Result] = []
    runs: list[WorkloadRun] = []
    with tempfile.TemporaryDirectory(prefix="tfguard-") as tmp:
        features_dir = Path(tmp) / "features"
        write_engine_features(gset, features_dir, selected)
        jobs: list[EvalJob] = []
        for i, t in enumerate(targets):
            if t.plan is None:
                continue
            work = Path(tmp) / f"job-{i}"
            work.mkdir()
            jobs.append(EvalJob(str(i), t.plan.write_engine_copy(work), str(features_dir), str(work)))
        outputs = {o.key: o for o in engine.evaluate(jobs)} if jobs else {}
        for i, t in enumerate(targets):
            name = t.workload.name
            if t.plan is None:
                runs.append(WorkloadRun(name, t.workload.plan or "", error=t.error,
                                        source_dir=t.workload.source_dir))
                results += [Result(g.id, name, Status.ERROR, error=t.error) for g in guardrails]
                continue
            out = _relocate(outputs[str(i)], str(features_dir), str(gset.root))
            by_id = {location.get((o.file, o.line)): o for o in out.outcomes}
            runs.append(WorkloadRun(name, t.plan.path, t.plan.digest, t.static_plan,
                                    error=t.plan.redact(out.error), source_dir=t.workload.source_dir))
            for g in guardrails:
                raw = outcome_to_result(g, name, by_id.get(g.id), out, t.plan)
                results.append(_final(raw, result_filter, t.workload))
    return RunResult(
        guardrails=guardrails,
        results=tuple(results),
        workloads=tuple(runs),
        mode=mode,
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        warnings=gset.warnings,
    )

"""Evaluate guardrails against workloads' plans: engine jobs in, typed results out."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from runner import clock
from runner.engine import Engine, EvalJob, EvalOutput, ScenarioOutcome
from runner.engine.cache import ResultCache
from runner.engine.messages import parse_addresses, strip_ansi
from runner.guardrails.load import GuardrailSet, guardrail_by_location, write_engine_features
from runner.model import Finding, Guardrail, Mode, Result, RunResult, Status, Workload, WorkloadRun
from runner.workloads.plan import Plan

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


def _refuse_unknown_steps(gset: GuardrailSet, targets: Sequence[Target], missing: dict[int, tuple[str, ...]],
                          raw: dict[tuple[int, str], Result]) -> None:
    """A guardrail with a step the engine does not implement gets its own error (naming the step) and is left
    out of the engine run: radish would otherwise refuse the whole run, every guardrail in it."""
    if not missing:
        return
    from runner.engine.steps import unknown_steps

    bad: dict[str, list[str]] = {}
    for u in unknown_steps(gset, sorted({gid for need in missing.values() for gid in need})):
        bad.setdefault(u.guardrail, []).append(u.message())
    if not bad:
        return
    for i in list(missing):
        workload = targets[i].workload.name
        for gid in missing[i]:
            if gid in bad:
                raw[(i, gid)] = Result(gid, workload, Status.ERROR, error="; ".join(bad[gid]))
        missing[i] = tuple(gid for gid in missing[i] if gid not in bad)
        if not missing[i]:
            del missing[i]


def evaluate(
    gset: GuardrailSet,
    targets: Sequence[Target],
    engine: Engine,
    only: Sequence[str] | None = None,
    result_filter: ResultFilter | None = None,
    mode: Mode = Mode.CHECK,
    cache: ResultCache | None = None,
) -> RunResult:
    """Run the selected guardrails against every target's plan. Nothing is lost: a target whose plan did
    not load, or whose engine run broke, yields error results for that workload only.

    With a cache, only the (plan, guardrail) pairs it does not hold are evaluated; targets that miss the
    same guardrails share one cleaned features directory (one engine preparation)."""
    guardrails = gset.select(only)
    location = guardrail_by_location(gset)
    raw: dict[tuple[int, str], Result] = {}
    runs: dict[int, WorkloadRun] = {}
    missing: dict[int, tuple[str, ...]] = {}
    for i, t in enumerate(targets):
        if t.plan is None:
            continue
        need: list[str] = []
        for g in guardrails:
            hit = cache.get(cache.key(t.plan.digest, g), g, t.workload.name) if cache else None
            if hit is None:
                need.append(g.id)
            else:
                raw[(i, g.id)] = hit
        if need:
            missing[i] = tuple(need)
    _refuse_unknown_steps(gset, targets, missing, raw)
    with tempfile.TemporaryDirectory(prefix="tfguard-") as tmp:
        jobs: list[EvalJob] = []
        feature_dirs: dict[tuple[str, ...], Path] = {}
        for i, needed in missing.items():
            if needed not in feature_dirs:
                feature_dirs[needed] = Path(tmp) / f"features-{len(feature_dirs)}"
                write_engine_features(gset, feature_dirs[needed], needed)
            work = Path(tmp) / f"job-{i}"
            work.mkdir()
            plan = targets[i].plan
            assert plan is not None
            jobs.append(EvalJob(str(i), plan.write_engine_copy(work), str(feature_dirs[needed]), str(work)))
        outputs = {o.key: o for o in engine.evaluate(jobs)} if jobs else {}
        for job in jobs:
            i = int(job.key)
            t = targets[i]
            assert t.plan is not None
            out = _relocate(outputs[job.key], job.features_dir, str(gset.root))
            by_id = {location.get((o.file, o.line)): o for o in out.outcomes}
            runs[i] = WorkloadRun(t.workload.name, t.plan.path, t.plan.digest, t.static_plan,
                                  error=t.plan.redact(out.error), source_dir=t.workload.source_dir,
                                  not_evaluated=t.plan.not_evaluated)
            for gid in missing[i]:
                g = gset.get(gid)
                result = outcome_to_result(g, t.workload.name, by_id.get(gid), out, t.plan)
                raw[(i, gid)] = result
                if cache:
                    cache.put(cache.key(t.plan.digest, g), result)
    results: list[Result] = []
    workload_runs: list[WorkloadRun] = []
    for i, t in enumerate(targets):
        name = t.workload.name
        if t.plan is None:
            workload_runs.append(WorkloadRun(name, t.workload.plan or "", error=t.error,
                                             source_dir=t.workload.source_dir))
            results += [Result(g.id, name, Status.ERROR, error=t.error) for g in guardrails]
            continue
        workload_runs.append(runs.get(i) or WorkloadRun(name, t.plan.path, t.plan.digest, t.static_plan,
                                                        source_dir=t.workload.source_dir,
                                                        not_evaluated=t.plan.not_evaluated))
        results += [_final(raw[(i, g.id)], result_filter, t.workload) for g in guardrails]
    return RunResult(
        guardrails=guardrails,
        results=tuple(results),
        workloads=tuple(workload_runs),
        mode=mode,
        created=clock.now_iso(),
        warnings=gset.warnings + tuple(getattr(engine, "warnings", ()))
        + ((note,) if cache and (note := cache.warning()) else ()),
    )

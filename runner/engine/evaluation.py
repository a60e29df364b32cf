"""Evaluate guardrails against workloads' plans: engine jobs in, typed results out."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from runner import clock
from runner.engine import Engine, EvalJob, EvalOutput, ScenarioOutcome
from runner.engine.cache import ResultCache
from runner.engine.messages import parse_addresses, strip_ansi
from runner.engine.unknowns import (
    Probe,
    ResourceView,
    Unknown,
    plan_view,
    probes,
    steps_of,
    unknown_resources,
    watch_list,
)
from runner.guardrails.load import GuardrailSet, guardrail_by_location, write_engine_features
from runner.model import Finding, Guardrail, Mode, Result, RunResult, Status, Workload, WorkloadRun, judged_status
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


WARNING_TAGS = frozenset({"warning", "no-failure", "no-fail", "info", "nofailure", "nofail", "dontfail"})


@dataclass(frozen=True)
class Judging:
    """What tfguard needs to find unknowns in one target's results (runner.engine.unknowns)."""

    view: Mapping[str, ResourceView]
    probes: Mapping[str, tuple[tuple[Probe, ...], tuple[int, ...]]]  # guardrail id -> (probes, step lines)


def _findings(g: Guardrail, workload: str, outcome: ScenarioOutcome, plan: Plan,
              judging: Judging | None = None) -> tuple[list[Finding], list[str]]:
    # address -> [(step line, message, warning)]
    by_address: dict[str, list[tuple[int, str, bool]]] = {}
    unparsed: list[str] = []
    for failure in outcome.failures:
        raw_message = strip_ansi(str(failure.get("message", ""))).strip()
        message = plan.redact(raw_message)
        warning = bool(failure.get("warning"))
        line = int(str(failure.get("line") or 0))
        # addresses are read before redaction: a for_each key equal to a sensitive value stays an address
        addresses = parse_addresses(raw_message, plan.addresses)
        if not addresses:
            unparsed.append(message)
            addresses = [""]
        for addr in addresses:
            by_address.setdefault(addr, []).append((line, message, warning))
    unknown: list[Unknown] = []
    if judging is not None and g.id in judging.probes:
        probes, lines = judging.probes[g.id]
        failed_at = {a: {ln for ln, _, _ in entries} for a, entries in by_address.items()}
        unknown = unknown_resources(probes, lines, dict(outcome.reached), failed_at, judging.view,
                                    dict(outcome.engine_keys))
        for u in unknown:  # the engine's failures from the step that needed the unknown value on are not true
            kept = [e for e in by_address.get(u.address, []) if e[0] and e[0] < u.line]
            if kept:
                by_address[u.address] = kept
            else:
                by_address.pop(u.address, None)
    findings = [
        _finding(plan, g, workload, addr, "\n".join(dict.fromkeys(m for _, m, _ in entries)),
                 warning=all(w for _, _, w in entries))
        for addr, entries in by_address.items()
    ]
    warn = bool(WARNING_TAGS & set(g.tags))
    known = set(by_address)
    findings += [_finding(plan, g, workload, u.address, plan.redact(u.message()), warning=warn, unknown=True)
                 for u in unknown if u.address not in known]
    return findings, unparsed


def _finding(plan: Plan, g: Guardrail, workload: str, address: str, message: str, warning: bool,
             unknown: bool = False) -> Finding:
    """A finding whose address shows a sensitive instance key as (sensitive); the real one is kept for
    exclusions in this run only (`Finding.match_address`)."""
    shown = plan.redact_address(address) if address else address
    return Finding(g.id, workload, shown, message, g.severity, warning=warning, unknown=unknown,
                   match_address=address if shown != address else "")


def outcome_to_result(g: Guardrail, workload: str, outcome: ScenarioOutcome | None, out: EvalOutput,
                      plan: Plan, judging: Judging | None = None) -> Result:
    if outcome is None:
        why = out.error or "the engine did not evaluate this guardrail"
        return Result(g.id, workload, Status.ERROR, error=plan.redact(why))
    if outcome.errors:
        return Result(g.id, workload, Status.ERROR, error=plan.redact("; ".join(outcome.errors)))
    findings, unparsed = _findings(g, workload, outcome, plan, judging)
    known = [f for f in findings if not f.unknown]
    if outcome.state == "failed":
        if not findings and not unparsed:
            return Result(g.id, workload, Status.FAILED, messages=("the engine failed this guardrail "
                                                                    "without a message",))
        if known or unparsed:
            return Result(g.id, workload, Status.FAILED, tuple(findings), tuple(unparsed))
        return Result(g.id, workload, judged_status(findings, Status.PASSED), tuple(findings), tuple(unparsed))
    if outcome.state == "skipped":
        status = Status.PASSED if known else Status.NOT_APPLICABLE
        return Result(g.id, workload, judged_status(findings, status), tuple(findings), tuple(unparsed))
    if outcome.state == "passed":
        return Result(g.id, workload, judged_status(findings, Status.PASSED), tuple(findings), tuple(unparsed))
    return Result(g.id, workload, Status.ERROR, error=f"the engine left this guardrail {outcome.state}")


def _relocate(out: EvalOutput, tmp_features: str, real_root: str) -> EvalOutput:
    """Engine messages name the cleaned copy's temp path: name the user's features directory instead."""
    if tmp_features not in out.error and not any(tmp_features in e for o in out.outcomes for e in o.errors):
        return out
    outcomes = tuple(replace(o, errors=tuple(e.replace(tmp_features, real_root) for e in o.errors))
                     for o in out.outcomes)
    return replace(out, outcomes=outcomes, error=out.error.replace(tmp_features, real_root))


def guardrail_probes(gset: GuardrailSet, ids: Sequence[str]) -> dict[str, tuple[tuple[Probe, ...], tuple[int, ...]]]:
    """Per guardrail: what its steps look at, and the lines of all its steps."""
    wanted = set(ids)
    out: dict[str, tuple[tuple[Probe, ...], tuple[int, ...]]] = {}
    for ff in gset.files:
        for gid, span in ff.spans.items():
            if gid in wanted:
                steps = steps_of(ff.lines, *span)
                found = probes(steps)
                if found:
                    out[gid] = (tuple(found), tuple(s.line for s in steps))
    return out


def _judging(plan: Plan, gprobes: Mapping[str, tuple[tuple[Probe, ...], tuple[int, ...]]], need: Sequence[str],
             work: Path) -> Judging | None:
    """The plan's view for finding unknowns; asks the recorder to follow the resources that may have some."""
    view = plan_view(plan.data)
    watch = watch_list(view, [p for gid in need for p in gprobes.get(gid, ((), ()))[0]])
    if not watch:
        return None
    (work / "watch.json").write_text(json.dumps(watch), encoding="utf-8")
    return Judging(view, gprobes)


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
    judge_unknowns: bool = True,
) -> RunResult:
    """Run the selected guardrails against every target's plan. Nothing is lost: a target whose plan did
    not load, or whose engine run broke, yields error results for that workload only.

    A resource a guardrail can only judge on a value known after apply is reported unknown
    (runner.engine.unknowns); `judge_unknowns=False` gives the engine's own verdicts (parity checks).

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
    gprobes = guardrail_probes(gset, [g.id for g in guardrails]) if judge_unknowns and missing else {}
    judgings: dict[int, Judging | None] = {}
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
            judgings[i] = _judging(plan, gprobes, needed, work) if gprobes else None
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
                result = outcome_to_result(g, t.workload.name, by_id.get(gid), out, t.plan, judgings.get(i))
                raw[(i, gid)] = result
                if cache and not any(f.match_address for f in result.findings):
                    # a result naming a sensitive key is not cached: its exclusions match the real key,
                    # which is never written to disk
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

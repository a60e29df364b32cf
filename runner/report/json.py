"""results.json: the canonical, versioned result document (schema: runner/schemas/results.schema.json)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

from runner import RESULT_SCHEMA_VERSION, __version__
from runner.errors import ConfigError
from runner.model import (
    ExclusionRef,
    Finding,
    Guardrail,
    Mode,
    Result,
    RunResult,
    Severity,
    Status,
    WorkloadRun,
)
from runner.readers import compiled, json_type, load_json
from runner.report.options import NO_OPTIONS, ReportOptions
from runner.schemas import load_schema


def engine_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("terraform-compliance")
    except PackageNotFoundError:
        return "unknown"


def _ref(ref: ExclusionRef | None) -> dict[str, str] | None:
    if ref is None:
        return None
    return {"id": ref.id, "expires": ref.expires.isoformat(), "ticket": ref.ticket, "reason": ref.reason}


def _guardrail(g: Guardrail) -> dict[str, Any]:
    return {
        "id": g.id, "title": g.title, "feature": g.feature, "file": g.file, "line": g.line,
        "severity": g.severity.value, "controls": list(g.controls), "remediation": g.remediation,
        "description": g.description, "tags": list(g.tags),
        "deadline": g.deadline.isoformat() if g.deadline else None, "id_derived": g.id_derived,
        "resource_types": list(g.resource_types), "digest": g.digest,
    }


def finding_status(f: Finding) -> str:
    """violation | excluded | warning | unknown: what one finding counts as."""
    if f.excluded:
        return "excluded"
    if f.warning:
        return "warning"
    return "unknown" if f.unknown else "violation"


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "guardrail": f.guardrail_id, "workload": f.workload, "address": f.address, "message": f.message,
        "severity": f.severity.value, "status": finding_status(f), "unknown": f.unknown,
        "exclusion": _ref(f.excluded_by), "expired_exclusion": _ref(f.expired_exclusion), "note": f.note,
    }


def to_document(run: RunResult) -> dict[str, Any]:
    counts = run.counts()
    return {
        "schema_version": RESULT_SCHEMA_VERSION,
        "tool": {"name": "tfguard", "version": __version__, "engine": f"terraform-compliance {engine_version()}"},
        "mode": run.mode,
        "created": run.created,
        "rules_source": dict(run.rules_source),
        "summary": {
            "guardrails": len(run.guardrails),
            "workloads": len(run.workloads),
            **counts,
            "violations": sum(len(r.violations) for r in run.results),
            "unknowns": sum(len(r.unknowns) for r in run.results),
            "excluded_findings": sum(len(r.excluded) for r in run.results),
            "compliant": run.exit_code == 0,
            "exit_code": run.exit_code,
        },
        "guardrails": [_guardrail(g) for g in run.guardrails],
        "workloads": [
            {"name": w.workload, "plan": w.plan_path, "plan_digest": w.plan_digest,
             "static_plan": w.static_plan, "error": w.error, "source_dir": w.source_dir,
             **({"not_evaluated": list(w.not_evaluated)} if w.not_evaluated else {})}
            for w in run.workloads
        ],
        "results": [
            {
                "guardrail": r.guardrail_id, "workload": r.workload, "status": r.status.value,
                "engine_status": (r.engine_status or r.status).value, "error": r.error,
                "messages": list(r.messages), "findings": [_finding(f) for f in r.findings],
            }
            for r in run.results
        ],
        "warnings": list(run.warnings),
        "changed_guardrails": list(run.changed_guardrails),
    }


def _unref(d: dict[str, Any] | None) -> ExclusionRef | None:
    if not d:
        return None
    return ExclusionRef(d["id"], date.fromisoformat(d["expires"]), d.get("ticket", ""), d.get("reason", ""))


def from_document(doc: dict[str, Any], where: str = "results.json") -> RunResult:
    """Rebuild a RunResult from results.json (for `tfguard report --from` and `promote`)."""
    check_document(doc, where)
    try:
        guardrails = tuple(
            Guardrail(
                id=g["id"], title=g["title"], file=g["file"], line=g["line"], severity=Severity(g["severity"]),
                controls=tuple(g["controls"]), remediation=g["remediation"], description=g.get("description", ""),
                tags=tuple(g.get("tags", ())), deadline=date.fromisoformat(g["deadline"]) if g.get("deadline") else None,
                id_derived=g.get("id_derived", False), resource_types=tuple(g.get("resource_types", ())),
                digest=g.get("digest", ""), feature=g.get("feature", ""),
            )
            for g in doc["guardrails"]
        )
        results = tuple(
            Result(
                guardrail_id=r["guardrail"], workload=r["workload"], status=Status(r["status"]),
                findings=tuple(
                    Finding(f["guardrail"], f["workload"], f["address"], f["message"], Severity(f["severity"]),
                            excluded_by=_unref(f.get("exclusion")), expired_exclusion=_unref(f.get("expired_exclusion")),
                            warning=f.get("status") == "warning",
                            unknown=bool(f.get("unknown", f.get("status") == "unknown")))
                    for f in r["findings"]
                ),
                messages=tuple(r.get("messages", ())), error=r.get("error", ""),
                engine_status=Status(r.get("engine_status", r["status"])),
            )
            for r in doc["results"]
        )
        workloads = tuple(
            WorkloadRun(w["name"], w.get("plan", ""), w.get("plan_digest", ""), w.get("static_plan", False),
                        w.get("error", ""), w.get("source_dir"), tuple(w.get("not_evaluated") or ()))
            for w in doc["workloads"]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"malformed results document: {exc!r}", where=where) from None
    return RunResult(guardrails, results, workloads, _mode(doc.get("mode", "check")), doc.get("created", ""),
                     doc.get("rules_source", {}), tuple(doc.get("warnings", ())),
                     tuple(doc.get("changed_guardrails", ())))


def load_document(path: str) -> RunResult:
    """A results.json, read within the JSON limits and validated (runner/schemas/results.schema.json)."""
    return from_document(load_json(path, noun="results file"), path)


@cache
def _results_validator() -> Callable[[Any], str | None]:
    return compiled(load_schema("results"))


def check_document(doc: Any, where: str) -> dict[str, Any]:
    """The document, if it is a results document of a schema version this tfguard reads; else one line."""
    if not isinstance(doc, dict):
        raise ConfigError(f"top level: expected an object, got {json_type(doc)} (not a tfguard results document)",
                          where=where)
    major = str(doc.get("schema_version", "")).split(".")[0]
    if major != RESULT_SCHEMA_VERSION.split(".")[0]:
        raise ConfigError(f"unsupported results schema_version {doc.get('schema_version')!r} (not a tfguard results "
                          f"document of version {RESULT_SCHEMA_VERSION.split('.')[0]}.x)", where=where)
    problem = _results_validator()(doc)
    if problem:
        raise ConfigError(problem, where=where)
    return doc


class JsonFormatter:
    name = "json"
    filename = "results.json"
    in_report_dir = True

    def render(self, run: RunResult, options: ReportOptions = NO_OPTIONS) -> str:
        return json.dumps(to_document(run), indent=2, sort_keys=False) + "\n"


FORMATTER = JsonFormatter()


def _mode(value: Any) -> Mode:
    try:
        return Mode(value)
    except ValueError:
        raise ConfigError(f"unknown mode {value!r} in the results document") from None

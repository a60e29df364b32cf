"""Guardrail lint: what would otherwise fail late, found before any run.

Problems: Gherkin syntax errors (file:line, from tfguard's strict parser, which refuses whatever the
engine would misread), step sentences no terraform-compliance step implements (matched against the
engine's registered steps), missing @id / @severity / remediation, the placeholders `tfguard new`
scaffolds, duplicate ids, unknown tags, and @control ids that are not in their benchmark's list (FSBP
v1.0.0, CIS AWS Foundations v3.0.0: runner/guardrails/controls). A file that does not parse is an error,
never a warning."""

from __future__ import annotations

import difflib
import re
from datetime import date
from pathlib import Path

from runner.errors import GuardrailError
from runner.guardrails.controls import FILES, benchmark
from runner.guardrails.load import (
    ENGINE_TAG_PREFIXES,
    ENGINE_TAGS,
    KNOWN_TAG_KEYS,
    _parse_file,
    derived_id,
    feature_files,
    tag_values,
)
from runner.problems import Problem

# what `tfguard new` writes until a security engineer replaces it: never to reach an app team
PLACEHOLDER_REMEDIATION = "Describe exactly what an app team changes in its Terraform to comply."
PLACEHOLDER_ATTRIBUTE = "CHANGE_ME"

# framework prefix -> shape of its control ids
CONTROL_FRAMEWORKS: dict[str, re.Pattern[str]] = {
    "CIS": re.compile(r"^\d+(\.\d+){1,3}$"),  # CIS AWS Foundations Benchmark, e.g. CIS-2.1.1
    "FSBP": re.compile(r"^[A-Za-z0-9]+\.\d+$"),  # AWS Foundational Security Best Practices, e.g. FSBP-S3.4
    "NIST": re.compile(r"^[A-Z]{2}-\d+(\(\d+\))?$"),  # NIST SP 800-53, e.g. NIST-SC-28
    "PCI": re.compile(r"^\d+(\.\d+){0,3}$"),  # PCI DSS, e.g. PCI-3.4
    "SOC2": re.compile(r"^CC\d+\.\d+$"),  # SOC 2 common criteria, e.g. SOC2-CC6.1
    "ISO27001": re.compile(r"^A\.\d+(\.\d+){1,2}$"),  # ISO/IEC 27001 Annex A, e.g. ISO27001-A.8.24
}
SEVERITIES = ("low", "medium", "high", "critical")


def _problem(where: str, message: str, level: str) -> Problem:
    """A problem at `file:line` (or a file) of the guardrails."""
    file, _, line = where.partition(":")
    return Problem(level, where, message, file=file, line=int(line) if line.isdigit() else 0)


def lint_line(p: Problem) -> str:
    """`file:line: level: message`, as compilers and linters print."""
    return f"{p.where}: {p.level}: {p.message}"


def _check_control(value: str) -> str | None:
    framework, _, ident = value.partition("-")
    pattern = CONTROL_FRAMEWORKS.get(framework)
    if pattern is None:
        known = ", ".join(CONTROL_FRAMEWORKS)
        return f"@control:{value} names no known framework (known: {known})"
    if not ident or not pattern.match(ident):
        return f"@control:{value} is not a valid {framework} control id"
    if framework in FILES:
        bench = benchmark(framework)
        if bench.get(ident) is None:
            close = difflib.get_close_matches(ident, list(bench.controls), n=3, cutoff=0.6)
            hint = f" (did you mean {', '.join(f'{framework}-{c}' for c in close)}?)" if close else ""
            return (f"@control:{value} is not a control of {bench.standard}{hint}; the list is "
                    f"runner/guardrails/controls/{FILES[framework]}")
    return None


def _check_tags(tags: list[str], where: str) -> list[Problem]:
    out: list[Problem] = []
    for tag in tags:
        key, sep, value = tag.partition(":")
        if sep:
            if key not in KNOWN_TAG_KEYS:
                out.append(_problem(where, f"unknown tag key @{key}: (known: {', '.join(KNOWN_TAG_KEYS)})", "warning"))
            elif key == "control" and (msg := _check_control(value)):
                out.append(_problem(where, msg, "error"))
            elif key == "severity" and value.lower() not in SEVERITIES:
                out.append(_problem(where, f"@severity:{value} is not one of {', '.join(SEVERITIES)}", "error"))
        elif tag.lower() not in ENGINE_TAGS and not tag.lower().startswith(ENGINE_TAG_PREFIXES):
            out.append(_problem(where, f"unknown tag @{tag}", "warning"))
    return out


def _metadata_problems(root: Path) -> list[Problem]:
    out: list[Problem] = []
    seen: dict[str, str] = {}
    for path in feature_files(root):
        rel = path.relative_to(root).as_posix()
        try:
            st, _ = _parse_file(path, rel)
        except GuardrailError as exc:
            out.append(_problem(exc.where or rel, exc.message, "error"))
            continue
        if not st.scenarios:
            out.append(_problem(rel, "feature file has no scenarios", "warning"))
        for sc in st.scenarios:
            where = f"{rel}:{sc.line}"
            ids = tag_values(sc.tags, "id")
            gid = ids[0] if ids else derived_id(rel, sc.title)
            if not ids:
                out.append(_problem(where, f"scenario {sc.title!r} has no @id tag (derived id {gid})", "warning"))
            if len(ids) > 1:
                out.append(_problem(where, f"scenario has {len(ids)} @id tags", "error"))
            if gid in seen:
                out.append(_problem(where, f"duplicate guardrail id {gid} (also at {seen[gid]})", "error"))
            seen.setdefault(gid, where)
            if not tag_values(sc.tags + st.feature_tags, "severity"):
                out.append(_problem(where, "no @severity tag (defaults to medium)", "warning"))
            if not any(ln.strip().lower().startswith("remediation:") for _, ln in sc.description):
                out.append(_problem(where, "no Remediation: paragraph to tell app teams what to change", "warning"))
            elif any(PLACEHOLDER_REMEDIATION in ln for _, ln in sc.description):
                out.append(_problem(where, "the remediation is still the placeholder that `tfguard new` wrote: say "
                                          "which resource, argument and value to change", "error"))
            if any(PLACEHOLDER_ATTRIBUTE in step for step in sc.steps):
                out.append(_problem(where, f"a step still checks the placeholder {PLACEHOLDER_ATTRIBUTE} that "
                                          "`tfguard new` wrote", "error"))
            out += _check_tags(sc.tags, where)
            for value in tag_values(sc.tags + st.feature_tags, "deadline"):
                try:
                    date.fromisoformat(value)
                except ValueError:
                    out.append(_problem(where, f"@deadline:{value} is not a YYYY-MM-DD date", "error"))
        out += _check_tags(st.feature_tags, f"{rel}:1")
    return out


def _step_problems(root: Path) -> list[Problem]:
    """Steps no terraform-compliance step implements (matched with the engine's own parser and registry)."""
    from runner.engine.steps import unknown_steps
    from runner.guardrails.load import load_guardrails

    try:
        gset = load_guardrails(root, unique_ids=False)
    except GuardrailError:
        return []  # already reported with its place by the metadata checks
    try:
        found = unknown_steps(gset)
    except GuardrailError as exc:
        return [_problem(exc.where or str(root), exc.message, "error")]
    return [_problem(u.where, f"no terraform-compliance step matches {u.sentence!r}", "error") for u in found]


def lint(features_dir: str | Path) -> list[Problem]:
    root = Path(features_dir)
    if not root.is_dir():
        raise GuardrailError("features directory not found", where=str(features_dir))
    if not feature_files(root):
        raise GuardrailError("no .feature files in the features directory", where=str(features_dir))
    problems = _metadata_problems(root) + _step_problems(root)
    return sorted(set(problems), key=lambda p: (p.where.split(":")[0], int(p.where.split(":")[1])
                                                if p.where.count(":") == 1 and p.where.split(":")[1].isdigit()
                                                else 0, p.message))

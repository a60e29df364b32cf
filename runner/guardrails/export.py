"""Guardrails for plain terraform-compliance: `tfguard export --plain DIR`.

tfguard's feature files carry free text under a Scenario (why, and the `Remediation:` an application team
reads). Plain terraform-compliance reads such lines as steps and stops ("Cannot find step definition").
The export writes the same files with those lines turned into Gherkin comments, so that
`terraform-compliance -f DIR` runs the library unchanged: same scenarios, same steps, same tags (`@id:`,
`@severity:` and `@control:` are ordinary tags to it), same line numbers. Nothing is dropped: a team moving
to plain terraform-compliance keeps its remediation texts as comments, and one moving back to tfguard can
use the original files as they are."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from runner.errors import UsageError
from runner.guardrails.load import GuardrailSet


@dataclass(frozen=True)
class ExportOutcome:
    files: tuple[Path, ...]
    guardrails: int


def plain_lines(lines: list[str], description_lines: frozenset[int]) -> list[str]:
    """The feature file's lines with every free-text line commented out, indentation kept."""
    out = []
    for no, line in enumerate(lines, start=1):
        if no in description_lines and line.strip():
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}# {line.strip()}")
        else:
            out.append(line)
    return out


def export_plain(gset: GuardrailSet, source: Path, dest: Path) -> ExportOutcome:
    """Write the library under `dest` for plain terraform-compliance; `dest` must not overlap `source`."""
    src, out = source.resolve(), dest.resolve()
    if out == src or out.is_relative_to(src) or src.is_relative_to(out):
        raise UsageError("the export directory must be outside the guardrails directory", where=str(dest))
    if out.exists() and not out.is_dir():
        raise UsageError("the export target exists and is not a directory", where=str(dest))
    written = []
    for ff in gset.files:
        target = out / ff.relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(plain_lines(list(ff.lines), ff.description_lines)) + "\n", encoding="utf-8")
        written.append(target)
    return ExportOutcome(tuple(written), len(gset.guardrails))

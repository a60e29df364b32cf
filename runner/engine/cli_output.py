"""Reading a plain `terraform-compliance` run's terminal output (no tfguard recorder loaded).

Used to compare tfguard with the engine as people run it (parity checks, benchmarks of the naive way)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from runner.engine.messages import strip_ansi

SCENARIO_RE = re.compile(r"^\s*Scenario(?: Outline)?:\s*(.*?)\s*$")
FAILURE_RE = re.compile(r"^\s*Failure:\s?(.*)$")
CRASH_RE = re.compile(r"^\s+((?:TerraformCompliance\w+|\w+(?:Error|Exception))):\s?(.*)$")


@dataclass
class PlainScenario:
    name: str
    state: str = "passed"  # passed | failed | skipped | error (a step crashed)
    messages: list[str] = field(default_factory=list)


def parse_plain_output(text: str) -> list[PlainScenario]:
    scenarios: list[PlainScenario] = []
    current: PlainScenario | None = None
    skipped = False
    for raw in strip_ansi(text).splitlines():
        if m := SCENARIO_RE.match(raw):
            _close(current, skipped)
            current, skipped = PlainScenario(m.group(1)), False
            scenarios.append(current)
            continue
        if current is None:
            continue
        if m := FAILURE_RE.match(raw):
            current.state = "failed" if current.state != "error" else "error"
            if m.group(1).strip():
                current.messages.append(m.group(1).strip())
        elif m := CRASH_RE.match(raw):
            current.state = "error"
            current.messages.append(f"{m.group(1)}: {m.group(2)}")
        elif "SKIPPING" in raw:
            skipped = True
        elif re.match(r"^\d+ features? \(", raw.strip()):
            _close(current, skipped)
            current = None
    _close(current, skipped)
    return scenarios


def _close(sc: PlainScenario | None, skipped: bool) -> None:
    if sc is not None and sc.state == "passed" and skipped:
        sc.state = "skipped"

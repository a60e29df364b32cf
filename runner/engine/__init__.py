"""Evaluation engines: run terraform-compliance on (plan, guardrail set) jobs and return raw outcomes.

`inprocess` (default) imports the engine once and forks a child per evaluation, on a pool sized to the
machine's cores. `cli` runs one `terraform-compliance` process per evaluation: the naive way, kept as a
fallback and as the reference for parity."""

from __future__ import annotations

from runner.engine.base import Engine, EvalJob, EvalOutput, ScenarioOutcome

ENGINES = ("inprocess", "cli")


def make_engine(name: str = "inprocess", workers: int | None = None) -> Engine:
    if name == "cli":
        from runner.engine.cli import CliEngine

        return CliEngine(workers=workers)
    if name == "inprocess":
        from runner.engine.inprocess import InProcessEngine

        return InProcessEngine(workers=workers)
    from runner.errors import UsageError

    raise UsageError(f"unknown engine {name!r} (use one of: {', '.join(ENGINES)})")


__all__ = ["ENGINES", "Engine", "EvalJob", "EvalOutput", "ScenarioOutcome", "make_engine"]

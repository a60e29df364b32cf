"""One plan, several workers: the in-process engine spreads the plan's feature files across forked
children that share one parse. Its verdicts must be those of one worker and of the cli engine."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import EXAMPLES, tfguard

from runner.engine.inprocess import balance


def _verdicts(text: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    doc = json.loads(text)
    return {r["guardrail"]: (r["status"], tuple(sorted(f["address"] for f in r.get("findings", []))))
            for r in doc["results"]}


def test_one_plan_on_two_workers_gives_the_verdicts_of_one_worker_and_of_the_cli_engine(tmp_path: Path) -> None:
    plan = str(EXAMPLES / "web-service" / "plan.json")
    runs = {}
    for name, extra in (("one", ["--workers", "1"]), ("sharded", ["--workers", "3"]), ("cli", ["--engine", "cli"])):
        run = tfguard("check", "--plan", plan, "--no-cache", "--no-exclusions", "--format", "json", *extra)
        assert run.code == 1, run.stderr  # the example has planted violations
        runs[name] = _verdicts(run.stdout)
    assert runs["sharded"] == runs["one"] == runs["cli"]
    assert any(status == "failed" for status, _ in runs["one"].values())


class _Feature:
    def __init__(self, name: str, scenarios: int) -> None:
        self.name, self.scenarios = name, [None] * scenarios


def test_feature_files_are_balanced_by_scenarios_and_keep_their_order() -> None:
    features = [_Feature("a", 9), _Feature("b", 1), _Feature("c", 4), _Feature("d", 4), _Feature("e", 1)]
    groups = balance(features, 2)
    assert sorted(f.name for g in groups for f in g) == ["a", "b", "c", "d", "e"]
    loads = sorted(sum(len(f.scenarios) for f in g) for g in groups)
    assert loads == [9, 10]
    for g in groups:
        assert [f.name for f in g] == sorted(f.name for f in g)
    assert balance(features[:1], 3) == [[features[0]]]

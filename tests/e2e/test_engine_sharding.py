"""One plan, several workers: the in-process engine spreads the plan's feature files across forked
children that share one parse. Its verdicts must be those of one worker and of the cli engine."""

from __future__ import annotations

import json
import os
from pathlib import Path

from helpers import EXAMPLES, tfguard

from runner.engine.inprocess import PulledFeatures, _queue, largest_first


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


def test_feature_files_are_queued_largest_first_in_file_order_among_equals() -> None:
    features = [_Feature("a", 9), _Feature("b", 1), _Feature("c", 4), _Feature("d", 4), _Feature("e", 1)]
    assert [features[i].name for i in largest_first(features)] == ["a", "c", "d", "b", "e"]


def test_shards_drawing_from_one_queue_run_every_feature_file_exactly_once() -> None:
    """Two shards in this process stand in for two forked ones: they read the same pipe, as forks do."""
    features = [_Feature(f"f{i}", i % 3 + 1) for i in range(40)]
    read_fd, write_fd = _queue(largest_first(features))
    os.close(write_fd)
    try:
        one, two = PulledFeatures(features, read_fd), PulledFeatures(features, read_fd)
        first, second = iter(one), iter(two)
        got: list[str] = []
        for _ in range(5):  # one shard takes five while the other takes one: the slow one takes fewer
            got.append(next(first).name)
        got.append(next(second).name)
        got += [f.name for f in first] + [f.name for f in second]
    finally:
        os.close(read_fd)
    assert sorted(got) == sorted(f.name for f in features)
    assert len(one.taken) == 39 and len(two.taken) == 1

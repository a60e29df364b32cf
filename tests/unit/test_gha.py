"""The local GitHub Actions runner used by tests/e2e/test_github_workflow_run.py: the expressions and trigger
filters the thin workflows use behave as GitHub documents them, and anything else is refused."""

from __future__ import annotations

from typing import Any

import pytest
from gha import Event, ExpressionError, evaluate, glob_regex, render, triggered

CONTEXTS: dict[str, Any] = {
    "github": {"event_name": "push", "token": "tok", "event": {"pull_request": {"number": 7}}},
    "secrets": {"EMPTY": ""}, "inputs": {"task": "daily", "reason": ""},
    "matrix": {"shard": 2}, "strategy": {"job-total": 4},
}


@pytest.mark.parametrize(("expr", "value"), [
    ("secrets.EMPTY || github.token", "tok"),  # || yields the first truthy operand
    ("github.event_name == 'PUSH'", True),  # strings compare case-insensitively
    ("github.event_name == 'schedule' || inputs.task == 'daily'", True),
    ("github.event_name == 'workflow_dispatch' && inputs.task == 'after-deadline'", False),
    ("inputs.reason != '' && inputs.task", False),
    ("!inputs.reason", True),
    ("github.event.pull_request.number", 7),
    ("strategy.job-total", 4),
    ("github.nothing.here", None),
])
def test_expressions(expr: str, value: Any) -> None:
    assert evaluate(expr, CONTEXTS) == value


def test_render_replaces_expressions_inside_text() -> None:
    assert render('--shard "${{ matrix.shard }}/${{ strategy.job-total }}"', CONTEXTS) == '--shard "2/4"'
    assert render({"token": "${{ secrets.EMPTY || github.token }}"}, CONTEXTS) == {"token": "tok"}


def test_what_it_cannot_read_is_an_error_never_a_skip() -> None:
    for expr in ("nope.x", "frobnicate()", "contains(inputs.task, 'd')", "matrix.shard > 1"):
        with pytest.raises(ExpressionError):
            evaluate(expr, CONTEXTS)


def test_filter_patterns() -> None:
    assert glob_regex("exclusions/**").match("exclusions/team/a.yaml")
    assert not glob_regex("feature/*").match("feature/a/b")
    assert glob_regex("feature/**").match("feature/a/b")


def test_trigger_filters() -> None:
    on = {"push": {"branches-ignore": ["main", "tfguard-ledger"]}, "pull_request": {"paths": ["exclusions/**"]},
          "schedule": [{"cron": "0 6 * * *"}]}
    assert triggered(on, Event("push", "feature/x"))
    assert not triggered(on, Event("push", "main")) and not triggered(on, Event("push", "tfguard-ledger"))
    assert triggered(on, Event("pull_request", "b", base="main", changed_files=("exclusions/w.yaml",),
                               action="opened"))
    assert not triggered(on, Event("pull_request", "b", base="main", changed_files=("features/x.feature",),
                                   action="opened"))
    assert not triggered(on, Event("pull_request", "b", base="main", changed_files=("exclusions/w.yaml",),
                                   action="closed"))
    assert triggered(on, Event("schedule", "main")) and not triggered(on, Event("workflow_dispatch", "main"))

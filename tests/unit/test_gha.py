"""The local GitHub Actions runner used by tests/e2e/test_github_workflow_run.py: expressions and trigger
filters behave as GitHub documents them, so the e2e test runs the workflows as GitHub would."""

from __future__ import annotations

import pytest
from gha import Event, ExpressionError, evaluate, glob_regex, render, triggered

CONTEXTS = {
    "github": {"event_name": "push", "token": "tok", "event": {"pull_request": {"number": 7}}},
    "secrets": {"EMPTY": ""}, "inputs": {"task": "daily", "reason": ""},
    "matrix": {"shard": 2}, "strategy": {"job-total": 4},
    "steps": {"validate": {"outputs": {"exit-code": "0"}, "outcome": "success"}},
}


@pytest.mark.parametrize(("expr", "value"), [
    ("secrets.EMPTY || github.token", "tok"),  # || yields the first truthy operand
    ("github.event_name == 'PUSH'", True),  # strings compare case-insensitively
    ("github.event_name == 'schedule' || inputs.task == 'daily'", True),
    ("inputs.reason != '' && inputs.task", False),
    ("!inputs.reason", True),
    ("steps.validate.outputs.exit-code != '0'", False),
    ("steps.validate.outputs['exit-code'] == 0", True),  # mixed types compare as numbers
    ("github.event.pull_request.number", 7.0),
    ("strategy.job-total", 4),
    ("contains(fromJSON('[\"a\", \"b\"]'), 'B')", True),
    ("format('{0}/{1}', matrix.shard, strategy.job-total)", "2/4"),
    ("github.nothing.here", None),
])
def test_expressions(expr, value):
    assert evaluate(expr, CONTEXTS, {}) == value


def test_render_replaces_expressions_inside_text_and_keeps_whole_values():
    assert render('--shard "${{ matrix.shard }}/${{ strategy.job-total }}"', CONTEXTS, {}) == '--shard "2/4"'
    assert render({"n": "${{ fromJSON('[1, 2]') }}"}, CONTEXTS, {}) == {"n": [1, 2]}


def test_unknown_contexts_and_functions_are_errors():
    with pytest.raises(ExpressionError):
        evaluate("nope.x", CONTEXTS, {})
    with pytest.raises(ExpressionError):
        evaluate("frobnicate()", CONTEXTS, {})


def test_filter_patterns():
    assert glob_regex("exclusions/**").match("exclusions/team/a.yaml")
    assert not glob_regex("feature/*").match("feature/a/b")
    assert glob_regex("feature/**").match("feature/a/b")


def test_trigger_filters():
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

"""Parity of the fast engine with the naive way: every example workload and every guardrail fixture,
against the whole guardrail library, gets the same verdict and the same failing-resource set from
tfguard's in-process engine as from one plain `terraform-compliance` CLI process per plan."""

import sys

from helpers import EXAMPLES, FEATURES, REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "bench"))
from parity_reference_plans import compare  # noqa: E402


def test_examples_and_fixtures_get_the_plain_engine_verdicts():
    plans = sorted(EXAMPLES.glob("*/plan.json")) + sorted((REPO_ROOT / "tests" / "guardrails").glob("*/*/*.json"))
    count, disagreements, rejected = compare(plans, FEATURES)
    assert count == len(plans) >= 100
    assert rejected == []
    assert disagreements == [], disagreements[:5]

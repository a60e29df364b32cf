"""Verdict parity with a plain terraform-compliance run on the public reference plans in ../shared.

Those plans are study material that is not part of the repository: this test runs wherever they are
laid beside the project (developer machines and CI) and is skipped only when they are absent."""

import sys

import pytest
from helpers import REPO_ROOT

PLANS = REPO_ROOT.parent / "shared" / "reference-plans"


@pytest.mark.skipif(not PLANS.is_dir(), reason="../shared/reference-plans is absent (not part of the repo)")
def test_every_reference_plan_gets_the_plain_engine_verdict_and_addresses():
    sys.path.insert(0, str(REPO_ROOT / "bench"))
    from parity_reference_plans import DEFAULT_FEATURES, compare

    count, disagreements, rejected = compare(PLANS, DEFAULT_FEATURES)
    assert count >= 100
    assert rejected == []
    assert disagreements == []

"""Parity of the fast engine with the naive way: tfguard's in-process engine gives the same verdict and the
same failing-resource set as one plain `terraform-compliance` CLI process per plan.

- The example workloads, and every eighth guardrail fixture (sorted, so always the same ones), against
  the whole library: what a sweep does, feature files sharing one parsed plan.
- Every guardrail fixture against the feature file that holds its guardrail: every fixture is covered,
  and a plain process per fixture costs one feature file, not the whole library (the suite's budget)."""

import shutil
import sys
from collections import defaultdict
from pathlib import Path

from helpers import EXAMPLES, FEATURES, REPO_ROOT

from runner.guardrails.load import load_guardrails

sys.path.insert(0, str(REPO_ROOT / "bench"))
from parity_reference_plans import compare  # noqa: E402

FIXTURES = sorted((REPO_ROOT / "tests" / "guardrails").glob("*/*/*.json"))


def test_examples_and_a_fixed_sample_of_fixtures_get_the_plain_verdicts_of_the_whole_library():
    plans = sorted(EXAMPLES.glob("*/plan.json")) + FIXTURES[::8]
    count, disagreements, rejected = compare(plans, FEATURES)
    assert count == len(plans) >= 50
    assert rejected == []
    assert disagreements == [], disagreements[:5]


def test_every_fixture_gets_the_plain_verdicts_of_its_own_feature_file(tmp_path: Path):
    gset = load_guardrails(FEATURES)
    file_of = {g.id: g.file for g in gset.guardrails}
    by_file: dict[str, list[Path]] = defaultdict(list)
    for fixture in FIXTURES:
        by_file[file_of[fixture.parent.parent.name]].append(fixture)
    assert len(by_file) >= 10 and sum(map(len, by_file.values())) == len(FIXTURES) >= 300
    problems = []
    for feature, plans in sorted(by_file.items()):
        one = tmp_path / Path(feature).stem
        one.mkdir()
        shutil.copy(FEATURES / feature, one)
        count, disagreements, rejected = compare(plans, one)
        assert count == len(plans)
        problems += rejected + [str(d) for d in disagreements]
    assert problems == [], problems[:5]

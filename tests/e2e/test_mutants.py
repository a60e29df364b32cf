"""`tfguard test --mutants`: every guardrail's mutants (each When dropped, its last Then negated) must be
caught by its own fixtures; a surviving mutant names the step no fixture shows the effect of."""

import json
import re
import shutil
from pathlib import Path

import pytest
from helpers import FEATURES, REPO_ROOT, minimal_plan, tfguard
from helpers import resource_change as rc

from runner.guardrails.load import load_guardrails
from runner.guardrails.mutants import mutants_of

FEATURE = """Feature: Database
  @id:DB-900 @severity:medium
  Scenario: PostgreSQL instances export the postgresql log
    Remediation: add "postgresql" to enabled_cloudwatch_logs_exports.
    Given I have aws_db_instance defined
    When its engine is "postgres"
    Then it must contain enabled_cloudwatch_logs_exports
    And its value must contain postgresql
"""


def db(name: str, engine: str, logs: list[str]) -> dict:
    return rc("aws_db_instance", name, {"identifier": name, "engine": engine, "enabled_cloudwatch_logs_exports": logs})


@pytest.fixture
def repo(tmp_path) -> Path:
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "db.feature").write_text(FEATURE)
    folder = tmp_path / "fixtures" / "DB-900"
    for kind in ("pass", "fail"):
        (folder / kind).mkdir(parents=True)
    (folder / "pass" / "exports.json").write_text(json.dumps(minimal_plan([db("orders", "postgres", ["postgresql"])])))
    (folder / "fail" / "missing.json").write_text(json.dumps(minimal_plan([db("orders", "postgres", ["upgrade"])])))
    (folder / "expected.yaml").write_text("fail:\n  missing.json: [aws_db_instance.orders]\n")
    return tmp_path


def run_mutants(repo: Path):
    return tfguard("test", "--mutants", "--features", str(repo / "features"), "--fixtures", str(repo / "fixtures"))


def test_a_filter_that_no_fixture_needs_survives(repo):
    run = run_mutants(repo)
    assert run.code == 1, run.stdout
    assert 'SURVIVED DB-900~m1      dropped `When its engine is "postgres"`: no fixture disagrees' in run.stdout
    assert "2 mutants of 1 guardrails: 1 caught, 1 survived" in run.stdout


def test_a_pass_fixture_that_needs_the_filter_catches_it(repo):
    (repo / "fixtures" / "DB-900" / "pass" / "mysql.json").write_text(
        json.dumps(minimal_plan([db("shop", "mysql", ["error"])])))
    run = run_mutants(repo)
    assert run.code == 0, run.stdout
    assert "2 mutants of 1 guardrails: 2 caught, 0 survived" in run.stdout


def test_a_guardrail_whose_self_test_fails_is_not_mutated(repo):
    shutil.rmtree(repo / "fixtures" / "DB-900" / "fail")
    run = run_mutants(repo)
    assert run.code == 1
    assert "0 mutants of 0 guardrails" in run.stdout


def test_the_last_then_is_negated_when_the_engine_has_the_negation(repo):
    gset = load_guardrails(repo / "features")
    mutants = mutants_of(gset, "DB-900", lambda sentence: True)
    assert [m.change for m in mutants] == ['dropped `When its engine is "postgres"`',
                                           "negated `And its value must contain postgresql`"]
    assert "    And its value must not contain postgresql" in mutants[1].scenario
    assert mutants[1].scenario[0].strip().startswith("@id:DB-900~m2 ")
    # without an engine step for the negation, the step is dropped instead
    dropped = mutants_of(gset, "DB-900", lambda sentence: False)[1]
    assert dropped.change == "dropped `And its value must contain postgresql`"
    assert not any("postgresql" in line for line in dropped.scenario if "Scenario" not in line)


def test_every_mutant_of_the_bundled_library_is_caught():
    """No exemptions: a step whose effect no fixture of the library shows gets the fixture that needs it,
    or goes (docs/adding-a-guardrail.md, step 4)."""
    run = tfguard("test", "--mutants", "--features", str(FEATURES), "--fixtures", str(REPO_ROOT / "tests" / "guardrails"))
    survivors = re.findall(r"^SURVIVED (\S+) ", run.stdout, flags=re.M)
    assert "0 failing" in run.stdout, run.stdout[-3000:]
    assert survivors == [], run.stdout[-3000:]
    assert re.search(r"^\d{3,} mutants of \d{3,} guardrails: (\d+) caught, 0 survived", run.stdout, flags=re.M)
    assert run.code == 0, run.stdout[-3000:]

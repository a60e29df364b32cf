"""The result cache: keyed by plan, guardrail content and engine; corrupt entries never trusted."""

import hashlib
import json

import pytest
from helpers import minimal_plan
from helpers import resource_change as rc

from runner.engine import make_engine
from runner.engine.cache import ResultCache
from runner.engine.evaluation import Target, evaluate
from runner.guardrails.load import load_guardrails
from runner.model import Finding, Guardrail, Result, Status, Workload
from runner.workloads.plan import parse_plan_bytes

FEATURES = """Feature: f
  @id:A-1
  Scenario: buckets encrypted
    Given I have aws_s3_bucket defined
    Then it must contain server_side_encryption_configuration

  @id:A-2
  Scenario: buckets named
    Given I have aws_s3_bucket defined
    Then it must contain bucket
"""


def g(digest="d1") -> Guardrail:
    return Guardrail(id="A-1", title="t", file="f.feature", line=2, digest=digest)


def test_round_trip_and_key_depends_on_plan_and_guardrail(tmp_path):
    cache = ResultCache(tmp_path)
    result = Result("A-1", "w", Status.FAILED, (Finding("A-1", "w", "aws_s3_bucket.b", "msg"),))
    key = cache.key("plan1", g())
    cache.put(key, result)
    got = cache.get(key, g(), "other-workload")
    assert got.status is Status.FAILED and got.findings[0].address == "aws_s3_bucket.b"
    assert got.workload == "other-workload"
    assert key != cache.key("plan2", g()) and key != cache.key("plan1", g("d2"))


def test_errors_are_never_cached(tmp_path):
    cache = ResultCache(tmp_path)
    key = cache.key("p", g())
    cache.put(key, Result("A-1", "w", Status.ERROR, error="boom"))
    assert cache.get(key, g(), "w") is None


def test_corrupt_or_mismatched_entries_are_ignored_and_rewritten(tmp_path):
    cache = ResultCache(tmp_path)
    key = cache.key("p", g())
    path = cache._path(key)
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    assert cache.get(key, g(), "w") is None
    path.write_text(json.dumps({"key": "someone-else", "status": "passed", "messages": [], "findings": []}))
    assert cache.get(key, g(), "w") is None
    assert [f.why for f in cache.failures] == ["it does not parse", "it has no seal"]
    cache.put(key, Result("A-1", "w", Status.PASSED))
    assert cache.get(key, g(), "w").status is Status.PASSED


FAILED = Result("A-1", "w", Status.FAILED, (Finding("A-1", "w", "aws_s3_bucket.b", "no encryption"),))
SECRET = b"0123456789abcdef0123456789abcdef"


def _flip_to_passed(path, reseal: bool = False) -> None:
    """What an attacker with write access to the cache does: failed -> passed, the key kept."""
    doc = json.loads(path.read_text())
    doc.update(status="passed", findings=[])
    if reseal:  # and, knowing the format, recompute the unkeyed seal
        body = {k: v for k, v in doc.items() if k != "seal"}
        text = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
        doc["seal"] = {"kind": "sha256", "value": hashlib.sha256(text).hexdigest()}
    path.write_text(json.dumps(doc))


def test_an_entry_edited_from_failed_to_passed_is_discarded_and_reported(tmp_path):
    cache = ResultCache(tmp_path)
    key = cache.key("p", g())
    cache.put(key, FAILED)
    _flip_to_passed(cache._path(key))
    assert cache.get(key, g(), "w") is None
    assert not cache._path(key).exists()  # discarded: the next put writes the real result
    assert cache.failures[0].why == "its seal does not match its content"
    assert "1 result cache entry failed verification (its seal does not match its content; guardrails A-1)" in (
        cache.warning() or "")


def test_with_a_secret_even_a_resealed_forgery_is_refused(tmp_path):
    cache = ResultCache(tmp_path, secret=SECRET)
    key = cache.key("p", g())
    cache.put(key, FAILED)
    assert cache.get(key, g(), "w").status is Status.FAILED
    assert cache._path(key) != ResultCache(tmp_path)._path(key)  # the file name is keyed too
    _flip_to_passed(cache._path(key), reseal=True)
    assert cache.get(key, g(), "w") is None
    assert cache.failures[0].why == "it is sealed 'sha256', not 'hmac-sha256'"
    cache.put(key, FAILED)
    assert ResultCache(tmp_path, secret=b"another secret, as long as the first").get(key, g(), "w") is None


def test_without_a_secret_a_resealed_forgery_passes_so_enforce_reads_no_entry(tmp_path):
    """The limit of an unkeyed seal, and why enforce without TFGUARD_CACHE_KEY reads nothing."""
    writer = ResultCache(tmp_path)
    key = writer.key("p", g())
    writer.put(key, FAILED)
    _flip_to_passed(writer._path(key), reseal=True)
    assert ResultCache(tmp_path).get(key, g(), "w").status is Status.PASSED  # check/observe: corruption only
    enforce = ResultCache(tmp_path, trust_unkeyed=False)
    assert enforce.get(key, g(), "w") is None and enforce.failures == []
    enforce.put(key, FAILED)
    assert ResultCache(tmp_path).get(key, g(), "w").status is Status.FAILED  # it still writes


def test_a_short_secret_is_refused():
    from runner.engine.cache import secret_from_env
    from runner.errors import UsageError

    assert secret_from_env({}) is None
    assert secret_from_env({"TFGUARD_CACHE_KEY": SECRET.decode()}) == SECRET
    with pytest.raises(UsageError, match="too short"):
        secret_from_env({"TFGUARD_CACHE_KEY": "hunter2"})


class CountingEngine:
    """The real in-process engine, counting which guardrails it was asked to evaluate."""

    def __init__(self):
        self.inner = make_engine("inprocess", 1)
        self.name = "counting"
        self.evaluated: list[str] = []

    def evaluate(self, jobs):
        for job in jobs:
            for f in __import__("pathlib").Path(job.features_dir).rglob("*.feature"):
                self.evaluated += [ln.split("@id:")[1].split()[0] for ln in f.read_text().splitlines()
                                   if "@id:" in ln]
        return self.inner.evaluate(jobs)


def test_after_one_guardrail_changes_only_it_is_evaluated_again(tmp_path):
    features = tmp_path / "features"
    features.mkdir()
    (features / "f.feature").write_text(FEATURES)
    plan = parse_plan_bytes(json.dumps(minimal_plan([rc("aws_s3_bucket", "b", {"bucket": "b"})])).encode(), "p.json")
    cache = ResultCache(tmp_path / "cache")
    target = [Target(Workload("w"), plan)]

    engine = CountingEngine()
    cold = evaluate(load_guardrails(features), target, engine, cache=cache)
    assert sorted(engine.evaluated) == ["A-1", "A-2"]

    engine = CountingEngine()
    warm = evaluate(load_guardrails(features), target, engine, cache=cache)
    assert engine.evaluated == []
    assert [(r.guardrail_id, r.status) for r in warm.results] == [(r.guardrail_id, r.status) for r in cold.results]

    (features / "f.feature").write_text(FEATURES.replace("Then it must contain bucket", "Then it must contain acl"))
    engine = CountingEngine()
    changed = evaluate(load_guardrails(features), target, engine, cache=cache)
    assert engine.evaluated == ["A-2"]
    assert {r.guardrail_id: r.status for r in changed.results} == {"A-1": Status.FAILED, "A-2": Status.FAILED}


def test_concurrent_sweeps_share_one_cache_safely(tmp_path):
    """Two real `tfguard check` processes started together on one empty cache: both correct, and a third
    run afterwards is answered from the cache with the same result."""
    import subprocess
    import sys

    from helpers import REPO_ROOT

    features = tmp_path / "features"
    features.mkdir()
    (features / "f.feature").write_text(FEATURES)
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(minimal_plan([rc("aws_s3_bucket", "b", {"bucket": "b"})])))
    cmd = [sys.executable, "-m", "runner", "check", "--plan", str(plan), "--features", str(features),
           "--format", "json", "--cache-dir", str(tmp_path / "cache")]
    procs = [subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [1, 1], outs
    verdicts = [{r["guardrail"]: r["status"] for r in json.loads(o[0])["results"]} for o in outs]
    assert verdicts[0] == verdicts[1] == {"A-1": "failed", "A-2": "passed"}
    entries = list((tmp_path / "cache").rglob("*.json"))
    assert len(entries) == 2 and not list((tmp_path / "cache").rglob("*.tmp"))
    third = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert {r["guardrail"]: r["status"] for r in json.loads(third.stdout)["results"]} == verdicts[0]

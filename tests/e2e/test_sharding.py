"""Scale-out on CI parallel jobs: `observe --shard K/N` per job, then `merge-results`, gives exactly the
results of one unsharded sweep; and promotion works from the merged results."""

from __future__ import annotations

import json

from helpers import tfguard
from lifecycle import TODAY, WORKLOADS, build

from runner.workflow.sharding import shard_of

ENV = {"TFGUARD_TODAY": TODAY}


def sweep(repo, out: str, *extra: str):
    return tfguard("observe", "--ledger", "none", "--no-fetch", "--report-dir", out, *extra, cwd=repo.work, env=ENV)


def comparable(doc: dict) -> dict:
    doc = dict(doc)
    doc.pop("created")
    return doc


def test_merged_shards_equal_one_unsharded_run(tmp_path):
    repo = build(tmp_path, compliant={"data-pipeline": False})
    repo.add_guardrail_branch()
    assert len({shard_of(w, 3) for w in WORKLOADS}) >= 2  # the slices really split the workloads

    whole = sweep(repo, str(tmp_path / "whole"))
    assert whole.code == 0, whole.stderr
    shards = []
    for k in (1, 2, 3):
        run = sweep(repo, str(tmp_path / f"shard{k}"), "--shard", f"{k}/3")
        assert run.code == 0, run.stderr
        shards.append(str(tmp_path / f"shard{k}" / "results.json"))
    sizes = [len(json.loads(open(s).read())["workloads"]) for s in shards]
    assert sum(sizes) == len(WORKLOADS) and max(sizes) < len(WORKLOADS)

    merged = tfguard("merge-results", *shards, "--report-dir", str(tmp_path / "merged"), cwd=repo.work, env=ENV)
    assert merged.code == 0, merged.stderr
    got = json.loads((tmp_path / "merged" / "results.json").read_text())
    want = json.loads((tmp_path / "whole" / "results.json").read_text())
    assert comparable(got) == comparable(want)
    for name in ("junit.xml", "results.sarif", "summary.md", "dashboard.html"):
        assert (tmp_path / "merged" / name).exists()


def test_shards_of_different_sweeps_are_refused(tmp_path):
    repo = build(tmp_path)
    repo.add_guardrail_branch()
    assert sweep(repo, str(tmp_path / "a"), "--shard", "1/2").code == 0
    repo.git("checkout", "-q", "main")
    assert sweep(repo, str(tmp_path / "b"), "--shard", "2/2").code == 0
    run = tfguard("merge-results", str(tmp_path / "a"), str(tmp_path / "b"), "--report-dir", str(tmp_path / "m"),
                  cwd=repo.work)
    assert run.code == 2
    assert "not shards of one sweep" in run.stderr


def test_bad_shard_argument_is_a_usage_error(tmp_path):
    repo = build(tmp_path)
    run = sweep(repo, str(tmp_path / "x"), "--shard", "4/3")
    assert run.code == 2 and "K/N with 1 <= K <= N" in run.stderr


def test_malformed_results_are_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    for content, problem in (("{not json", "invalid JSON"), ('{"schema_version": "9.0"}', "unsupported results"),
                             ('{"schema_version": "1.0", "guardrails": []}', "missing required key `tool`"),
                             ("[]", "not a tfguard results document")):
        bad.write_text(content)
        run = tfguard("merge-results", str(bad), "--report-dir", str(tmp_path / "out"))
        assert run.code == 2 and problem in run.stderr and "Traceback" not in run.stderr, run.stderr

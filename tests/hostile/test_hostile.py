"""The hostile-input corpus (tests/hostile/hostile_cases.py): every case runs the real `tfguard` console
script on inputs it generates and must exit as its row says, with no traceback, one line naming the file
and the place, its inputs byte-identical, within a generous bound of time and memory.

Cases run two at a time in a thread pool, started once for all the cases pytest selected."""

from __future__ import annotations

import json
import os
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from hostile_cases import by_name
from hostile_harness import Case, Outcome, describe, problems, run

CASES = by_name()
WORKERS = 2


@pytest.fixture(scope="session")
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Futures of every selected case, submitted at the first test so the pool is never idle."""
    selected = [item.callspec.params["name"] for item in request.session.items
                if getattr(item, "callspec", None) and "name" in item.callspec.params
                and item.originalname == "test_hostile_input"]
    base = tmp_path_factory.mktemp("hostile")
    pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="hostile")

    def submit(name: str) -> Future[Outcome]:
        case: Case = CASES[name]
        return pool.submit(run, case, base / name.replace("/", "__"))

    futures = {name: submit(name) for name in selected}
    yield futures
    pool.shutdown(wait=False, cancel_futures=True)
    if os.environ.get("TFGUARD_HOSTILE_REPORT"):  # a table of every outcome, for the record
        _write_report(Path(os.environ["TFGUARD_HOSTILE_REPORT"]), futures)


def _write_report(path: Path, futures: dict[str, Future[Outcome]]) -> None:
    rows = []
    for name, future in sorted(futures.items()):
        if not future.done() or future.exception():
            continue
        got = future.result()
        rows.append({"case": name, "owner": CASES[name].owner, "code": got.code, "seconds": round(got.seconds, 2),
                     "max_rss_mib": got.max_rss_kib // 1024, "problems": problems(CASES[name], got),
                     "stderr_tail": got.stderr.strip().splitlines()[-1:] if got.stderr.strip() else []})
    path.write_text(json.dumps(rows, indent=1) + "\n")


def test_corpus_size():
    assert len(CASES) >= 300, len(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input(name: str, corpus: dict[str, Future[Outcome]]):
    case = CASES[name]
    got = corpus[name].result()
    bad = problems(case, got)
    assert not bad, f"{name}: {'; '.join(bad)}\n  {describe(got)}\n  stderr: {got.stderr[-1500:]}\n  stdout: {got.stdout[-800:]}"

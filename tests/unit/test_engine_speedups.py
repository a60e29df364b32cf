"""runner.engine.speedups: docopt with a cached usage pattern gives what docopt gives, for radish's own
usage text; the cache file is reused and a corrupt one is ignored."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docopt
import pytest

from runner.engine import speedups

# radish builds its usage text inside main(); read it in a child process so that this one stays clean
CAPTURE = """
import contextlib, io, json, sys
with contextlib.redirect_stdout(io.StringIO()):
    import radish.main, terraform_compliance.main
def capture(doc, *a, **k):
    sys.stdout.write(json.dumps(doc)); sys.stdout.flush(); raise SystemExit(0)
radish.main.docopt = capture
radish.main.main(args=["x"])
"""

ARGVS = [
    ["/tmp/features", "--basedir", "/steps", "--user-data=plan_file=/tmp/p.json", "--user-data=exit_on_failure=False",
     "--write-steps-once"],
    ["/tmp/features", "-b", "/steps", "--tags=@x", "--no-ansi"],
    ["show", "/tmp/features", "--expand"],
]


@pytest.fixture(scope="module")
def radish_usage() -> str:
    out = subprocess.run([sys.executable, "-c", CAPTURE], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


@pytest.fixture(autouse=True)
def _fresh(tmp_path: Path):
    speedups._MEMO.clear()
    speedups._STATE["dir"] = tmp_path / "engine"
    yield
    speedups._MEMO.clear()
    speedups._STATE["dir"] = None


@pytest.mark.parametrize("argv", ARGVS)
def test_same_result_as_docopt(radish_usage: str, argv: list[str]) -> None:
    assert speedups.cached_docopt(radish_usage, argv=argv) == docopt.docopt(radish_usage, argv=argv)


def test_pattern_is_cached_in_a_file_and_reused(radish_usage: str, tmp_path: Path) -> None:
    speedups.cached_docopt(radish_usage, argv=ARGVS[0])
    files = list((tmp_path / "engine").glob("docopt-*.json"))
    assert len(files) == 1
    speedups._MEMO.clear()  # as a new process would start
    for argv in ARGVS:
        assert speedups.cached_docopt(radish_usage, argv=argv) == docopt.docopt(radish_usage, argv=argv)


def test_corrupt_cache_file_is_ignored_and_rewritten(radish_usage: str, tmp_path: Path) -> None:
    speedups.cached_docopt(radish_usage, argv=ARGVS[0])
    (path,) = (tmp_path / "engine").glob("docopt-*.json")
    path.write_text('{"usage": "x", "options": [], "pattern": {"t": "Nope"}}')
    speedups._MEMO.clear()
    assert speedups.cached_docopt(radish_usage, argv=ARGVS[1]) == docopt.docopt(radish_usage, argv=ARGVS[1])
    assert json.loads(path.read_text())["pattern"]["t"] != "Nope"


def test_bad_argv_still_exits_like_docopt(radish_usage: str) -> None:
    with pytest.raises(docopt.DocoptExit):
        speedups.cached_docopt(radish_usage, argv=["--no-such-flag"])

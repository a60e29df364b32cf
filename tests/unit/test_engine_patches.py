"""runner.engine.patches: docopt with a cached usage pattern gives what docopt gives, for radish's own
usage text; the cache file is reused and a corrupt one is ignored."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docopt
import pytest

from runner.engine import patches

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
    patches._MEMO.clear()
    patches._STATE["dir"] = tmp_path / "engine"
    yield
    patches._MEMO.clear()
    patches._STATE["dir"] = None


@pytest.mark.parametrize("argv", ARGVS)
def test_same_result_as_docopt(radish_usage: str, argv: list[str]) -> None:
    assert patches.cached_docopt(radish_usage, argv=argv) == docopt.docopt(radish_usage, argv=argv)


def test_pattern_is_cached_in_a_file_and_reused(radish_usage: str, tmp_path: Path) -> None:
    patches.cached_docopt(radish_usage, argv=ARGVS[0])
    files = list((tmp_path / "engine").glob("docopt-*.json"))
    assert len(files) == 1
    patches._MEMO.clear()  # as a new process would start
    for argv in ARGVS:
        assert patches.cached_docopt(radish_usage, argv=argv) == docopt.docopt(radish_usage, argv=argv)


def test_corrupt_cache_file_is_ignored_and_rewritten(radish_usage: str, tmp_path: Path) -> None:
    patches.cached_docopt(radish_usage, argv=ARGVS[0])
    (path,) = (tmp_path / "engine").glob("docopt-*.json")
    path.write_text('{"usage": "x", "options": [], "pattern": {"t": "Nope"}}')
    patches._MEMO.clear()
    assert patches.cached_docopt(radish_usage, argv=ARGVS[1]) == docopt.docopt(radish_usage, argv=ARGVS[1])
    assert json.loads(path.read_text())["pattern"]["t"] != "Nope"


def test_bad_argv_still_exits_like_docopt(radish_usage: str) -> None:
    with pytest.raises(docopt.DocoptExit):
        patches.cached_docopt(radish_usage, argv=["--no-such-flag"])


# --- compatibility of the patched targets ------------------------------------------------------------


def test_every_patched_target_fits_the_pinned_engine() -> None:
    assert patches.check_compatible() == []


def test_a_missing_target_or_parameter_is_named() -> None:
    problems = patches.check_compatible((
        ("radish.main", "no_such_function", None),
        ("radish.main", "main", ("args", "no_such_parameter")),
        ("no_such_module_for_tfguard", "x", None),
    ))
    assert problems[0].startswith("radish.main.no_such_function is missing")
    assert problems[1] == "radish.main.main lacks parameter(s) no_such_parameter"
    assert problems[2].startswith("no_such_module_for_tfguard.x is missing")


# The child process breaks one patched target before the engine warms, then runs `tfguard check`: the
# verdict must still come (from the cli engine), with one warning saying why.
FALLBACK = """
import sys
import radish.main
del radish.main.run_features
from runner.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_mismatch_falls_back_to_the_cli_engine_with_one_warning(tmp_path: Path) -> None:
    from helpers import REPO_ROOT, minimal_plan, resource_change, write_plan

    plan = write_plan(tmp_path / "plan.json", minimal_plan([resource_change("aws_s3_bucket", "logs", {"bucket": "logs"})]))
    proc = subprocess.run([sys.executable, "-c", FALLBACK, "check", "--plan", str(plan), "--only", "S3-001",
                           "--features", str(REPO_ROOT / "features"), "--no-cache"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr  # the bucket has no encryption: a violation
    text = proc.stdout + proc.stderr
    assert text.count("radish.main.run_features is missing") == 1
    assert "cli engine" in text
    assert "aws_s3_bucket.logs" in text


def test_fast_jsonify_gives_what_jsonify_gives() -> None:
    import random

    from terraform_compliance.common.helper import recursive_jsonify

    original = patches._ORIGINAL_JSONIFY.get("f")
    if original is None:
        from terraform_compliance.common.helper import jsonify as original
    samples = ["", " ", "tenant-a", "true", " true", "truex", "false", "null", "nullable", "NaN", "Infinity",
               "-Infinity", "123", "-1.5e3", "01", '{"a": [1, "x"]}', ' [1, 2]', "[1, 2", '"quoted"', "aws:kms",
               "{not json}", "\t{\"k\": null}\n", "0.0.0.0/0", "2026-12-04", "t", "f", "n", "-", "{}", "[]"]
    rng = random.Random(4)
    alphabet = ' \t\n{}[]"-0123456789tfnNIaex:,.e+'
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 12))) for _ in range(3000)]
    for text in samples:
        assert patches.fast_jsonify(text) == original(text) or (text.strip() == "NaN"), repr(text)
    for value in (None, 3, 2.5, [1], {"a": 1}):
        assert patches.fast_jsonify(value) is value
    nested = {"a": ['{"b": "1"}', "plain"], "c": "42"}
    assert recursive_jsonify(nested) == {"a": [{"b": 1}, "plain"], "c": 42}


def test_a_cached_step_parser_matches_as_a_fresh_one_does() -> None:
    """Every step sentence of features/ against every registered pattern: the reused parser finds the same
    matches with the same arguments as a parser compiled afresh, however often it is reused."""
    from parse_type.cfparse import Parser
    from radish.customtyperegistry import CustomTypeRegistry

    from runner.engine.steps import engine_steps
    from runner.guardrails.load import _parse_file, load_guardrails

    types = CustomTypeRegistry().custom_types
    patterns = [p for p in engine_steps() if isinstance(p, str)]
    gset = load_guardrails(Path(__file__).parents[2] / "features")
    sentences = sorted({step for ff in gset.files for sc in _parse_file(ff.path, ff.relpath)[0].scenarios
                        for step in sc.steps if not step.startswith("|")})
    assert len(patterns) > 20 and len(sentences) > 50
    compared = 0
    for _ in range(2):
        for pattern in patterns:
            cached, fresh = patches.cached_parser(pattern, types), Parser(pattern, types)
            for sentence in sentences:
                a, b = cached.search(sentence), fresh.search(sentence)
                assert (a is None) == (b is None), (pattern, sentence)
                if a is not None:
                    assert (a.fixed, a.named, a.spans) == (b.fixed, b.named, b.spans)
                    compared += 1
    assert compared > 0
    assert patches.cached_parser(patterns[0], types) is patches.cached_parser(patterns[0], types)

"""runner.readers: bounded reads, UTF-8 with places, strict JSON within limits, schema violations as
JSON pointers; and the plan schema against every plan the repository holds."""

from __future__ import annotations

import json
import os
import random
import threading
from pathlib import Path

import pytest

from runner.errors import ConfigError, PlanError
from runner.limits import DEFAULT, Limits, from_config, parse_size, with_plan_size
from runner.readers import decode_utf8, depth, load_json, loads, pointer, read_bytes
from runner.workloads.plan import check_plan, load_plan

REPO = Path(__file__).resolve().parents[2]


def _error(fn, *args, **kwargs) -> str:
    with pytest.raises(ConfigError) as info:
        fn(*args, **kwargs)
    return info.value.line()


# --- files ----------------------------------------------------------------------------------------------


def test_read_bytes_names_what_is_not_a_readable_file(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    os.symlink("nowhere", tmp_path / "dangling")
    os.symlink("loop-b", tmp_path / "loop-a")
    os.symlink("loop-a", tmp_path / "loop-b")
    assert _error(read_bytes, tmp_path / "missing", 10).endswith("missing: no such file")
    assert _error(read_bytes, tmp_path / "dir", 10).endswith("dir: is a directory, not a file")
    assert "is a symbolic link to a missing file" in _error(read_bytes, tmp_path / "dangling", 10)
    assert "is a symbolic link loop" in _error(read_bytes, tmp_path / "loop-a", 10)
    assert "is not a regular file" in _error(read_bytes, "/dev/zero", 10)


def test_read_bytes_refuses_past_the_limit_and_says_how_to_raise_it(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:
        fh.truncate(600 * 1024 * 1024)  # sparse: no disk, and never read
    with pytest.raises(PlanError) as info:
        read_bytes(big, DEFAULT.plan_size, error=PlanError, hint=DEFAULT.hint("plan_size", "--max-plan-size"))
    assert "is 600 MiB, larger than the limit of 512 MiB" in info.value.line()
    assert "--max-plan-size or limits.plan_size in tfguard.yaml" in info.value.line()


def test_a_pipe_is_read_but_only_up_to_the_limit(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def write(size: int) -> None:
        with open(fifo, "wb") as fh:
            try:
                fh.write(b"x" * size)
            except BrokenPipeError:
                pass

    for size, ok in ((100, True), (5000, False)):
        writer = threading.Thread(target=write, args=(size,))
        writer.start()
        try:
            if ok:
                assert read_bytes(fifo, 1000) == b"x" * 100
            else:
                assert "larger than the limit of 1000 bytes" in _error(read_bytes, fifo, 1000)
        finally:
            writer.join(timeout=10)


def test_decode_names_the_encoding_or_the_bad_byte() -> None:
    assert decode_utf8(b"\xef\xbb\xbf{}", "f") == "{}"
    assert "is UTF-16 text" in _error(decode_utf8, "{}".encode("utf-16"), "f")
    assert "is binary data" in _error(decode_utf8, b"\x00\xff\xfe", "f")
    assert _error(decode_utf8, b'{\n  "a": "caf\xe9"\n}', "f") == "f: is not UTF-8 text: byte 0xe9 at line 2 column 12"
    assert _error(decode_utf8, b"a: 1\nb: \xff\n", "f.yaml", by_line=True) == "f.yaml:2: is not UTF-8 text (byte 0xff at column 4)"


# --- JSON --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ("", "f: is empty"),
    ('{"a": [1, 2', "f: truncated JSON"),
    ('{"a": 1} tail', "f: invalid JSON: Extra data at line 1 column 10"),
    ('{\n "a": NaN}', "f: NaN is not JSON (RFC 8259 has no NaN or Infinity) at line 2 column 7"),
    ('{"s": "NaN", "a": -Infinity}', "f: -Infinity is not JSON (RFC 8259 has no NaN or Infinity) at line 1 column 19"),
    ('{"a": 1, "b": {"c": [{"d": 1, "d": 2}]}}', 'f: /b/c/0: duplicate key "d"'),
    ('{"a": 1, "a": 2}', 'f: top level: duplicate key "a"'),
    ('{"a/b": {"x": 1, "x": 1}}', 'f: /a~1b: duplicate key "x"'),
    ('{"n": ' + "9" * 1001 + "}", "f: has an integer of more than 1000 digits at line 1 column 7"),
    ('{"s": "' + "9" * 5000 + '", "n": -' + "9" * 1001 + "}", "f: has an integer of more than 1000 digits at line 1 column 5016"),
    ("[" * 101 + "]" * 101, "f: is nested deeper than 100 levels"),
    ("[" * 10000 + "]" * 10000, "f: is nested deeper than 100 levels"),
])
def test_strict_json_refuses_with_the_place(text: str, message: str) -> None:
    assert _error(loads, text, "f").startswith(message)


def test_what_the_limits_allow_is_read() -> None:
    assert _reference_depth(loads("[" * 100 + "]" * 100, "f")) == 100
    assert loads('{"n": ' + "9" * 1000 + "}", "f")["n"] == int("9" * 1000)
    assert loads('{"f": 1.5e3, "s": "[[[[\\"]]"}', "f") == {"f": 1500.0, "s": '[[[["]]'}
    loose = Limits(json_depth=5, integer_digits=3)
    assert "deeper than 5" in _error(loads, "[[[[[[1]]]]]]", "f", loose)
    assert "more than 3 digits" in _error(loads, "[1234]", "f", loose)


def test_a_wrapper_line_before_the_json_is_accepted_only_when_asked() -> None:
    text = "[command]/usr/bin/terraform show -json plan\n" + '{"a": 1}'
    assert loads(text, "f", lenient_prefix=True) == {"a": 1}
    assert "invalid JSON" in _error(loads, text, "f")


def _reference_depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max((_reference_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_reference_depth(v) for v in value), default=0)
    return 0


def _random_doc(rng: random.Random, level: int = 0) -> object:
    kind = rng.random()
    if level > 12 or kind < 0.3:
        return rng.choice([1, "a[b", 'q"{', "\\]", None, True, "x\\\\"])
    if kind < 0.65:
        return [_random_doc(rng, level + 1) for _ in range(rng.randrange(0, 4))]
    return {f"k{i}[": _random_doc(rng, level + 1) for i in range(rng.randrange(0, 4))}


def test_depth_without_parsing_agrees_with_the_parsed_document() -> None:
    """Brackets inside strings, escaped quotes and escaped backslashes never count."""
    rng = random.Random(15)
    for _ in range(300):
        doc = _random_doc(rng)
        raw = json.dumps(doc, indent=rng.choice([None, 1])).encode()
        assert depth(raw, 100) == _reference_depth(doc), raw


def test_pointer_escapes_per_rfc_6901() -> None:
    assert pointer(["a/b", "c~d", 3]) == "/a~1b/c~0d/3"
    assert pointer([]) == "top level"


def test_load_json_is_bounded_by_json_size(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text('{"a": "' + "x" * 2000 + '"}')
    assert "larger than the limit of 1 KiB" in _error(load_json, path, Limits(json_size=1024))
    assert load_json(path)["a"] == "x" * 2000


# --- limits ---------------------------------------------------------------------------------------------


def test_sizes_and_the_limits_section() -> None:
    assert parse_size("512MiB") == 512 * 2**20 and parse_size("4 KiB") == 4096 and parse_size("1G") == 2**30
    assert parse_size("2048") == 2048
    limits = from_config({"plan_size": "1GiB", "json_depth": 50})
    assert (limits.plan_size, limits.json_depth, limits.origin) == (2**30, 50, "tfguard.yaml")
    assert with_plan_size(limits, "8MiB").plan_size == 8 * 2**20
    for bad in ({"plan_size": "huge"}, {"json_depth": 0}, {"nope": 1}):
        with pytest.raises(ConfigError):
            from_config(bad)


# --- the plan schema ---------------------------------------------------------------------------------


def _plans() -> list[Path]:
    found = []
    for path in sorted([*REPO.glob("tests/**/*.json"), *REPO.glob("examples/**/*.json")]):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(doc, dict) and "format_version" in doc and "terraform_version" in doc:
            found.append(path)
    return found


def test_every_plan_of_the_repository_passes_the_plan_schema() -> None:
    """The schema describes real plans: the fixtures (format 0.1 to 1.2, plans and states) all pass."""
    plans = _plans()
    assert len(plans) > 100
    refused = []
    for path in plans:
        try:
            check_plan(json.loads(path.read_text(encoding="utf-8")), str(path))
        except PlanError as exc:
            refused.append(exc.line())
    assert refused == []


@pytest.mark.parametrize(("edit", "message"), [
    (lambda d: d["resource_changes"].__setitem__(0, {**d["resource_changes"][0], "change": "create"}),
     "/resource_changes/0/change: expected an object, got a string"),
    (lambda d: d.__setitem__("format_version", "2.0"),
     "/format_version: unsupported plan format version (tfguard reads 0.1 to 1.x), got \"2.0\""),
    (lambda d: d.__setitem__("format_version", 1.2), "/format_version: expected a string, got a number"),
    (lambda d: d["resource_changes"][0].__setitem__("mode", "bogus"),
     '/resource_changes/0/mode: expected one of "managed", "data", got "bogus"'),
    (lambda d: d["resource_changes"][0].pop("address"), "/resource_changes/0: missing required key `address`"),
    (lambda d: d["resource_changes"][0]["change"].__setitem__("after", [1]),
     "/resource_changes/0/change/after: expected an object or null, got an array"),
    (lambda d: d.__setitem__("output_changes", []), "/output_changes: expected an object, got an array"),
])
def test_a_wrong_plan_is_refused_with_its_json_pointer(tmp_path: Path, edit, message: str) -> None:
    doc = json.loads((REPO / "examples" / "web-service" / "plan.json").read_text(encoding="utf-8"))
    edit(doc)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(PlanError) as info:
        load_plan(path)
    assert info.value.line() == f"{path}: {message}"

"""runner.yamlload: the one bounded loader of registry files. An alias bomb, deep nesting, a huge file,
a key given twice or a control character is one ConfigError naming file:line, in bounded time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from runner.errors import ConfigError
from runner.limits import Limits
from runner.yamlload import load_text, load_yaml, load_yaml_text


def bomb(levels: int = 9) -> str:
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def _error(text: str, limits: Limits | None = None, **kwargs: object) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_yaml_text(text, "r.yaml", limits or Limits(), **kwargs)  # type: ignore[arg-type]
    return info.value


def test_a_billion_laughs_is_refused_at_the_anchor_that_blows_up_and_quickly() -> None:
    started = time.monotonic()
    err = _error(bomb())
    assert time.monotonic() - started < 2
    # lol5 is the first anchor whose expansion alone passes 100,000 nodes (9**5 * 10 ≈ 590,000): line 6
    assert err.where == "r.yaml:6" and "more than 100000 YAML nodes once its aliases are expanded" in err.message
    assert "limits.yaml_nodes" in (err.hint or "")


def test_a_few_aliases_are_plain_yaml_and_load() -> None:
    doc = load_yaml_text("owners: &o [a@example.com]\nbackup: *o\n", "r.yaml")
    assert doc.data == {"owners": ["a@example.com"], "backup": ["a@example.com"]}


@pytest.mark.parametrize(("text", "where", "message"), [
    ("x: " + "[" * 10000 + "1" + "]" * 10000 + "\n", "r.yaml:1", "is nested deeper than 64 levels"),
    ("a: 1\na: 2\n", "r.yaml:2", "key `a` appears twice in one mapping"),
    ("a: 1\n---\nb: 2\n", "r.yaml:2", "invalid YAML"),
    ("a: 1\nb: x\x00y\n", "r.yaml:2", "invalid YAML: a NUL byte is not allowed in YAML text"),
    ("a: !!python/object:os.system ls\n", "r.yaml:1", "invalid YAML"),
    ("n: " + "9" * 1001 + "\n", "r.yaml:1", "has an integer of more than 1000 digits"),
    ("a:\n\tb: 1\n", "r.yaml:2", "invalid YAML"),
])
def test_each_refusal_names_the_line(text: str, where: str, message: str) -> None:
    err = _error(text)
    assert err.where == where and message in err.message, err.line()
    assert "\n" not in err.line()


def test_dates_stay_text_when_asked_so_that_a_bad_date_is_a_problem_not_a_crash() -> None:
    assert load_yaml_text("d: 2026-02-28\n", "r.yaml").data["d"].isoformat() == "2026-02-28"
    assert load_yaml_text("d: 2026-02-30\n", "r.yaml", dates_as_text=True).data == {"d": "2026-02-30"}


def test_the_file_is_bounded_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: 1\n# " + "x" * 4096 + "\n")
    with pytest.raises(ConfigError) as info:
        load_yaml(path, "big.yaml", Limits(yaml_size=1024))
    assert info.value.where == "big.yaml" and "larger than the limit of 1 KiB" in info.value.message
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(ConfigError) as info:
        load_yaml(bad, "bad.yaml")
    assert info.value.where == "bad.yaml:2" and "not UTF-8" in info.value.message


def test_load_text_hands_a_round_trip_editor_only_what_the_loader_accepted(tmp_path: Path) -> None:
    good, evil = tmp_path / "good.yaml", tmp_path / "evil.yaml"
    good.write_text("# kept\nworkload: web\nexclusions: []\n")
    evil.write_text(bomb())
    assert load_text(good) == good.read_text()
    with pytest.raises(ConfigError, match="YAML nodes"):
        load_text(evil)

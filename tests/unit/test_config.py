"""tfguard.yaml is validated as a whole against its JSON Schema before any value is read."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO_ROOT

from runner.config import load_config
from runner.errors import ConfigError


def write(root: Path, text: str) -> Path:
    (root / "tfguard.yaml").write_text(text)
    return root


@pytest.mark.parametrize(("text", "where", "words"), [
    ("exclusions:\n  approvers: e\n", ":2", "key `exclusions.approvers`: must be a list, not the string 'e'"),
    ("exclusions:\n  approvers: [a@x.org]\n  warning_days: -5\n", ":3",
     "key `exclusions.warning_days`: -5 is less than the minimum of 0"),
    ("exclusions:\n  max_lifetime_days: 0\n", ":2", "key `exclusions.max_lifetime_days`: 0 is less than"),
    ("exclusions:\n  max_lifetime_days: ninety\n", ":2", 'must be a whole number, not "ninety"'),
    ("exclusions:\n  approvers: [a@x.org, 7]\n", ":2", "key `exclusions.approvers[1]`: must be a string"),
    ("exclusions:\n  aprovers: [a@x.org]\n", ":2", "key `exclusions.aprovers`: unknown key `aprovers` (did you mean `approvers`?)"),
    ("observation:\n  reminder_days: [7, -1]\n", ":2", "key `observation.reminder_days[1]`"),
    ("observation:\n  auto_activate_after_deadline: maybe\n", ":2", "must be true or false"),
    ("notify:\n  attempts: 0\n", ":2", "key `notify.attempts`"),
    ("exclusions: [1, 2]\n", ":1", "key `exclusions`: must be a mapping"),
    ("exclusions:\n  approvers: [a@x.org]\n  approvers: [e]\n", ":3", "key `exclusions.approvers` is given twice"),
    ("- a\n- b\n", ":1", "must be a mapping of settings"),
    ("exclusions: {approvers: [a\n", ":", "invalid YAML"),
])
def test_invalid_settings_name_file_line_and_key(tmp_path, text, where, words):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))
    assert err.value.where.startswith(str(tmp_path / "tfguard.yaml") + where)
    assert words in err.value.message


def test_a_token_written_where_its_variable_name_belongs_is_not_repeated(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, "forge:\n  github:\n    token_env: ghp_0123456789abcdef-secret\n"))
    assert "key `forge.github.token_env`" in err.value.message
    assert "ghp_0123456789abcdef" not in err.value.line()


def test_every_problem_is_counted_and_the_first_by_line_reported(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, "exclusions:\n  approvers: e\n  warning_days: -5\n"))
    assert err.value.where.endswith(":2") and "(and 1 more problem)" in err.value.message


def test_valid_settings_are_read_as_typed_values(tmp_path):
    config = load_config(write(tmp_path, "exclusions:\n  approvers: [a@x.org, b@x.org]\n  warning_days: 0\n"
                                         "observation:\n  mainline: trunk\n  reminder_days: [3]\n"))
    assert config.exclusions.approvers == ("a@x.org", "b@x.org")
    assert config.exclusions.warning_days == 0 and config.exclusions.max_lifetime_days == 90
    assert config.observation.mainline == "trunk" and config.observation.reminder_days == (3,)


def test_the_repository_own_settings_and_an_empty_file_are_valid(tmp_path):
    assert load_config(REPO_ROOT).exclusions.approvers == ("alice.sec@example.com", "bob.sec@example.com")
    assert load_config(write(tmp_path, "# nothing set\n")).exclusions.approvers == ()

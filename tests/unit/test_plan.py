import json
import stat
from pathlib import Path

import pytest
from helpers import minimal_plan
from helpers import resource_change as rc

from runner.errors import PlanError
from runner.workloads.plan import SENSITIVE, collect_sensitive_values, load_plan, redact


def write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    p = tmp_path / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode())
    return p


def a_plan() -> dict:
    return minimal_plan([rc("aws_s3_bucket", "b", {"bucket": "b", "tags": {"owner": "x"}}),
                         rc("aws_instance", "web", {"instance_type": "t3.micro"}, index=0, module="module.app")])


@pytest.mark.parametrize("name,content,problem", [
    ("empty.json", b"", "plan file is empty"),
    ("blank.json", b"  \n\n", "plan file is empty"),
    ("truncated.json", b'{"format_version": "1.2", "planned_values": {', "truncated JSON"),
    ("text.json", b"this is not json", "invalid JSON"),
    ("binary.bin", bytes(range(256)) * 4, "is binary data"),
    ("array.json", b"[1, 2]", "top level: expected an object, got an array"),
    ("other.json", b'{"hello": "world"}', "no format_version or terraform_version"),
    ("noplanned.json", b'{"format_version": "1.2", "terraform_version": "1.6.6"}', "missing required key `planned_values`"),
])
def test_bad_plan_inputs_give_one_clear_line(tmp_path, name, content, problem):
    path = write(tmp_path, name, content)
    with pytest.raises(PlanError) as info:
        load_plan(path)
    line = info.value.line()
    assert problem in line
    assert str(path) in line
    assert "\n" not in line


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(PlanError, match="no such plan file"):
        load_plan(tmp_path / "nope.json")
    with pytest.raises(PlanError, match="is a directory"):
        load_plan(tmp_path)


def test_pretty_printed_plan_is_accepted_and_never_modified(tmp_path):
    path = write(tmp_path, "plan.json", json.dumps(a_plan(), indent=2))
    before = path.read_bytes(), path.stat().st_mtime_ns
    plan = load_plan(path)
    copy = Path(plan.write_engine_copy(tmp_path / "."))
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert len(copy.read_text().splitlines()) == 1
    assert json.loads(copy.read_text()) == json.loads(path.read_text())
    assert plan.addresses == {"aws_s3_bucket.b", "module.app.aws_instance.web[0]"}


def test_engine_copy_keeps_float_like_strings_and_escaped_newlines(tmp_path):
    data = a_plan()
    data["resource_changes"][0]["change"]["after"]["policy"] = '{\n  "Version": "2012-10-17"\n}'
    text = json.dumps(data, indent=2).replace('"1.2"', '"1.2"').replace('"t3.micro"', '"t3.micro", "x": 1.30')
    path = write(tmp_path, "plan.json", text)
    plan = load_plan(path)
    copy = plan.engine_text()
    assert "\n" not in copy and "1.30" in copy
    assert json.loads(copy)["resource_changes"][0]["change"]["after"]["policy"].count("\n") == 2


def test_setup_terraform_wrapper_output_is_accepted(tmp_path):
    text = "[command]/usr/bin/terraform show -json tfplan\n" + json.dumps(a_plan()) + "\n"
    assert load_plan(write(tmp_path, "wrapped.json", text)).format_version == "1.2"


def test_binary_plan_without_terraform_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    path = write(tmp_path, "tfplan", b"PK\x03\x04rest-of-a-zip")
    with pytest.raises(PlanError, match="binary Terraform plan and no terraform binary was found"):
        load_plan(path)


def test_binary_plan_is_converted_with_the_given_terraform(tmp_path):
    """A stand-in `terraform` script (no providers can be installed to make a real binary plan of AWS
    resources here) checks the converter's contract: `show -json -no-color PLAN` in the plan's directory."""
    fake = tmp_path / "terraform"
    out = json.dumps(a_plan())
    fake.write_text(f"#!/bin/sh\n[ \"$1 $2 $3\" = 'show -json -no-color' ] || exit 9\necho '{out}'\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    path = write(tmp_path, "tfplan", b"PK\x03\x04zip")
    assert load_plan(path, terraform=str(fake)).addresses == {"aws_s3_bucket.b", "module.app.aws_instance.web[0]"}
    fake.write_text("#!/bin/sh\necho 'Error: Failed to read the given file as a state or plan file' >&2\nexit 1\n")
    with pytest.raises(PlanError, match="terraform show -json` failed: Error: Failed to read"):
        load_plan(path, terraform=str(fake))


def test_sensitive_values_from_every_place_a_plan_marks_them():
    data = minimal_plan(
        [rc("aws_db_instance", "db", {"password": "db-Pass-123", "tags": {"k": "v"}, "nested": [{"a": "n-secret"}]},
            after_sensitive={"password": True, "nested": [{"a": True}]})],
        variables={"api_key": {"value": "var-secret-1"}},
        config_variables={"api_key": {"sensitive": True}},
    )
    data["planned_values"]["outputs"] = {"conn": {"sensitive": True, "value": "out-secret"}, "x": {"value": "public"}}
    data["prior_state"] = {"values": {"root_module": {"resources": [
        {"address": "aws_x.y", "values": {"token": "old-token"}, "sensitive_values": {"token": True}}]}}}
    data["resource_changes"][0]["change"]["before"] = {"password": "before-pw"}
    data["resource_changes"][0]["change"]["before_sensitive"] = {"password": True}
    found = collect_sensitive_values(data)
    assert {"db-Pass-123", "n-secret", "var-secret-1", "out-secret", "old-token", "before-pw"} <= found
    assert "public" not in found and "v" not in found


def test_redact_replaces_plain_and_json_escaped_forms():
    text = 'password is "a\\"b-secret" and a"b-secret here'
    assert redact(text, {'a"b-secret'}) == f'password is "{SENSITIVE}" and {SENSITIVE} here'


def test_engine_copies_of_one_plan_written_at_once_from_threads(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    plan = load_plan(write(tmp_path, "plan.json", json.dumps(a_plan(), indent=2)))
    out = tmp_path / "copies"
    out.mkdir()
    with ThreadPoolExecutor(8) as pool:
        paths = set(pool.map(lambda _: plan.write_engine_copy(out), range(64)))
    assert len(paths) == 1 and json.loads(Path(paths.pop()).read_text()) == a_plan()
    assert [p.name for p in out.iterdir()] == [f"plan-{plan.digest[:16]}.json"]


def test_sensitive_values_are_collected_by_position_in_every_spelling_the_engine_prints() -> None:
    """A map sensitive as a whole hides its keys; a number hides the engine's spelling of it too; a string
    holding JSON hides its parts (the engine reads such strings as JSON)."""
    from runner.workloads.plan import collect_sensitive_values, redact, redact_address, spellings

    data = {"resource_changes": [{"change": {
        "after": {"labels": {"rotation-owner-x9q": "team-payments"}, "ratio": "2.7182818284590450",
                  "doc": '{"Statement": [{"Sid": "AllowOps"}]}', "name": "public"},
        "after_sensitive": {"labels": True, "ratio": True, "doc": True}}}]}
    secrets = collect_sensitive_values(data)
    assert {"rotation-owner-x9q", "team-payments", "2.7182818284590450", "2.718281828459045", "AllowOps"} <= secrets
    assert "public" not in secrets and "Statement" in secrets
    assert redact("set to {'rotation-owner-x9q': 'x'} and 2.718281828459045", secrets) == \
        "set to {'(sensitive)': 'x'} and (sensitive)"
    assert spellings("10.50") >= {"10.50", "10.5"} and spellings("7") == {"7"}
    assert redact_address('module.m["eu"].aws_x.by_key["team-payments"]', secrets) == \
        'module.m["eu"].aws_x.by_key["(sensitive)"]'
    assert redact_address("aws_x.y[0]", secrets) == "aws_x.y[0]"

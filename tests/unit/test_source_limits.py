"""plan-from-source is bounded: hostile source stops with one clear line and exit 2, in bounded time and
memory, and `-o` never overwrites an input or a directory (nothing is written when refused)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import tfguard

from runner.source import render_plan
from runner.source.limits import MAX_FILE_BYTES, MAX_HCL_DEPTH, MAX_INSTANCES, SourceLimitError


def src(tmp_path: Path, text: str) -> Path:
    (tmp_path / "main.tf").write_text(text)
    return tmp_path


@pytest.mark.parametrize(
    "text, expected",
    [
        ("locals {\n  a = " + "[" * 3000 + "]" * 3000 + "\n}\n", f"HCL nests deeper than {MAX_HCL_DEPTH} levels"),
        ("a " + "{\n b " * 3000 + "}" * 3000 + "\n", f"HCL nests deeper than {MAX_HCL_DEPTH} levels"),
        ('resource "null_resource" "r" {\n  count = 1000000000\n}\n', f"more than the static renderer's limit of {MAX_INSTANCES}"),
        ('resource "null_resource" "r" {\n  for_each = toset([for i in range(1000) : "${i}"])\n}\n'
         'module "m" {\n  source = "./m"\n  count  = 20000\n}\n', "20000 instances"),
        ('locals {\n  x = format("%999999999d", 1)\n}\nresource "null_resource" "r" {\n  triggers = { x = local.x }\n}\n',
         "a width of 999999999"),
        ('resource "null_resource" "r" {\n  triggers = { x = file("/dev/zero") }\n}\n', "/dev/zero is not a regular file"),
    ],
)
def test_limits_stop_rendering_with_a_plan_error(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "main.tf").write_text("")
    with pytest.raises(SourceLimitError) as info:
        render_plan(src(tmp_path, text))
    assert expected in info.value.line()


def test_huge_files_are_refused_before_they_are_read(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(SourceLimitError, match="more than the limit"):
        render_plan(src(tmp_path, 'resource "null_resource" "r" {\n  triggers = { x = file("big.txt") }\n}\n'))
    (tmp_path / "main.tf").unlink()
    big.rename(tmp_path / "huge.tf")
    with pytest.raises(SourceLimitError, match="huge.tf"):
        render_plan(tmp_path)


def test_the_cli_gives_one_line_and_exit_2(tmp_path: Path) -> None:
    src(tmp_path, "locals {\n  a = " + "(" * 3000 + "1" + ")" * 3000 + "\n}\n")
    run = tfguard("plan-from-source", str(tmp_path), "-o", str(tmp_path.parent / "out.json"))
    assert run.code == 2 and "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines() == [f"tfguard: error: {tmp_path / 'main.tf'}:2: HCL nests deeper than {MAX_HCL_DEPTH} levels"]
    assert not (tmp_path.parent / "out.json").exists()


@pytest.mark.parametrize("target", ["DIR", "DIR/main.tf", "DIR/new.tf", "DIR/prod.tfvars", "DIR/policy.json.tpl"])
def test_output_paths_that_would_clobber_inputs_are_refused(tmp_path: Path, target: str) -> None:
    source = tmp_path / "infra"
    source.mkdir()
    main = 'resource "null_resource" "r" {\n  triggers = { p = templatefile("${path.module}/policy.json.tpl", {}) }\n}\n'
    (source / "main.tf").write_text(main)
    (source / "policy.json.tpl").write_text("{}")
    (source / "prod.tfvars").write_text("")
    before = {p.name: p.read_bytes() for p in source.iterdir()}
    path = target.replace("DIR", str(source))
    run = tfguard("plan-from-source", str(source), "-var-file", str(source / "prod.tfvars"), "-o", path)
    assert run.code == 2, run.stderr
    assert run.stderr.startswith("tfguard: error: -o ") and len(run.stderr.strip().splitlines()) == 1
    assert {p.name: p.read_bytes() for p in source.iterdir()} == before  # nothing written, nothing added


def test_a_plan_file_next_to_the_source_is_fine(tmp_path: Path) -> None:
    src(tmp_path, 'resource "null_resource" "r" {}\n')
    run = tfguard("plan-from-source", str(tmp_path), "-o", str(tmp_path / "plan.json"))
    assert run.code == 0, run.stderr

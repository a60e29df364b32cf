"""runner.outputs: an output path is checked before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from runner.errors import UsageError
from runner.outputs import check_output_file, check_report_dir


def _refused(fn, *args) -> str:
    with pytest.raises(UsageError) as info:
        fn(*args)
    return info.value.line()


def test_an_output_file_is_not_a_directory_not_under_a_file_and_not_an_input(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    (tmp_path / "file").write_text("x")
    source = tmp_path / "results.json"
    source.write_text("{}")
    assert "is a directory (-o names the file to write)" in _refused(check_output_file, tmp_path / "dir", [])
    assert "is a file, not a directory" in _refused(check_output_file, tmp_path / "file" / "out.html", [])
    assert "is one of the inputs" in _refused(check_output_file, source, [source])
    link = tmp_path / "link.json"
    link.symlink_to(source)
    assert "is one of the inputs" in _refused(check_output_file, link, [source])
    check_output_file(tmp_path / "new" / "out.html", [source, None])


def test_a_report_dir_is_a_directory_that_holds_no_input_under_a_report_name(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x")
    out = tmp_path / "out"
    out.mkdir()
    plan = out / "results.json"
    plan.write_text("{}")
    assert "is not a directory" in _refused(check_report_dir, tmp_path / "taken", ["results.json"], [])
    assert "is a file, not a directory" in _refused(check_report_dir, tmp_path / "taken" / "sub", ["x"], [])
    assert _refused(check_report_dir, out, ["results.json", "junit.xml"], [plan]).startswith(f"{plan}: is one of the inputs")
    check_report_dir(out, ["junit.xml"], [plan])
    check_report_dir(tmp_path / "fresh", ["results.json"], [plan])

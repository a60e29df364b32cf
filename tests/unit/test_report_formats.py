"""The formatter registry: one module per format behind one interface, and results.json round trips."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from report_samples import TODAY, sample_history, sample_run

import runner
from runner.errors import UsageError
from runner.report import FORMATS, ReportOptions, file_formats, get_formatter, write_reports
from runner.report.json import from_document, to_document

FILES = {"json": "results.json", "junit": "junit.xml", "sarif": "results.sarif", "markdown": "summary.md",
         "html": "dashboard.html"}


TERMINAL = {"text": "summary.txt", "by-resource": "by-resource.txt"}  # stdout formats, written only when named


def test_every_format_is_registered_behind_the_one_interface():
    assert set(FORMATS) == {*TERMINAL, *FILES}
    for name, filename in {**TERMINAL, **FILES}.items():
        fmt = get_formatter(name)
        assert (fmt.name, fmt.filename, fmt.in_report_dir) == (name, filename, name in FILES)
        assert fmt.render(sample_run()) == fmt.render(sample_run(), ReportOptions())
    assert file_formats() == list(FILES)


def test_unknown_formats_are_refused():
    with pytest.raises(UsageError, match="unknown report format 'pdf'"):
        get_formatter("pdf")


def test_write_reports_writes_every_file_format_with_the_options(tmp_path, monkeypatch):
    monkeypatch.setenv("TFGUARD_TODAY", TODAY.isoformat())
    written = write_reports(sample_run(), tmp_path / "out", options=ReportOptions.build(history=sample_history()))
    assert sorted(p.name for p in written) == sorted(FILES.values())
    assert not list((tmp_path / "out").glob("*.tmp"))
    assert "<svg" in (tmp_path / "out" / "dashboard.html").read_text()


def test_write_reports_writes_a_terminal_format_when_named(tmp_path):
    written = write_reports(sample_run(), tmp_path / "out", formats=["by-resource", "text"])
    assert [p.name for p in written] == ["by-resource.txt", "summary.txt"]
    assert written[0].read_text() == get_formatter("by-resource").render(sample_run())


def test_results_json_round_trips_to_identical_reports(tmp_path, monkeypatch):
    monkeypatch.setenv("TFGUARD_TODAY", TODAY.isoformat())
    run = sample_run(payments_source="infra/payments")
    doc = json.loads(get_formatter("json").render(run))
    assert doc["workloads"][0]["source_dir"] == "infra/payments"
    again = from_document(doc)
    assert again.workloads == run.workloads
    assert to_document(again) == to_document(run)
    for name in FILES:
        assert get_formatter(name).render(again) == get_formatter(name).render(run), name



def test_results_json_with_source_dir_matches_its_schema():
    schema = json.loads((Path(runner.__file__).parent / "schemas" / "results.schema.json").read_text())
    for run in (sample_run(payments_source="infra/payments"), sample_run()):
        doc = json.loads(get_formatter("json").render(run))
        jsonschema.Draft202012Validator(schema).validate(doc)

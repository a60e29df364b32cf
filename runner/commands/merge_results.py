"""tfguard merge-results: combine the results of sharded sweeps (`observe --shard K/N`) into one."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from runner.console import Output
from runner.errors import ConfigError
from runner.readers import load_json
from runner.report import file_formats, write_reports
from runner.report.json import from_document
from runner.workflow.sharding import merge_documents

NAME = "merge-results"
HELP = "Merge results.json files of sharded sweeps into the results of one whole sweep (and every report)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("results", nargs="+", metavar="RESULTS_JSON",
                        help="results.json of each shard, or a directory: every results.json under it (a CI "
                             "system's combined artifacts)")
    parser.add_argument("--report-dir", default="out", metavar="DIR",
                        help="write the merged results.json and every report format here (default: out)")


def _read(path: Path) -> dict:
    if path.is_dir():
        path = path / "results.json"
    doc = load_json(path, noun="results file")  # within the JSON limits, strictly
    from_document(doc, str(path))  # refuses other schema versions and malformed documents, naming the file
    return doc  # from_document checked that it is an object


def _expand(name: str) -> list[Path]:
    path = Path(name)
    if path.is_dir() and not (path / "results.json").is_file():
        found = sorted(path.rglob("results.json"))
        if not found:
            raise ConfigError("no results.json under this directory", where=name)
        return found
    return [path]


def run(args: argparse.Namespace, output: Output) -> int:
    paths = [p for name in args.results for p in _expand(name)]
    docs = [_read(p) for p in paths]
    merged = merge_documents(docs, [str(p) for p in paths])
    run_result = from_document(merged, "merged results")
    out = Path(args.report_dir)
    written = write_reports(run_result, out, formats=[f for f in file_formats() if f != "json"])
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
    for path in [out / "results.json", *written]:
        output.info(f"wrote {path}")
    s = merged["summary"]
    output.print(f"merged {len(docs)} shards: {s['workloads']} workloads x {s['guardrails']} guardrails, "
                 f"{s['failed']} failed, " + (f"{s['unknown']} unknown, " if s.get("unknown") else "")
                 + f"{s['error']} errors")
    return 2 if s["exit_code"] == 2 else 0  # like observe: noncompliance is not a build failure


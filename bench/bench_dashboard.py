"""Rendering time of every report for a large estate: 200 workloads x 40 guardrails by default.

    python bench/bench_dashboard.py [--workloads N] [--guardrails N] [--history-dates N] [--runs N] [--out DIR]

The run is synthetic (tests/report_samples.synthetic_run: ~20 % failing results with 1-4 resources
each, some excluded findings, one workload in 50 with a broken plan) and so is the ledger history
(weekly records). Prints, per format, the median and worst wall time over --runs renders and the
size of the output, and the median CPU time; with --out, writes the files there to look at. No timing
is asserted anywhere.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from report_samples import TODAY, synthetic_history, synthetic_run

from runner.report import ReportOptions, get_formatter


def timed(render, runs: int) -> tuple[list[float], list[float], str]:
    """Wall and CPU seconds per render (CPU time is the steadier figure on a shared machine)."""
    times, cpu = [], []
    out = ""
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        out = render()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return times, cpu, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", type=int, default=200)
    parser.add_argument("--guardrails", type=int, default=40)
    parser.add_argument("--history-dates", type=int, default=26, help="weekly ledger records (default: 26)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, help="write the rendered files into this directory")
    args = parser.parse_args()

    start = time.perf_counter()
    run = synthetic_run(args.workloads, args.guardrails)
    history = synthetic_history(run, args.history_dates)
    built = time.perf_counter() - start
    findings = sum(len(r.findings) for r in run.results)
    print(f"estate: {args.workloads} workloads x {args.guardrails} guardrails = {len(run.results)} results, "
          f"{findings} findings; history: {len(history)} records over {args.history_dates} dates "
          f"(built in {built:.2f} s)")
    print(f"python {platform.python_version()} on {platform.machine()}, {args.runs} renders per format")
    print(f"{'format':<22} {'median s':>9} {'worst s':>9} {'cpu s':>9} {'size':>10}")
    renders = {name: (lambda n=name: get_formatter(n).render(run)) for name in ("json", "junit", "sarif",
                                                                                  "markdown", "text", "by-resource")}
    renders["html"] = lambda: get_formatter("html").render(run, ReportOptions(today=TODAY))
    # the history's records are checked and parsed in the timing, as `tfguard report --history` does
    renders["html + history"] = lambda: get_formatter("html").render(run, ReportOptions.build(history, today=TODAY))
    for name, render in renders.items():
        times, cpu, out = timed(render, args.runs)
        size = len(out.encode("utf-8"))
        print(f"{name:<22} {statistics.median(times):>9.3f} {max(times):>9.3f} {statistics.median(cpu):>9.3f} "
              f"{size / 1024:>8.0f} KiB")
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            safe = name.replace(" + ", "-")
            (args.out / f"{safe}.out").write_text(out, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

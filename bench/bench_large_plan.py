"""Memory on large plans: peak RSS of a tfguard check on one synthetic plan of about SIZE_MB.

    python bench/bench_large_plan.py [SIZE_MB ...]     (default: 10 50)

The plan is the web-service example with its resources repeated. tfguard parses a plan once to validate
it (and keeps only digests, addresses and secrets), the engine child parses it once more to evaluate;
both peaks are printed, next to one plain terraform-compliance process on the same plan."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from measure import run_measured  # noqa: E402
from workloads import EXAMPLES, _repeat  # noqa: E402

from runner.engine.cli import cli_command  # noqa: E402
from runner.guardrails.load import load_guardrails, write_engine_features  # noqa: E402
from runner.workloads.plan import load_plan  # noqa: E402


def make_plan(directory: Path, size_mb: float) -> Path:
    base = json.loads(next(p for p in EXAMPLES if "web-service" in str(p)).read_text())
    one = len(json.dumps(base))
    plan = _repeat(base, max(1, int(size_mb * 2**20 / one)))
    path = directory / f"large-{size_mb:g}mb.json"
    path.write_text(json.dumps(plan))
    return path


def main() -> None:
    sizes = [float(s) for s in sys.argv[1:]] or [10.0, 50.0]
    print(f"{'plan MB':>8} {'resources':>9} | {'tfguard s':>9} {'peak RSS MiB':>12} | {'plain s':>7} {'peak RSS MiB':>12}")
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        clean = tmp / "features"
        write_engine_features(load_guardrails(ROOT / "features"), clean)
        for size in sizes:
            path = make_plan(tmp, size)
            plan = load_plan(path)
            copy = plan.write_engine_copy(tmp)
            ours = run_measured([sys.executable, "-m", "runner", "check", "--plan", str(path), "--features",
                               str(ROOT / "features"), "--no-cache", "--workers", "1", "--no-exclusions"])
            plain = run_measured(cli_command(copy, str(clean)))
            print(f"{path.stat().st_size / 2**20:8.1f} {len(plan.addresses):9d} | {ours[0]:9.1f} {ours[2] / 1024:12.0f}"
                  f" | {plain[0]:7.1f} {plain[2] / 1024:12.0f}")


if __name__ == "__main__":
    main()

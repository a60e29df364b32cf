"""One tfguard sweep in its own process (so its wall time and peak memory are its own):
every plan in a directory against a features directory, results as JSON on stdout.

    python bench/sweep_driver.py PLANS_DIR FEATURES_DIR CACHE_DIR|-"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from runner.cache import ResultCache  # noqa: E402
from runner.engine import make_engine  # noqa: E402
from runner.evaluation import Target, evaluate  # noqa: E402
from runner.guardrails import load_guardrails  # noqa: E402
from runner.model import Workload  # noqa: E402
from runner.plan import load_plan  # noqa: E402


def main() -> None:
    plans_dir, features_dir, cache_dir = sys.argv[1:4]
    started = time.monotonic()
    gset = load_guardrails(features_dir)
    targets = [Target(Workload(p.stem), load_plan(p)) for p in sorted(Path(plans_dir).glob("*.json"))]
    cache = None if cache_dir == "-" else ResultCache(cache_dir)
    run = evaluate(gset, targets, make_engine("inprocess"), cache=cache, mode="observe")
    verdicts = {f"{r.workload}|{r.guardrail_id}": [r.status.value, sorted(f.address for f in r.findings)]
                for r in run.results}
    print(json.dumps({
        "seconds": time.monotonic() - started,
        "rss_self_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "rss_children_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "cache_hits": cache.hits if cache else 0, "cache_misses": cache.misses if cache else 0,
        "verdicts": verdicts,
    }))


if __name__ == "__main__":
    main()

"""The evaluator choice, measured: tfparse (PyPI `tfparse`, the Python binding of Aqua's defsec HCL evaluator
that tfsec and trivy use) against tfguard's own renderer (runner.source), on tests/source_corpus.

For every case both read the Terraform source; tfparse's resources (their `__tfmeta.path` addresses and
evaluated attributes) become a plan the way a thin emitter would write one (managed resources, `id`
unknown). Each is compared with the real plan as bench_static_plans.py compares: addresses, and every
guardrail's verdict (status and reported addresses) from the real engine. Speed: wall time of the parse
and evaluation alone (tfparse.load_from_path vs render_plan), best of 3, summed over the corpus.

tfparse is a bench-only dependency: `pip install tfparse==0.6.22` into the venv first.

    python bench/bench_tfparse.py [-v]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_static_plans import (  # noqa: E402
    CORPUS,
    FEATURES,
    OWN_GUARDRAILS,
    all_verdicts,
    case_meta,
    load_guardrails,
    managed_changes,
    render_case,
)

from runner.engine import make_engine  # noqa: E402

META = {"count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection", "id", "__tfmeta"}


def tfparse_plan(src: Path) -> dict[str, Any]:
    import tfparse

    found = tfparse.load_from_path(str(src))
    changes = []
    for blocks in found.values():
        for block in blocks if isinstance(blocks, list) else []:
            meta = block.get("__tfmeta") or {}
            if meta.get("type") != "resource":
                continue
            address = str(meta.get("path"))
            rtype, name = meta.get("label"), address.split(".")[-1].split("[")[0]
            after = {k: v for k, v in block.items() if k not in META}
            change = {"actions": ["create"], "before": None, "after": after, "after_unknown": {"id": True},
                      "before_sensitive": False, "after_sensitive": {}}
            changes.append({"address": address, "mode": "managed", "type": rtype, "name": name,
                            "provider_name": f"registry.terraform.io/hashicorp/{str(rtype).split('_')[0]}",
                            "change": change})
    resources = [{"address": c["address"], "mode": "managed", "type": c["type"], "name": c["name"],
                  "provider_name": c["provider_name"], "schema_version": 0, "values": c["change"]["after"],
                  "sensitive_values": {}} for c in changes]
    return {"format_version": "1.2", "terraform_version": "1.6.6", "resource_changes": changes,
            "planned_values": {"root_module": {"resources": resources}}, "configuration": {"root_module": {}}}


def best_of(fn: Any, *args: Any) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    try:
        import tfparse  # noqa: F401
    except ImportError:
        print("tfparse is not installed: pip install tfparse==0.6.22 (bench only)")
        return 2
    cases = sorted(p for p in CORPUS.iterdir() if (p / "src").is_dir() and (p / "plan.json").exists())
    plans: dict[str, dict[str, Any]] = {}
    own_time = tf_time = 0.0
    failures: dict[str, str] = {}
    for case in cases:
        real = json.loads((case / "plan.json").read_text())
        own, _ = render_case(case)
        own_time += best_of(render_case, case)
        try:
            theirs = tfparse_plan(case / "src")
            tf_time += best_of(tfparse_plan, case / "src")
        except Exception as exc:  # noqa: BLE001 - a crash of the other evaluator is a result, not an error
            failures[case.name] = f"{type(exc).__name__}: {str(exc)[:120]}"
            theirs = {"format_version": "1.2", "terraform_version": "1.6.6", "resource_changes": []}
        plans[f"{case.name}-real"], plans[f"{case.name}-own"], plans[f"{case.name}-tfparse"] = real, own, theirs
    gsets = [g for g in (load_guardrails(str(d)) for d in (FEATURES, OWN_GUARDRAILS) if d.is_dir()) if g.guardrails]
    verdicts = all_verdicts(plans, gsets, make_engine("inprocess", None))
    totals = {k: [0, 0, 0, 0] for k in ("own", "tfparse")}  # addresses matched, union, verdicts equal, all
    for case in cases:
        real_addr = set(managed_changes(plans[f"{case.name}-real"]))
        line = [f"{case.name:<30}"]
        for who in ("own", "tfparse"):
            mine = set(managed_changes(plans[f"{case.name}-{who}"]))
            t = totals[who]
            t[0] += len(real_addr & mine)
            t[1] += len(real_addr | mine)
            real_v, mine_v = verdicts[f"{case.name}-real"], verdicts[f"{case.name}-{who}"]
            equal = sum(mine_v.get(g) == v for g, v in real_v.items())
            t[2] += equal
            t[3] += len(real_v)
            line.append(f"{who} addr {len(real_addr & mine)}/{len(real_addr | mine)} verdicts {equal}/{len(real_v)}")
            if args.verbose and who == "tfparse":
                for g, v in real_v.items():
                    if mine_v.get(g) != v:
                        line.append(f"\n    {g}: real {v[0]} {sorted(v[1])}, tfparse {mine_v.get(g)}")
        print("  ".join(line) + (f"  [{case_meta(case).get('provenance')}]"))
    for name, why in failures.items():
        print(f"tfparse failed on {name}: {why}")
    print()
    for who, t in totals.items():
        print(f"{who:<8} addresses {t[0]}/{t[1]} ({100 * t[0] / t[1]:.1f}%)  verdicts {t[2]}/{t[3]} "
              f"({100 * t[2] / t[3]:.1f}%)")
    print(f"parse + evaluate, {len(cases)} cases, best of 3: own {own_time:.3f} s, tfparse {tf_time:.3f} s "
          f"(ratio tfparse/own {tf_time / own_time:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How close are static plans (tfguard plan-from-source) to real ones? Measured on tests/source_corpus.

For every corpus case (a Terraform source dir and the plan terraform produced for it, or a hand-checked
plan for AWS cases), render the static plan and compare:

  addresses  managed resource addresses in both plans / addresses in either plan
  values     attribute leaves the real plan knows (every path of `after` not in `after_unknown`):
             equal in the static plan / all such leaves. A leaf the static plan claims to know but the
             real plan marks unknown counts as "invented" (never equal).
  verdicts   guardrail results (status and the set of reported addresses) equal / all results, running
             the real engine on both plans; guardrails: features/ plus tests/source_corpus/guardrails/.
             "applicable" counts only results where either plan has resources the guardrail looks at.

    python bench/bench_static_plans.py [--json OUT] [--no-verdicts] [--cases a,b]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from runner.engine import make_engine  # noqa: E402
from runner.engine.evaluation import Target, evaluate  # noqa: E402
from runner.guardrails.load import load_guardrails  # noqa: E402
from runner.model import Status, Workload  # noqa: E402
from runner.source import render_plan  # noqa: E402
from runner.workloads.plan import parse_plan_bytes  # noqa: E402

CORPUS = REPO / "tests" / "source_corpus"
OWN_GUARDRAILS = CORPUS / "guardrails"
FEATURES = REPO / "features"


@dataclass
class CaseScore:
    name: str
    provenance: str
    real_addresses: int = 0
    static_addresses: int = 0
    matched_addresses: int = 0
    known_values: int = 0
    equal_values: int = 0
    invented: int = 0
    verdicts: int = 0
    equal_verdicts: int = 0
    applicable_verdicts: int = 0
    equal_applicable: int = 0
    warnings: int = 0
    mismatches: list[str] = field(default_factory=list)


def case_meta(case: Path) -> dict[str, Any]:
    path = case / "case.yaml"
    return (yaml.safe_load(path.read_text()) or {}) if path.exists() else {}


def render_case(case: Path) -> tuple[dict[str, Any], int]:
    meta = case_meta(case)
    var_args = [tuple(v.split("=", 1)) for v in meta.get("vars") or []]
    var_files = [str(case / f) for f in meta.get("var_files") or []]
    plan = render_plan(case / "src", var_args, var_files)  # type: ignore[arg-type]
    return plan.data, len(plan.warnings)


def managed_changes(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        rc["address"]: rc["change"]
        for rc in plan.get("resource_changes") or []
        if rc.get("mode") == "managed" and rc["change"].get("actions") != ["no-op"]
    }


def canonical(value: Any, unknown: Any) -> tuple[Any, Any]:
    """Sort lists of objects (nested blocks, mostly sets whose order terraform takes from hashes) so that
    the same elements line up whatever order either plan lists them in; `unknown` is sorted along."""
    if isinstance(value, dict):
        pairs = {
            k: canonical(v, unknown.get(k) if isinstance(unknown, dict) else None) for k, v in value.items()
        }
        return {k: p[0] for k, p in pairs.items()}, {
            **(unknown if isinstance(unknown, dict) else {}),
            **{k: p[1] for k, p in pairs.items() if p[1] is not None},
        }
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        masks = unknown if isinstance(unknown, list) else [None] * len(value)
        items = [canonical(v, masks[i] if i < len(masks) else None) for i, v in enumerate(value)]
        items.sort(key=lambda p: json.dumps(p[0], sort_keys=True, default=str))
        return [p[0] for p in items], [p[1] for p in items]
    return value, unknown


def leaves(value: Any, unknown: Any, path: str = "") -> dict[str, Any]:
    """path -> value for every known leaf (scalars, null, empty containers) of `after`."""
    if unknown is True:
        return {}
    out: dict[str, Any] = {}
    if isinstance(value, dict) and value:
        for k, v in value.items():
            sub = unknown.get(k) if isinstance(unknown, dict) else None
            out.update(leaves(v, sub, f"{path}.{k}" if path else k))
        return out
    if isinstance(value, list) and value:
        for i, v in enumerate(value):
            sub = unknown[i] if isinstance(unknown, list) and i < len(unknown) else None
            out.update(leaves(v, sub, f"{path}[{i}]"))
        return out
    out[path] = value
    return out


def unknown_paths(unknown: Any, path: str = "") -> set[str]:
    if unknown is True:
        return {path}
    out: set[str] = set()
    if isinstance(unknown, dict):
        for k, v in unknown.items():
            out |= unknown_paths(v, f"{path}.{k}" if path else k)
    elif isinstance(unknown, list):
        for i, v in enumerate(unknown):
            out |= unknown_paths(v, f"{path}[{i}]")
    return out


def same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    return bool(a == b)


def compare_values(real: dict[str, Any], static: dict[str, Any], score: CaseScore, address: str) -> None:
    real_after, real_unknown_mask = canonical(real.get("after"), real.get("after_unknown"))
    static_after, static_unknown_mask = canonical(static.get("after"), static.get("after_unknown"))
    real_leaves = leaves(real_after, real_unknown_mask)
    static_leaves = leaves(static_after, static_unknown_mask)
    static_unknown = unknown_paths(static_unknown_mask)
    for path, value in real_leaves.items():
        score.known_values += 1
        if path in static_leaves and same(static_leaves[path], value):
            score.equal_values += 1
        else:
            shown = (
                "unknown"
                if any(
                    path == u or path.startswith(u + ".") or path.startswith(u + "[") for u in static_unknown
                )
                else static_leaves.get(path, "<absent>")
            )
            score.mismatches.append(f"{address}.{path}: real {value!r}, static {shown!r}")
    real_unknown = unknown_paths(real_unknown_mask)
    for path in static_leaves:
        if path in real_unknown or any(
            path.startswith(u + ".") or path.startswith(u + "[") for u in real_unknown
        ):
            score.invented += 1
            score.known_values += 1
            score.mismatches.append(f"{address}.{path}: static claims {static_leaves[path]!r}, real unknown")


Verdicts = dict[str, tuple[str, frozenset[str]]]


def all_verdicts(plans: dict[str, dict[str, Any]], gsets: list[Any], engine: Any) -> dict[str, Verdicts]:
    """Run every guardrail set once over all plans (the engine spreads the plans over its workers)."""
    targets = [
        Target(Workload(name=name), parse_plan_bytes(json.dumps(data).encode(), f"{name}.json"))
        for name, data in plans.items()
    ]
    out: dict[str, Verdicts] = {name: {} for name in plans}
    for gset in gsets:
        run = evaluate(gset, targets, engine)
        for r in run.results:
            out[r.workload][r.guardrail_id] = (r.status.value, frozenset(f.address for f in r.findings))
    return out


def compare_verdicts(real_v: Verdicts, static_v: Verdicts, score: CaseScore) -> None:
    for gid, outcome in real_v.items():
        mine = static_v.get(gid)
        score.verdicts += 1
        equal = mine == outcome
        score.equal_verdicts += equal
        if outcome[0] != Status.NOT_APPLICABLE.value or (mine and mine[0] != Status.NOT_APPLICABLE.value):
            score.applicable_verdicts += 1
            score.equal_applicable += equal
        if not equal:
            score.mismatches.append(
                f"verdict {gid}: real {outcome[0]} {sorted(outcome[1])}, "
                f"static {mine[0] if mine else None} {sorted(mine[1]) if mine else []}"
            )


def score_case(case: Path, real: dict[str, Any], static: dict[str, Any], nwarn: int) -> CaseScore:
    meta = case_meta(case)
    score = CaseScore(case.name, str(meta.get("produced_by") or meta.get("provenance", "?")), warnings=nwarn)
    real_rc, static_rc = managed_changes(real), managed_changes(static)
    score.real_addresses, score.static_addresses = len(real_rc), len(static_rc)
    score.matched_addresses = len(set(real_rc) & set(static_rc))
    for address in sorted(set(real_rc) ^ set(static_rc)):
        side = "real only" if address in real_rc else "static only"
        score.mismatches.append(f"address {address}: {side}")
    for address in sorted(set(real_rc) & set(static_rc)):
        compare_values(real_rc[address], static_rc[address], score, address)
    return score


def pct(a: int, b: int) -> str:
    return f"{100.0 * a / b:.1f}%" if b else "n/a"


def summary(scores: list[CaseScore], label: str) -> dict[str, Any]:
    union = sum(s.real_addresses + s.static_addresses - s.matched_addresses for s in scores)
    total = {
        k: sum(getattr(s, k) for s in scores)
        for k in (
            "matched_addresses",
            "known_values",
            "equal_values",
            "invented",
            "verdicts",
            "equal_verdicts",
            "applicable_verdicts",
            "equal_applicable",
        )
    }
    return {
        "label": label,
        "cases": len(scores),
        "addresses": f"{total['matched_addresses']}/{union}",
        "addresses_pct": pct(total["matched_addresses"], union),
        "values": f"{total['equal_values']}/{total['known_values']}",
        "values_pct": pct(total["equal_values"], total["known_values"]),
        "invented": total["invented"],
        "verdicts": f"{total['equal_verdicts']}/{total['verdicts']}",
        "verdicts_pct": pct(total["equal_verdicts"], total["verdicts"]),
        "applicable_verdicts": f"{total['equal_applicable']}/{total['applicable_verdicts']}",
        "applicable_verdicts_pct": pct(total["equal_applicable"], total["applicable_verdicts"]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", metavar="OUT", help="also write the figures as JSON")
    parser.add_argument("--no-verdicts", action="store_true", help="skip the engine runs")
    parser.add_argument("--cases", help="comma-separated case names (default: all)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every mismatch")
    args = parser.parse_args()
    cases = sorted(p for p in CORPUS.iterdir() if (p / "src").is_dir() and (p / "plan.json").exists())
    if args.cases:
        wanted = set(args.cases.split(","))
        cases = [c for c in cases if c.name in wanted]
    gsets = [
        g for g in (load_guardrails(str(d)) for d in (FEATURES, OWN_GUARDRAILS) if d.is_dir()) if g.guardrails
    ]
    engine = None if args.no_verdicts else make_engine("inprocess", None)
    started = time.monotonic()
    plans: dict[str, dict[str, Any]] = {}
    scores = []
    for case in cases:
        static, nwarn = render_case(case)
        real = json.loads((case / "plan.json").read_text())
        plans[f"{case.name}-real"], plans[f"{case.name}-static"] = real, static
        scores.append(score_case(case, real, static, nwarn))
    if engine is not None:
        found = all_verdicts(plans, gsets, engine)
        for case, score in zip(cases, scores):
            compare_verdicts(found[f"{case.name}-real"], found[f"{case.name}-static"], score)
    for s in scores:
        print(
            f"{s.name:<28} addr {s.matched_addresses}/{max(s.real_addresses, s.static_addresses):<3} "
            f"values {s.equal_values}/{s.known_values:<4} verdicts {s.equal_verdicts}/{s.verdicts:<3} "
            f"warnings {s.warnings:<2} [{s.provenance}]"
        )
        for m in s.mismatches if args.verbose else s.mismatches[:3]:
            print(f"    {m}")
    real = [s for s in scores if "hand" not in s.provenance]
    hand = [s for s in scores if "hand" in s.provenance]
    figures = [
        summary(scores, "all cases"),
        summary(real, "real terraform plans"),
        summary(hand, "hand-checked AWS plans"),
    ]
    print()
    print(f"{'':<24} {'cases':>5} {'addresses':>16} {'known values':>20} {'verdicts':>16} {'applicable':>16}")
    for f in figures:
        print(
            f"{f['label']:<24} {f['cases']:>5} {f['addresses']:>9} {f['addresses_pct']:>6} "
            f"{f['values']:>12} {f['values_pct']:>7} {f['verdicts']:>9} {f['verdicts_pct']:>6} "
            f"{f['applicable_verdicts']:>9} {f['applicable_verdicts_pct']:>6}"
        )
    print(
        f"invented values (static known, real unknown): {figures[0]['invented']}; "
        f"guardrails: {sum(len(g.guardrails) for g in gsets)}; {time.monotonic() - started:.1f} s"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps({"figures": figures, "cases": [s.__dict__ for s in scores]}, indent=2, default=list)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

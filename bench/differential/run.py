"""Differential bench: tfguard and checkov on the same Terraform roots, verdict by verdict.

For every root of bench/differential/corpus/:
  1. `tfguard plan-from-source ROOT -o plan.json` renders a static plan (no provider registry here);
  2. `tfguard check --plan plan.json --format json` evaluates the guardrails of mapping.yaml;
  3. `checkov -d ROOT --framework terraform --skip-download -o json --check ...` scans the HCL, offline.
Then it compares the two per (resource, shared control) (see verdicts.py for how addresses are matched),
prints a confusion table per control and every disagreement with its classification from
expected.yaml. Exit code 1 when a disagreement is not classified, a verdict is wrong in a way expected.yaml
does not list, a listed wrong verdict (`wrong_now`) is right again, or an expectation matches nothing;
2 when a tool could not run.

checkov is a dev-only tool: it is installed here into its own virtualenv (bench/.venv-checkov, pinned
version, from the package index with pip) and never becomes a dependency of tfguard.

    python bench/differential/run.py [--roots a,b] [--out DIR] [--json FILE] [--markdown] [-v]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

from verdicts import (  # noqa: E402
    CATEGORIES,
    NOT_EVALUATED,
    Control,
    Expectation,
    Judgement,
    PlanIndex,
    Row,
    address_matching,
    compare_root,
    confusion,
    judge,
    load_controls,
    load_expectations,
    problems,
)

CHECKOV_VERSION = "3.3.30"
CHECKOV_VENV = REPO / "bench" / ".venv-checkov"
CORPUS = HERE / "corpus"
FEATURES = REPO / "features"


class ToolError(Exception):
    pass


# --------------------------------------------------------------------------- checkov, dev-only


def checkov_binary(venv: Path = CHECKOV_VENV) -> Path:
    """checkov of the pinned version in its own virtualenv, installed there first if needed."""
    binary = venv / "bin" / "checkov"
    if _checkov_version(binary) == CHECKOV_VERSION:
        return binary
    print(f"installing checkov {CHECKOV_VERSION} into {venv.relative_to(REPO)} (dev-only, not a tfguard dependency)", flush=True)
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, f"checkov=={CHECKOV_VERSION}"], check=True)
    if _checkov_version(binary) != CHECKOV_VERSION:
        raise ToolError(f"checkov {CHECKOV_VERSION} did not install into {venv}")
    return binary


def _checkov_version(binary: Path) -> str:
    if not binary.exists():
        return ""
    proc = subprocess.run([str(binary), "--version"], capture_output=True, text=True, env=_checkov_env())
    return proc.stdout.strip().splitlines()[-1] if proc.returncode == 0 and proc.stdout.strip() else ""


def _checkov_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BC_", "PRISMA_", "CKV_"))}
    env.update(LOG_LEVEL="ERROR", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2="false", PYTHONWARNINGS="ignore")
    return env


def checkov_check_ids(binary: Path) -> set[str]:
    """Every terraform AWS check id the installed checkov knows, and its checks of module blocks (CKV_TF_),
    read from its package files."""
    site = next((binary.parent.parent / "lib").glob("python*/site-packages/checkov/terraform/checks"))
    ids: set[str] = set()
    for path in [*site.glob("resource/aws/*.py"), *site.glob("graph_checks/aws/*.json"), *site.glob("module/generic/*.py")]:
        text = path.read_text(encoding="utf-8", errors="replace")
        ids.update(re.findall(r'(?:\bid\s*=\s*|check_id\s*=\s*|"id":\s*)"(CKV2?_(?:AWS|TF)_\d+)"', text))
    return ids


# --------------------------------------------------------------------------- running the tools


@dataclass
class RootRun:
    name: str
    plan: dict[str, Any]
    tfguard: dict[str, Any]
    checkov: Any
    plan_warnings: list[str]
    seconds: dict[str, float]


def reuse_root(root: Path, out: Path) -> RootRun:
    """The outputs a previous run left in `out` (--reuse): compare again without running the tools."""
    plan, tfg, ckv = (json.loads((out / f).read_text()) for f in ("plan.json", "tfguard.json", "checkov.json"))
    return RootRun(root.name, plan, tfg, ckv, [], {})


def run_root(root: Path, out: Path, controls: list[Control], checkov: Path) -> RootRun:
    out.mkdir(parents=True, exist_ok=True)
    seconds: dict[str, float] = {}
    tfguard = [sys.executable, "-m", "runner"]
    plan_path = out / "plan.json"

    started = time.monotonic()
    source = str(root.relative_to(REPO)) if root.is_relative_to(REPO) else str(root)  # warnings name files relative to the repo
    proc = subprocess.run([*tfguard, "plan-from-source", source, "-o", str(plan_path)], cwd=REPO, capture_output=True, text=True)
    seconds["plan-from-source"] = time.monotonic() - started
    if proc.returncode != 0:
        raise ToolError(f"{root.name}: plan-from-source exit {proc.returncode}: {proc.stderr.strip()[-500:]}")
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning:")]

    only = [arg for gid in sorted({g for c in controls for g in c.tfguard}) for arg in ("--only", gid)]
    started = time.monotonic()
    proc = subprocess.run(
        [*tfguard, "check", "--plan", str(plan_path), "--features", str(FEATURES), "--format", "json",
         "--no-cache", "--no-exclusions", *only],
        cwd=REPO, capture_output=True, text=True,
    )  # fmt: skip
    seconds["tfguard check"] = time.monotonic() - started
    if proc.returncode not in (0, 1):
        raise ToolError(f"{root.name}: tfguard check exit {proc.returncode}: {proc.stderr.strip()[-500:]}")
    (out / "tfguard.json").write_text(proc.stdout)
    tfguard_report = json.loads(proc.stdout)

    checks = ",".join(sorted({c for control in controls for c in control.checkov}))
    started = time.monotonic()
    proc = subprocess.run(
        [str(checkov), "-d", str(root), "--framework", "terraform", "--skip-download", "-o", "json", "--check", checks],
        cwd=root, capture_output=True, text=True, env=_checkov_env(),
    )  # fmt: skip
    seconds["checkov"] = time.monotonic() - started
    if proc.returncode not in (0, 1):
        raise ToolError(f"{root.name}: checkov exit {proc.returncode}: {proc.stderr.strip()[-500:]}")
    (out / "checkov.json").write_text(proc.stdout)

    return RootRun(root.name, json.loads(plan_path.read_text()), tfguard_report, json.loads(proc.stdout), warnings, seconds)


# --------------------------------------------------------------------------- checks of the inputs


def validate_mapping(controls: list[Control], checkov_ids: set[str]) -> list[str]:
    """Unknown ids on either side are errors: a typo would silently compare nothing."""
    known = set(re.findall(r"@id:(\S+)", "\n".join(p.read_text() for p in FEATURES.glob("*.feature"))))
    problems = []
    for control in controls:
        problems += [f"{control.id}: tfguard guardrail {g} is not in features/" for g in control.tfguard if g not in known]
        problems += [
            f"{control.id}: checkov check {c} is not in checkov {CHECKOV_VERSION}" for c in control.checkov if c not in checkov_ids
        ]
    return problems


# --------------------------------------------------------------------------- output


def print_confusion(rows: list[Row], controls: list[Control]) -> None:
    table = confusion(rows)
    width = max(len(c.id) for c in controls) + 2
    head = f"{'control':<{width}}" + "".join(f"{c:>20}" for c in CATEGORIES)
    print(head)
    print("-" * len(head))
    for control in [*controls, None]:
        key = control.id if control else "all"
        if control is None:
            print("-" * len(head))
        counts = table.get(key, Counter())
        print(f"{key:<{width}}" + "".join(f"{counts.get(c, 0):>20}" for c in CATEGORIES))


def print_judgement(j: Judgement) -> None:
    r = j.row
    flags = "".join(f" (UNEXPECTED: {t} wrong)" for t in j.unexpected) + "".join(f" (fixed: {t} now right)" for t in j.fixed)
    print(f"  [{j.cls}] {r.root}  {r.subject}  {r.control}: {r.category}{flags}")
    print(f"      tfguard: {r.tfguard.detail}")
    print(f"      checkov: {r.checkov.detail}" + (f"  ({r.location})" if r.location else ""))
    if j.expectation:
        print(f"      why: {j.expectation.why}")
        for tool, reason in j.expectation.wrong_now.items():
            if tool in j.wrong:
                print(f"      {tool} wrong: {reason}")


def markdown_judgements(judged: list[Judgement]) -> str:
    lines = [
        "| root | resource | control | outcome | tfguard | checkov | class | why |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for j in judged:
        r, x = j.row, j.expectation
        why = x.why if x else ""
        if x:
            why += "".join(f" {t}: {reason}" for t, reason in x.wrong_now.items() if t in j.wrong)
        subject = r.subject.replace("|", "\\|")
        lines.append(
            f"| {r.root} | `{subject}` | {r.control} | {r.category} | {r.tfguard.detail} | {r.checkov.detail} | {j.cls} | {why} |"
        )
    return "\n".join(lines)


def not_evaluated_reasons(rows: list[Row]) -> Counter[str]:
    reasons: Counter[str] = Counter()
    for r in rows:
        if r.category != NOT_EVALUATED:
            continue
        if r.tfguard.value == "none" and r.checkov.value == "none":
            reasons["neither tool (" + r.tfguard.detail + "; " + r.checkov.detail + ")"] += 1
        elif r.tfguard.value == "none":
            reasons[f"tfguard: {r.tfguard.detail.removeprefix('tfguard: ')} (checkov: {r.checkov.value})"] += 1
        else:
            reasons[f"checkov: {r.checkov.detail} (tfguard: {r.tfguard.value})"] += 1
    return reasons


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--roots", help="comma-separated root names (default: every root of the corpus)")
    parser.add_argument("--out", type=Path, default=REPO / "out" / "differential", help="plans and raw tool outputs")
    parser.add_argument("--json", type=Path, help="write every pair and judgement as JSON")
    parser.add_argument("--markdown", action="store_true", help="also print the judged pairs as a Markdown table")
    parser.add_argument("--jobs", type=int, default=2, help="roots run at once (default 2)")
    parser.add_argument("--reuse", action="store_true", help="compare the outputs already in --out, run no tool")
    parser.add_argument("--install-checkov", action="store_true", help=f"install checkov {CHECKOV_VERSION} if needed, and stop")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every pair, not only the judged ones")
    return parser.parse_args(argv)


def run_tools(roots: list[Path], controls: list[Control], args: argparse.Namespace) -> list[RootRun]:
    if args.reuse:
        return [reuse_root(r, args.out / r.name) for r in roots]
    checkov = checkov_binary()
    problems = validate_mapping(controls, checkov_check_ids(checkov))
    if problems:
        raise ToolError("mapping.yaml:\n  " + "\n  ".join(problems))
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        return list(pool.map(lambda r: run_root(r, args.out / r.name, controls, checkov), roots))


def print_report(
    runs: list[RootRun], rows: list[Row], judged: list[Judgement], stale: list[Expectation], controls: list[Control]
) -> None:
    print(f"differential: tfguard (static plans) vs checkov {CHECKOV_VERSION} on {len(runs)} roots, "
          f"{len(controls)} shared controls, {len(rows)} (resource, control) pairs\n")  # fmt: skip
    print_confusion(rows, controls)

    warned = [(run.name, w.removeprefix("warning: ")) for run in runs for w in run.plan_warnings]
    if warned:
        print("\nplan-from-source could not render:")
        for name, w in warned:
            print(f"  {name}: {w}")

    matching: Counter[str] = Counter()
    for run in runs:
        matching.update(address_matching(PlanIndex.from_plan(run.plan), run.checkov))
    print("\ncheckov result addresses against plan addresses: " + ", ".join(f"{n} {k}" for k, n in matching.most_common()))
    print("\nnot evaluated, by reason:")
    for reason, n in not_evaluated_reasons(rows).most_common():
        print(f"  {n:4}  {reason}")

    disagreements = [j for j in judged if j.disagreement]
    hidden = [j for j in judged if not j.disagreement and j.wrong]
    print(f"\ndisagreements: {len(disagreements)} ({_count_classes(disagreements)})")
    for j in disagreements:
        print_judgement(j)
    print(f"\nagreements and unevaluated pairs where a tool is wrong: {len(hidden)} ({_count_classes(hidden)})")
    for j in hidden:
        print_judgement(j)
    wrong = Counter(t for j in judged for t in j.wrong)
    print(f"\nwrong verdicts against expected.yaml: tfguard {wrong['tfguard']}, checkov {wrong['checkov']} "
          f"({sum(1 for j in judged if j.expectation)} pairs with an expectation)")  # fmt: skip

    fixed = [j for j in judged if j.fixed]
    if fixed:
        print(f"\nknown wrong verdicts that are right now (drop their wrong_now from expected.yaml): {len(fixed)}")
        for j in fixed:
            print(f"  {j.row.root}  {j.row.subject}  {j.row.control}: {', '.join(j.fixed)}")
    if stale:
        print("\nexpectations that match no (resource, control) pair (the corpus or the mapping changed):")
        for x in stale:
            print(f"  {x.root}  {x.subject}  {x.control}")


def write_json(path: Path, rows: list[Row], judged: list[Judgement]) -> None:
    doc = {
        "checkov_version": CHECKOV_VERSION,
        "confusion": {k: dict(c) for k, c in confusion(rows).items()},
        "pairs": [
            {"root": r.root, "control": r.control, "subject": r.subject, "category": r.category,
             "tfguard": vars(r.tfguard), "checkov": vars(r.checkov), "location": r.location}
            for r in rows
        ],
        "judgements": [
            {"root": j.row.root, "subject": j.row.subject, "control": j.row.control, "category": j.row.category,
             "class": j.cls, "wrong": list(j.wrong), "unexpected": list(j.unexpected), "fixed": list(j.fixed)}
            for j in judged
        ],
    }  # fmt: skip
    path.write_text(json.dumps(doc, indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.install_checkov:
        try:
            print(f"checkov {CHECKOV_VERSION}: {checkov_binary().relative_to(REPO)}")
        except (ToolError, subprocess.CalledProcessError, OSError) as exc:
            print(f"differential: {exc}", file=sys.stderr)
            return 2
        return 0
    controls = load_controls(yaml.safe_load((HERE / "mapping.yaml").read_text()))
    roots = sorted(p for p in CORPUS.iterdir() if (p / "main.tf").exists())
    if args.roots:
        roots = [r for r in roots if r.name in set(args.roots.split(","))]
    names = {r.name for r in roots}
    expectations = [x for x in load_expectations(yaml.safe_load((HERE / "expected.yaml").read_text()) or []) if x.root in names]

    started = time.monotonic()
    try:
        runs = run_tools(roots, controls, args)
    except (ToolError, subprocess.CalledProcessError, OSError) as exc:
        print(f"differential: {exc}", file=sys.stderr)
        return 2
    wall = time.monotonic() - started

    rows = [row for run in runs for row in compare_root(run.name, controls, PlanIndex.from_plan(run.plan), run.tfguard, run.checkov)]
    judged, stale = judge(rows, expectations)
    print_report(runs, rows, judged, stale, controls)
    if args.verbose:
        print("\nevery pair:")
        for r in rows:
            print(f"  {r.category:<20} {r.root}  {r.subject}  {r.control}  | {r.tfguard.detail} | {r.checkov.detail}")
    if args.markdown:
        print("\n" + markdown_judgements([j for j in judged if j.disagreement or j.wrong]))
    if args.json:
        write_json(args.json, rows, judged)

    totals: Counter[str] = Counter()
    for run in runs:
        totals.update(run.seconds)
    print(f"\ntime: {wall:.1f} s wall for {len(runs)} roots ({args.jobs} at once); summed per tool: "
          + (", ".join(f"{k} {v:.1f} s" for k, v in totals.items()) or "(reused outputs)"))  # fmt: skip

    found = problems(judged, stale)
    if found.exit_code:
        print(f"differential: {found.summary()}: see bench/differential/expected.yaml", file=sys.stderr)
    return found.exit_code


def _count_classes(judged: list[Judgement]) -> str:
    return ", ".join(f"{n} {c}" for c, n in sorted(Counter(j.cls for j in judged).items())) or "none"


if __name__ == "__main__":
    sys.exit(main())

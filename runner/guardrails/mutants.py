"""Mutation check of the guardrail library: every mutant of a guardrail must be caught by its fixtures.

A guardrail's fixtures prove something only if they would notice a guardrail that is wrong. For each
guardrail this writes mutants of its scenario and runs them against the guardrail's own fixtures, judged by
the guardrail's own expectations (pass fixtures pass, fail fixtures fail on exactly the expected addresses):

- each `When` filter dropped: a filter no pass fixture needs is either redundant or untested;
- the last `Then` step negated (`must` <-> `must not`, `greater` <-> `less`), or dropped when the engine has
  no negated form of it (`X must be enabled`, `it must fail`).

A mutant is *caught* when at least one fixture then disagrees; a mutant that survives names a step whose
effect no fixture shows. Mutants whose sentence no engine step matches are not written. All the mutants of
one guardrail run in one evaluation of its fixtures (in-process engine), one guardrail after another."""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from runner.engine import Engine
from runner.engine.evaluation import evaluate
from runner.guardrails.load import STEP_RE, FeatureFile, GuardrailSet, load_guardrails
from runner.guardrails.selftest import FixtureOutcome, judge_run, load_fixtures
from runner.model import Mode

# (pattern, replacement) on the sentence after the keyword; the first that applies negates the step
NEGATIONS: tuple[tuple[str, str], ...] = (
    (r"^its value must be (?:greater|more|bigger) and equal than ", "its value must be less than "),
    (r"^its value must be (?:less|lesser|smaller) and equal than ", "its value must be greater than "),
    (r"^its value must be (?:greater|more|bigger) than ", "its value must be less and equal than "),
    (r"^its value must be (?:less|lesser|smaller) than ", "its value must be greater and equal than "),
    (r"^(it|they) must not (contain|have) ", r"\1 must \2 "),
    (r"^(it|they) must (contain|have) ", r"\1 must not \2 "),
    (r"^its value must not (match|be|contain) ", r"its value must \1 "),
    (r"^its value must (match|be|contain) ", r"its value must not \1 "),
    (r"^(all of )?its values must not match ", r"\1its values must match "),
    (r"^(all of )?its values must match ", r"\1its values must not match "),
)


@dataclass(frozen=True)
class Mutant:
    guardrail: str
    id: str  # <guardrail>~m<n>
    change: str  # what was changed, with the original step's line
    scenario: tuple[str, ...]  # the mutated scenario's lines (tags, title, steps)


@dataclass(frozen=True)
class MutantOutcome:
    mutant: Mutant
    caught: bool
    by: str = ""  # the fixture that disagreed, and how

    def line(self) -> str:
        verdict = f"caught by {self.by}" if self.caught else "SURVIVED: no fixture disagrees"
        return f"{self.mutant.id}: {self.mutant.change}: {verdict}"


@dataclass(frozen=True)
class MutationReport:
    outcomes: tuple[MutantOutcome, ...]
    skipped: tuple[str, ...]  # guardrails not mutated, and why
    seconds: float = 0.0

    @property
    def survivors(self) -> tuple[MutantOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.caught)

    @property
    def passed(self) -> bool:
        return not self.survivors


def _steps(lines: Sequence[str]) -> list[tuple[int, str, str]]:
    """(index in lines, kind Given|When|Then, sentence) of each step; And/But take the kind before them."""
    out, kind = [], "Given"
    for i, line in enumerate(lines):
        m = STEP_RE.match(line)
        if not m:
            continue
        word = m.group(1)
        if word in ("Given", "When", "Then"):
            kind = word
        out.append((i, kind, line.strip()[len(word):].strip()))
    return out


def _negate(sentence: str) -> str | None:
    for pattern, repl in NEGATIONS:
        if re.match(pattern, sentence):
            return re.sub(pattern, repl, sentence, count=1)
    return None


def _scenario_lines(ff: FeatureFile, gid: str) -> list[str]:
    first, last = ff.spans[gid]
    return [ff.lines[no - 1] for no in range(first, last + 1) if no not in ff.description_lines
            and ff.lines[no - 1].strip() and not ff.lines[no - 1].strip().startswith("#")]


def mutants_of(gset: GuardrailSet, gid: str, step_exists: Callable[[str], bool]) -> list[Mutant]:
    ff = next(f for f in gset.files if gid in f.spans)
    lines = _scenario_lines(ff, gid)
    steps = _steps(lines)
    variants: list[tuple[str, list[str]]] = []
    for i, kind, sentence in steps:
        if kind == "When":
            variants.append((f"dropped `{lines[i].strip()}`", lines[:i] + lines[i + 1:]))
    thens = [s for s in steps if s[1] == "Then"]
    if thens:
        i, _, sentence = thens[-1]
        negated = _negate(sentence)
        if negated is not None and step_exists(f"Then {negated}"):
            keyword = lines[i].strip().split()[0]
            indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
            variants.append((f"negated `{lines[i].strip()}`", lines[:i] + [f"{indent}{keyword} {negated}"] + lines[i + 1:]))
        else:
            variants.append((f"dropped `{lines[i].strip()}`", lines[:i] + lines[i + 1:]))
    out = []
    for n, (change, body) in enumerate(variants, start=1):
        mid = f"{gid}~m{n}"
        body = [re.sub(rf"@id:{re.escape(gid)}(?=\s|$)", f"@id:{mid}", ln) for ln in body]
        # radish refuses two scenarios of one feature with the same name
        body = [re.sub(r"^(\s*Scenario[^:]*:.*)$", rf"\1 (mutant {n})", ln, count=1) for ln in body]
        out.append(Mutant(gid, mid, change, tuple(body)))
    return out


def _header(ff: FeatureFile) -> list[str]:
    """The feature's own lines before its first scenario: the Feature line and any Background."""
    first = min(start for start, _ in ff.spans.values())
    return [ff.lines[no - 1] for no in range(1, first) if no not in ff.description_lines]


def _engine_step_matcher() -> Callable[[str], bool]:
    from radish.matcher import match_step

    from runner.engine.steps import engine_steps

    steps = engine_steps()

    def exists(sentence: str) -> bool:
        match = match_step(sentence, steps)
        return bool(match and match.func)

    return exists


def _first_disagreement(outcomes: Sequence[FixtureOutcome]) -> str:
    for o in outcomes:
        if o.problem:
            return f"{o.fixture} ({o.problem})"
    return ""


def run_mutation_check(gset: GuardrailSet, fixtures_dir: str | Path, engine: Engine,
                       only: Sequence[str] | None = None,
                       step_exists: Callable[[str], bool] | None = None) -> MutationReport:
    """Mutate each selected guardrail whose own self-test passes, and judge every mutant on its fixtures."""
    started = time.monotonic()
    exists = step_exists or _engine_step_matcher()
    root = Path(fixtures_dir)
    outcomes: list[MutantOutcome] = []
    skipped: list[str] = []
    for g in gset.select(only):
        fx = load_fixtures(root / g.id, g.id)
        if fx.problems or fx.load_errors or not fx.targets:
            skipped.append(f"{g.id}: its fixtures are incomplete (run `tfguard test --only {g.id}`)")
            continue
        mutants = mutants_of(gset, g.id, exists)
        if not mutants:
            skipped.append(f"{g.id}: no When filter and no Then step to mutate")
            continue
        ff = next(f for f in gset.files if g.id in f.spans)
        with tempfile.TemporaryDirectory(prefix="tfguard-mutants-") as tmp:
            text = _header(ff) + [""]
            for m in mutants:
                text += [*m.scenario, ""]
            (Path(tmp) / Path(ff.relpath).name).write_text("\n".join(text), encoding="utf-8")
            mset = load_guardrails(tmp)
            run = evaluate(mset, fx.targets, engine, only=[m.id for m in mutants], mode=Mode.TEST)
        for m in mutants:
            by = _first_disagreement(judge_run(fx, run.results, m.id))
            outcomes.append(MutantOutcome(m, bool(by), by))
    return MutationReport(tuple(outcomes), tuple(skipped), time.monotonic() - started)

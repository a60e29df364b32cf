"""Which step sentences the engine implements, checked per guardrail before it runs.

radish refuses a whole run when one step matches no step definition, so one guardrail with a typo in
a step would turn every guardrail of the run into an error. Matching the steps here first (with the
engine's own parser, matcher and step registry) lets `evaluate` give that guardrail its own error,
naming the step, and run the others; `lint` reports the same problems."""

from __future__ import annotations

import contextlib
import functools
import io
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runner.errors import GuardrailError
from runner.guardrails.load import GuardrailSet, guardrail_by_location, write_engine_features

_STEPS_LOADED = False


@dataclass(frozen=True)
class UnknownStep:
    guardrail: str
    file: str  # relative to the features directory
    line: int
    sentence: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def message(self) -> str:
        return f"no terraform-compliance step matches {self.sentence!r} ({self.where})"


def engine_steps() -> dict[Any, Any]:
    """The engine's step registry, loaded once into this process (a forked engine child clears its own)."""
    global _STEPS_LOADED
    from runner.engine.inprocess import steps_dir, warm

    warm()
    from radish.loader import load_modules
    from radish.stepregistry import StepRegistry

    if not _STEPS_LOADED:
        with contextlib.redirect_stdout(io.StringIO()):
            load_modules(steps_dir())
        _STEPS_LOADED = True
    return StepRegistry().steps


def _matchers(steps: dict[Any, Any]) -> list[Callable[[str], Any]]:
    """One search per registered step pattern; a sentence is unknown exactly when none finds it, as with
    radish's `match_step` (the parse patterns compiled once, see patches.cached_parser)."""
    from radish.customtyperegistry import CustomTypeRegistry

    from runner.engine.patches import cached_parser

    out: list[Callable[[str], Any]] = []
    for pattern in steps:
        if isinstance(pattern, re.Pattern):
            out.append(pattern.search)
        else:
            parser = cached_parser(pattern, CustomTypeRegistry().custom_types)
            out.append(functools.partial(parser.search, evaluate_result=False))
    return out


def unknown_steps(gset: GuardrailSet, only: Iterable[str] | None = None) -> list[UnknownStep]:
    """Every step of the selected guardrails (their Background's included) that no engine step matches."""
    from radish.core import Core
    from radish.exceptions import RadishError

    matchers = _matchers(engine_steps())
    location = guardrail_by_location(gset)
    found: list[UnknownStep] = []
    with tempfile.TemporaryDirectory(prefix="tfguard-steps-") as tmp:
        write_engine_features(gset, tmp, only)
        for ff in gset.files:
            path = Path(tmp) / ff.relpath
            if not path.is_file():
                continue
            core = Core()
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    core.parse_features([str(path)], None)
            except RadishError as exc:  # the strict loader should have refused the file already
                text = str(exc).replace(str(path), ff.relpath).splitlines()[0]
                line = re.search(r"line (\d+)", text)
                raise GuardrailError(f"the engine cannot parse this file: {text}",
                                     where=f"{ff.relpath}:{line.group(1) if line else 1}") from None
            for feature in core.features:
                for scenario in feature.scenarios:
                    gid = location.get((ff.relpath, scenario.line))
                    if gid is None:
                        continue
                    runs = getattr(scenario, "scenarios", None) or [scenario]  # outline and loop instances
                    checked: set[int] = set()
                    for sub in runs:
                        for step in list(getattr(sub.background, "steps", []) or []) + list(sub.steps):
                            if step.line in checked:
                                continue
                            checked.add(step.line)
                            sentence = step.context_sensitive_sentence
                            if not any(search(sentence) for search in matchers):
                                found.append(UnknownStep(gid, ff.relpath, step.line, step.sentence))
    return found

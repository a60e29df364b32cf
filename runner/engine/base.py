"""What every engine takes and returns."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

RECORDER_DIR = str(Path(__file__).parent / "recorder")
FIXES_DIR = str(Path(__file__).parent / "fixes")  # tfguard's corrections of the engine (corrections.install_engine_fixes)


@dataclass(frozen=True)
class EvalJob:
    """Evaluate the cleaned features in `features_dir` against the one-line plan at `plan_path`."""

    key: str
    plan_path: str
    features_dir: str
    work_dir: str  # scratch space for this job: recorder output and engine log


@dataclass(frozen=True)
class ScenarioOutcome:
    file: str  # path relative to the features dir
    line: int
    name: str
    state: str  # radish: passed | failed | skipped | untested
    failures: tuple[dict[str, object], ...] = ()
    errors: tuple[str, ...] = ()
    reached: tuple[tuple[int, tuple[str, ...]], ...] = ()  # step line -> watched addresses the step was given
    # watched address -> attributes the engine has (one mapping shared by the evaluation's scenarios)
    engine_keys: Mapping[str, tuple[str, ...]] | tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class EvalOutput:
    key: str
    outcomes: tuple[ScenarioOutcome, ...] = ()
    complete: bool = False
    error: str = ""  # set when the engine run as a whole broke
    log: str = field(default="", repr=False)


class Engine(Protocol):
    name: str
    warnings: tuple[str, ...]  # said once per run, e.g. a fallback to another engine

    def evaluate(self, jobs: list[EvalJob]) -> list[EvalOutput]: ...


def verdict_sources() -> list[Path]:
    """The tfguard files, besides the recorder, whose content changes what the engine decides: its
    corrections of the engine and the data they read. The result cache keys on their digest."""
    here = Path(__file__).parent
    source = here.parent / "source"
    engine = [here / name for name in ("corrections.py", "companions.py", "defaults.py", "unknowns.py")]
    return sorted(Path(FIXES_DIR).glob("*.py")) + engine + [source / "defaults.py", source / "provider_v5.py",
                                                            source / "schema.py",
                                                            here.parent / "schemas" / "aws_taggable.json"]


def engine_fix_args() -> list[str]:
    """Load tfguard's corrections of the engine into a terraform-compliance or radish run."""
    return ["--basedir", FIXES_DIR]


def recorder_args(out_path: str) -> list[str]:
    return ["--basedir", RECORDER_DIR, f"--user-data=tfguard_out={out_path}"]


def fast_json_loads(data: bytes) -> Any:
    """json.loads of the engine's own files (its recording), with orjson where it can read them (3x faster
    on a large plan's recording); json.loads for anything orjson refuses (NaN, integers beyond 64 bits)."""
    import orjson

    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data.decode("utf-8"))


def read_recording(job: EvalJob, log: str, exit_note: str = "") -> EvalOutput:
    """Turn the recorder's file into outcomes; a missing or incomplete recording is an engine error."""
    path = Path(job.work_dir) / "outcome.json"
    try:
        data = fast_json_loads(path.read_bytes())
    except (OSError, ValueError):
        return EvalOutput(job.key, error=_engine_failure(log, exit_note), log=log)
    features_root = os.path.realpath(job.features_dir)
    outcomes = []
    engine_keys = {a: tuple(keys) for a, keys in (data.get("engine_keys") or {}).items()}
    for sc in data.get("scenarios", []):
        rel = os.path.relpath(os.path.realpath(sc["path"]), features_root)
        outcomes.append(
            ScenarioOutcome(
                file=Path(rel).as_posix(),
                line=int(sc["line"]),
                name=sc.get("name", ""),
                state=sc.get("state", ""),
                failures=tuple(sc.get("failures", ())),
                errors=tuple(sc.get("errors", ())),
                reached=tuple((int(line), tuple(addrs)) for line, addrs in (sc.get("reached") or {}).items()),
                engine_keys=engine_keys,
            )
        )
    complete = bool(data.get("complete"))
    error = "" if complete else _engine_failure(log, exit_note)
    return EvalOutput(job.key, tuple(outcomes), complete, error, log)


def _engine_failure(log: str, exit_note: str) -> str:
    from runner.engine.messages import strip_ansi

    lines = [ln.strip() for ln in strip_ansi(log).splitlines() if ln.strip()]
    for ln in lines:
        if "ERROR" in ln or "Error" in ln or "FATAL" in ln:
            return ln[:400]
    tail = lines[-1][:400] if lines else "no output"
    return f"terraform-compliance stopped before finishing ({exit_note or 'no result'}): {tail}"

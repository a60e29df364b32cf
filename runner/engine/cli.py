"""The naive engine: one `terraform-compliance` CLI process per evaluation (with the tfguard recorder)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from runner.engine.base import EvalJob, EvalOutput, engine_fix_args, read_recording, recorder_args
from runner.errors import EngineError

TIMEOUT_S = 600


def terraform_compliance_exe() -> str:
    beside = Path(sys.executable).parent / "terraform-compliance"
    exe = str(beside) if beside.exists() else shutil.which("terraform-compliance")
    if not exe:
        raise EngineError("terraform-compliance is not installed", hint="pip install terraform-compliance")
    return exe


def cli_command(plan_path: str, features_dir: str) -> list[str]:
    """terraform-compliance as people run it, with tfguard's corrections of the engine loaded."""
    return [terraform_compliance_exe(), "-p", plan_path, "-f", features_dir, *engine_fix_args()]


class CliEngine:
    name = "cli"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or 1
        self.warnings: tuple[str, ...] = ()

    def evaluate(self, jobs: list[EvalJob]) -> list[EvalOutput]:
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            return list(pool.map(self._run, jobs))

    def _run(self, job: EvalJob) -> EvalOutput:
        out_path = str(Path(job.work_dir) / "outcome.json")
        cmd = cli_command(job.plan_path, job.features_dir) + recorder_args(out_path)
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("TFC_ERROR", None)
        try:
            proc = subprocess.run(
                cmd, capture_output=True, text=True, timeout=TIMEOUT_S, env=env, stdin=subprocess.DEVNULL
            )
        except subprocess.TimeoutExpired:
            return EvalOutput(job.key, error=f"terraform-compliance timed out after {TIMEOUT_S} s")
        log = proc.stdout + proc.stderr
        (Path(job.work_dir) / "engine.log").write_text(log, encoding="utf-8")
        return read_recording(job, log, f"exit {proc.returncode}")

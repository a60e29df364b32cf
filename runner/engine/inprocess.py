"""The fast engine: terraform-compliance and radish are imported once; each evaluation runs in a forked
child of this warm process, so evaluations are isolated (radish keeps global registries) and start-up
is paid once. At most `workers` children run at a time (default: the machine's cores)."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import time
from pathlib import Path

from runner.engine.base import EvalJob, EvalOutput, read_recording, recorder_args

_WARM = False


def warm() -> None:
    """Import the engine once (it prints a banner and patches radish at import time)."""
    global _WARM
    if _WARM:
        return
    with contextlib.redirect_stdout(io.StringIO()):
        import radish.main  # noqa: F401
        import terraform_compliance.main  # noqa: F401
        import terraform_compliance.extensions.terraform  # noqa: F401
        import terraform_compliance.common.helper  # noqa: F401
    _WARM = True


def steps_dir() -> str:
    import terraform_compliance

    return str(Path(terraform_compliance.__file__).parent / "steps")


def _child(job: EvalJob) -> int:
    """Runs in the forked child: never returns to the caller's stack."""
    log = os.open(str(Path(job.work_dir) / "engine.log"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    try:
        from radish.main import main as call_radish
        from terraform_compliance.common.defaults import Defaults

        # the engine caches the parsed plan under fixed keys in one directory per process: give each
        # evaluation its own, or one workload would see another's resources
        Defaults.cache_dir = tempfile.mkdtemp(prefix="tfc-cache-", dir=job.work_dir)
        args = [
            "--write-steps-once",
            job.features_dir,
            "--basedir",
            steps_dir(),
            f"--user-data=plan_file={job.plan_path}",
            "--user-data=exit_on_failure=False",
            "--user-data=terraform_executable=None",
            "--user-data=no_failure=False",
            "--user-data=silence_mode_enabled=False",
            "--user-data=debugging_mode_enabled=False",
            *recorder_args(str(Path(job.work_dir) / "outcome.json")),
        ]
        code = call_radish(args=args)
        return int(code or 0) & 0x7F
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) else 3
    except BaseException as exc:  # noqa: BLE001 - reported through the log, read by the parent
        print(f"ERROR: engine crashed: {type(exc).__name__}: {exc}", flush=True)
        return 3


class InProcessEngine:
    name = "inprocess"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        warm()

    def evaluate(self, jobs: list[EvalJob]) -> list[EvalOutput]:
        results: dict[str, EvalOutput] = {}
        running: dict[int, EvalJob] = {}
        queue = list(jobs)
        while queue or running:
            while queue and len(running) < self.workers:
                job = queue.pop(0)
                running[self._spawn(job)] = job
            pid, status = os.waitpid(-1, 0)
            job = running.pop(pid, None)
            if job is None:
                continue
            results[job.key] = self._collect(job, status)
        return [results[j.key] for j in jobs]

    def _spawn(self, job: EvalJob) -> int:
        pid = os.fork()
        if pid == 0:  # child
            code = 3
            try:
                code = _child(job)
            finally:
                os._exit(code)
        return pid

    def _collect(self, job: EvalJob, status: int) -> EvalOutput:
        log_path = Path(job.work_dir) / "engine.log"
        log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
        if os.WIFSIGNALED(status):
            note = f"killed by signal {os.WTERMSIG(status)}"
        else:
            note = f"exit {os.WEXITSTATUS(status)}"
        for cache in Path(job.work_dir).glob("tfc-cache-*"):
            shutil.rmtree(cache, ignore_errors=True)
        return read_recording(job, log, note)


def _now() -> float:
    return time.monotonic()

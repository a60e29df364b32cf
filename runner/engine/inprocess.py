"""The fast engine: start-up is paid once, evaluations are isolated.

The tfguard process imports terraform-compliance and radish once (`warm`). For each set of jobs that
share a cleaned features directory, it forks a *zygote* that does everything radish does before running
a scenario — load the step definitions and the tfguard recorder, parse the feature files, match steps —
and then forks one child per plan from that prepared state, at most `workers` at a time (default: the
machine's cores). A child runs radish's Runner on the already-parsed features against its plan and
exits; radish's global registries and terraform-compliance's per-process plan cache never leak from one
evaluation into another, and the tfguard process itself never holds radish state."""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from runner.engine.base import EvalJob, EvalOutput, engine_fix_args, read_recording, recorder_args

_WARM: list[str] | None = None  # None: not warmed yet; else the patches' compatibility problems


def warm() -> list[str]:
    """Import the engine once (it prints a banner and patches radish at import time) and check that every
    patched target has the expected shape; returns the mismatches (empty: the patches apply)."""
    global _WARM
    if _WARM is not None:
        return _WARM
    from runner.engine import patches

    problems = patches.check_compatible()
    if problems:
        _WARM = problems
        return problems
    with contextlib.redirect_stdout(io.StringIO()):
        import radish.main  # noqa: F401
        import radish.runner  # noqa: F401
        import terraform_compliance.common.helper  # noqa: F401
        import terraform_compliance.extensions.terraform  # noqa: F401
        import terraform_compliance.main  # noqa: F401
    from runner.fs import cache_root

    patches.install(cache_root() / "engine")
    _WARM = []
    return _WARM


def steps_dir() -> str:
    import terraform_compliance

    return str(Path(terraform_compliance.__file__).parent / "steps")


def _redirect(path: Path) -> None:
    fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)


def _radish_args(features_dir: str, out_path: str) -> list[str]:
    return [
        "--write-steps-once",
        features_dir,
        "--basedir",
        steps_dir(),
        "--user-data=plan_file=",
        "--user-data=exit_on_failure=False",
        "--user-data=terraform_executable=None",
        "--user-data=no_failure=False",
        "--user-data=silence_mode_enabled=False",
        "--user-data=debugging_mode_enabled=False",
        *engine_fix_args(),
        *recorder_args(out_path),
    ]


class MemoryCache:
    """Stands in for terraform-compliance's per-process disk cache (diskcache on SQLite) inside one
    evaluation child: same semantics (add-if-absent, get returns a fresh copy), no database to open for
    every feature file. Each child evaluates one plan, so the cache never mixes plans."""

    def __init__(self) -> None:
        self.cache = _MEMORY

    def set(self, key: str, value: Any) -> bool:
        if key in _MEMORY:
            return False
        _MEMORY[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        return True

    def get(self, key: str) -> Any:
        blob = _MEMORY.get(key)
        return None if blob is None else pickle.loads(blob)

    def delete(self, key: str) -> None:
        del _MEMORY[key]

    def close(self) -> None:
        return None


_MEMORY: dict[str, bytes] = {}


def _prepare(features_dir: str) -> Any:
    """In the zygote: run radish's main up to (not including) running the features; return the core."""
    import uuid

    import radish.main as radish_main
    from radish.hookregistry import HookRegistry
    from radish.loader import load_modules
    from radish.matcher import merge_steps
    from radish.stepregistry import StepRegistry
    from radish.terrain import world
    from radish.utils import flattened_basedirs

    # the zygote is a fork: whatever the parent registered (lint loads the steps) must not be seen twice
    StepRegistry().clear()
    HookRegistry().reset()
    prepared: dict[str, Any] = {}

    def capture(core: Any) -> int:
        world.config.expand = True
        for basedir in flattened_basedirs(world.config.basedir):
            load_modules(basedir)
        merge_steps(core.features, StepRegistry().steps)
        if world.config.marker == "str(uuid.uuid4())":
            world.config.marker = str(uuid.uuid4())
        prepared["core"] = core
        return 0

    radish_main.run_features = capture
    import terraform_compliance.extensions.terraform as tfc_terraform

    tfc_terraform.Cache = MemoryCache
    code = radish_main.main(args=_radish_args(features_dir, os.devnull))
    if "core" not in prepared:
        raise RuntimeError(f"the engine could not load the features (exit {code})")
    _share_plan_parser(HookRegistry(), tfc_terraform.TerraformParser)
    return prepared["core"]


_PARSERS: dict[str, Any] = {}
_PARSER_CLASS: dict[str, Any] = {}  # terraform-compliance's TerraformParser, once _share_plan_parser found it


def _share_plan_parser(hooks: Any, parser_class: Any) -> None:
    """terraform-compliance parses the plan again before every feature file (its `load_terraform_data`
    hook); in a child that evaluates one plan, every feature gets the one parser instead — as all the
    scenarios of one feature file already share it in a plain run (the parity tests hold it to that)."""

    def shared_parser(plan_file: str) -> Any:
        if plan_file not in _PARSERS:
            _PARSERS[plan_file] = parser_class(plan_file)
        return _PARSERS[plan_file]

    for entry in hooks.hooks["each_feature"]["before"]:  # radish keeps (order, filter, function)
        func = entry[-1] if isinstance(entry, tuple) else entry
        if getattr(func, "__name__", "") == "load_terraform_data" and "TerraformParser" in func.__globals__:
            func.__globals__["TerraformParser"] = shared_parser
            _PARSER_CLASS["cls"] = parser_class
            return
    # not found (another engine version): every feature parses the plan again, as in a plain run


def _run_one(core: Any, job: EvalJob, features: Iterable[Any] | None = None, out_name: str = "outcome.json",
             preparsed: bool = False) -> int:
    """In a child of the zygote: evaluate the prepared features (or `features`, a shard of them) against
    one plan. `preparsed`: the parent already parsed this plan into _PARSERS (shared copy-on-write)."""
    from radish.hookregistry import HookRegistry
    from radish.runner import Runner
    from radish.terrain import world
    if not preparsed:
        _MEMORY.clear()  # the engine caches the parsed plan under fixed keys: never across plans
        _PARSERS.clear()
    world.config.user_data["plan_file"] = job.plan_path
    world.config.user_data["tfguard_out"] = str(Path(job.work_dir) / out_name)
    runner = Runner(HookRegistry(), early_exit=False)
    chosen = core.features_to_run if features is None else features
    if isinstance(chosen, PulledFeatures):
        return _run_pulled(runner, chosen, world.config.marker) & 0x7F
    return int(runner.start(chosen, marker=world.config.marker) or 0) & 0x7F


def _run_pulled(runner: Any, pulled: PulledFeatures, marker: str) -> int:
    """radish's Runner.start over feature files drawn from the queue. radish's `all` hooks read their
    model as a list (each hook's tag filter iterates it, and skips the hook for an empty one), so they are
    given the plan's feature files before the run, and those this shard ran after it."""
    from radish.terrain import world

    if runner._required_exit:  # as Runner.start's own guard
        return 1
    runner._hooks.call("before", "all", True, pulled.features, marker)
    code = 0
    try:
        for feature in pulled:
            if feature.has_to_run(world.config.scenarios):
                code |= int(runner.run_feature(feature) or 0)
    finally:
        runner._hooks.call("after", "all", False, pulled.taken or pulled.features, marker)
    return code


def largest_first(features: list[Any]) -> list[int]:
    """The feature files' indexes, most scenarios first (ties in file order): the order a work queue hands
    them out in, so that the long ones start early and the short ones fill the gaps at the end."""
    return sorted(range(len(features)), key=lambda i: -len(getattr(features[i], "scenarios", ()) or ()))


class PulledFeatures:
    """The feature files of one sharded plan, handed out one at a time through a pipe that every shard
    reads (os.read of 4 bytes from a pipe is atomic): a shard that drew short files takes more, so no
    worker idles while another still has a queue of its own. `taken`: those this shard drew."""

    def __init__(self, features: list[Any], fd: int) -> None:
        self.features, self.fd = features, fd
        self.taken: list[Any] = []

    def __iter__(self) -> Any:
        while True:
            chunk = os.read(self.fd, 4)
            if len(chunk) < 4:
                return
            feature = self.features[int.from_bytes(chunk, "big")]
            self.taken.append(feature)
            yield feature


def _queue(order: list[int]) -> tuple[int, int]:
    """A pipe holding the indexes, written whole before any shard reads (277 files are 1.1 KB; a pipe
    holds 64 KB): (read end, write end)."""
    read_fd, write_fd = os.pipe()
    data = b"".join(i.to_bytes(4, "big") for i in order)
    if len(data) > 60_000:
        raise ValueError("too many feature files for one queue")
    os.write(write_fd, data)
    return read_fd, write_fd


def _run_sharded(core: Any, job: EvalJob, shards: int) -> int:
    """In a child of the zygote: parse the plan once, then evaluate its feature files in `shards` forked
    grandchildren at once (they share the parsed plan copy-on-write, and draw the feature files from one
    queue) and merge their recordings into the one outcome.json the parent reads. One huge plan so uses
    every worker, with one parse."""
    _MEMORY.clear()
    _PARSERS.clear()
    features = list(core.features_to_run)
    shards = min(shards, len(features))
    parser_class = _PARSER_CLASS.get("cls")
    if shards < 2 or parser_class is None or len(features) > 15_000:
        return _run_one(core, job)
    try:
        _PARSERS[job.plan_path] = parser_class(job.plan_path)
    except BaseException:  # noqa: BLE001 - let the engine report it the way it always does
        _PARSERS.clear()
        _MEMORY.clear()
        return _run_one(core, job)
    work = Path(job.work_dir)
    read_fd, write_fd = _queue(largest_first(features))
    os.close(write_fd)  # every index is in the pipe: once it is empty, each shard reads end-of-file
    pids: dict[int, int] = {}
    for i in range(shards):
        pid = os.fork()
        if pid == 0:
            code = 3
            try:
                _redirect(work / f"engine-{i}.log")
                code = _run_one(core, job, PulledFeatures(features, read_fd), f"outcome-{i}.json", preparsed=True)
            except BaseException as exc:  # noqa: BLE001 - reported through the log
                print(f"ERROR: engine crashed: {type(exc).__name__}: {exc}", flush=True)
            finally:
                os._exit(code)
        pids[pid] = i
    os.close(read_fd)
    worst = 0
    while pids:
        pid, status = os.waitpid(-1, 0)
        if pids.pop(pid, None) is not None:
            worst = max(worst, os.WEXITSTATUS(status) if os.WIFEXITED(status) else 3)
    _merge_recordings(work, shards)
    return worst


def _merge_recordings(work: Path, count: int) -> None:
    """outcome-<i>.json of every shard -> outcome.json; complete only when every shard completed."""
    import orjson

    from runner.engine.base import fast_json_loads

    scenarios: list[Any] = []
    engine_keys: dict[str, Any] = {}
    complete = True
    for i in range(count):
        log = work / f"engine-{i}.log"
        if log.exists():
            print(log.read_text(encoding="utf-8", errors="replace"), end="", flush=True)
        try:
            data = fast_json_loads((work / f"outcome-{i}.json").read_bytes())
        except (OSError, ValueError):
            complete = False
            continue
        scenarios += data.get("scenarios", [])
        engine_keys.update(data.get("engine_keys") or {})
        complete = complete and bool(data.get("complete"))
    if complete:  # an incomplete merge writes nothing: the parent reads a missing recording as an error
        tmp = work / "outcome.json.tmp"
        tmp.write_bytes(orjson.dumps({"scenarios": scenarios, "engine_keys": engine_keys, "complete": True}))
        os.replace(tmp, work / "outcome.json")


def _fork_each(jobs: list[EvalJob], workers: int, body: Callable[[EvalJob], int],
               done: Callable[[EvalJob, int], None]) -> None:
    """Fork `body(job)` per job, `workers` at a time; call `done(job, wait_status)` as each ends."""
    running: dict[int, EvalJob] = {}
    queue = list(jobs)
    while queue or running:
        while queue and len(running) < workers:
            job = queue.pop(0)
            pid = os.fork()
            if pid == 0:
                code = 3
                try:
                    _redirect(Path(job.work_dir) / "engine.log")
                    code = body(job)
                except BaseException as exc:  # noqa: BLE001 - reported through the log, read by the parent
                    print(f"ERROR: engine crashed: {type(exc).__name__}: {exc}", flush=True)
                finally:
                    os._exit(code)
            running[pid] = job
        pid, status = os.waitpid(-1, 0)
        if pid in running:
            done(running.pop(pid), status)


def _zygote(features_dir: str, jobs: list[EvalJob], workers: int) -> int:
    log = Path(jobs[0].work_dir) / "zygote.log"
    _redirect(log)
    try:
        core = _prepare(features_dir)
    except BaseException as exc:  # noqa: BLE001
        text = log.read_text(errors="replace") + f"\nERROR: {exc}\n"
        for job in jobs:
            (Path(job.work_dir) / "engine.log").write_text(text)
        return 3
    shards = workers // len(jobs)  # fewer plans than workers: spread each plan's feature files
    if shards >= 2:
        _fork_each(jobs, len(jobs), lambda job: _run_sharded(core, job, shards), lambda job, status: None)
    else:
        _fork_each(jobs, workers, lambda job: _run_one(core, job), lambda job, status: None)
    return 0


def _exit_note(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit {os.WEXITSTATUS(status)}"


class InProcessEngine:
    name = "inprocess"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.warnings: tuple[str, ...] = ()

    def evaluate(self, jobs: list[EvalJob]) -> list[EvalOutput]:
        # only when there is something to evaluate: a warm-cache sweep never imports the engine
        problems = warm() if jobs else []
        if problems:
            from runner.engine.cli import CliEngine

            more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
            self.warnings = (f"the in-process engine's patches do not fit this installation ({problems[0]}{more}): "
                             "evaluating with the cli engine instead (install the pinned versions for speed)",)
            return CliEngine(self.workers).evaluate(jobs)
        groups: dict[str, list[EvalJob]] = {}
        for job in jobs:
            groups.setdefault(job.features_dir, []).append(job)
        results: dict[str, EvalOutput] = {}
        for features_dir, group in groups.items():
            notes: dict[str, str] = {}

            def zygote(_job: EvalJob, fd: str = features_dir, grp: list[EvalJob] = group) -> int:
                return _zygote(fd, grp, self.workers)

            def finished(_job: EvalJob, status: int, grp: list[EvalJob] = group) -> None:
                for j in grp:
                    notes[j.key] = _exit_note(status)

            # the zygote is forked like a job, with its log in the first job's work dir
            _fork_each([EvalJob("zygote", "", features_dir, group[0].work_dir)], 1, zygote, finished)
            for job in group:
                results[job.key] = self._collect(job, notes.get(job.key, ""))
        return [results[j.key] for j in jobs]

    def _collect(self, job: EvalJob, note: str) -> EvalOutput:
        log_path = Path(job.work_dir) / "engine.log"
        log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
        for cache in Path(job.work_dir).glob("tfc-cache-*"):
            shutil.rmtree(cache, ignore_errors=True)
        return read_recording(job, log, note)

"""Observation mode: every guardrail of a branch against every registered workload, and what differs
from mainline.

Which guardrails are new or changed is decided by guardrail id and content digest (tags and steps, see
runner.guardrails.load), not by file: moving a scenario to another file changes nothing, editing its steps
or tags does. Mainline's guardrails are read from the mainline commit through git, never from a
checkout. The observation is written next to results.json as observation.json; its digest covers the
results, the branch commit and the mainline commit, so promotion can tell it is acting on exactly what
was observed."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from runner import clock
from runner.config import Config, load_config
from runner.engine import Engine
from runner.engine.evaluation import Target, evaluate
from runner.errors import ConfigError, GitError, GuardrailError
from runner.git import GitCommandFailed, Repo, first_error, run
from runner.guardrails.load import GuardrailSet, load_guardrails
from runner.limits import DEFAULT, Limits
from runner.model import Mode, Result, RunResult, Status, Workload
from runner.readers import compiled, json_type, load_json
from runner.report.json import to_document
from runner.schemas import load_schema
from runner.workflow.ledger import Ledger
from runner.workloads.registry import WorkloadRegistry, load_registry
from runner.workloads.sources import resolve

OBSERVATION_FILE = "observation.json"
OBSERVATION_SCHEMA = "1.0"
Progress = Callable[[str, int, int], None]  # (what, done, total)


@dataclass(frozen=True)
class GuardrailChanges:
    new: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def differing(self) -> tuple[str, ...]:
        """The guardrails that promotion would activate: new or changed against mainline."""
        return self.new + self.changed


def compare(current: GuardrailSet, mainline: GuardrailSet | None) -> GuardrailChanges:
    base = {g.id: g.digest for g in mainline.guardrails} if mainline else {}
    new = tuple(g.id for g in current.guardrails if g.id not in base)
    changed = tuple(g.id for g in current.guardrails if g.id in base and base[g.id] != g.digest)
    removed = tuple(gid for gid in base if gid not in set(current.ids))
    return GuardrailChanges(new, changed, removed)


# --- git ------------------------------------------------------------------------------------------------


def open_repo(root: str | Path) -> Repo:
    return Repo.discover(root, search_parents=False,
                         why=" (observation compares the branch with mainline through git)")


def current_branch(repo: Repo) -> str:
    branch = repo.branch()
    if branch:
        return branch
    for var in ("GITHUB_HEAD_REF", "GITHUB_REF_NAME", "CI_COMMIT_REF_NAME", "CODEBUILD_WEBHOOK_HEAD_REF",
                "BRANCH_NAME"):
        value = os.environ.get(var, "")
        if value:
            return value.removeprefix("refs/heads/")
    return f"detached@{repo.head_sha()[:12]}"


def mainline_commit(repo: Repo, mainline: str, remote: str = "origin", fetch: bool = True) -> tuple[str, str]:
    """(ref, sha) of mainline: the remote's branch (fetched first) when the remote exists, else local."""
    if remote in repo.remotes():
        ref = f"refs/remotes/{remote}/{mainline}"
        if fetch:
            try:
                repo.git("fetch", "--quiet", "--no-tags", remote, f"+refs/heads/{mainline}:{ref}")
            except GitCommandFailed as exc:
                raise GitError(f"cannot fetch mainline {mainline!r}: {first_error(exc.stderr) or exc.message}",
                               where=remote) from None
    else:
        ref = f"refs/heads/{mainline}"
    sha = repo.resolve(ref)
    if sha is None:
        raise GitError(f"mainline branch {mainline!r} not found", where=ref,
                       hint="set observation.mainline in tfguard.yaml or pass --mainline")
    return ref, sha


def guardrails_at(repo: Repo, commit: str, features_rel: str) -> GuardrailSet | None:
    """The guardrails in `features_rel` of a commit, loaded from git objects; None when it has none."""
    prefix = "" if features_rel in ("", ".") else features_rel.strip("/") + "/"
    listing = repo.git("ls-tree", "-r", "-z", "--full-tree", commit, "--", prefix or ".")
    blobs = []
    for entry in listing.split("\0"):
        meta, _, path = entry.partition("\t")
        if path.endswith(".feature") and meta.split(" ")[1:2] == ["blob"] and path.startswith(prefix):
            blobs.append((meta.split(" ")[2], path[len(prefix):]))
    if not blobs:
        return None
    with tempfile.TemporaryDirectory(prefix="tfguard-mainline-") as tmp:
        for sha, rel in blobs:
            target = Path(tmp) / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(run(["cat-file", "blob", sha], cwd=repo.path, binary=True).stdout)
        try:
            return load_guardrails(tmp)
        except GuardrailError as exc:
            raise GuardrailError(f"mainline's guardrails do not load: {exc.message}",
                                 where=f"{commit[:12]}:{features_rel}") from None


# --- the observation record --------------------------------------------------------------------------


@dataclass(frozen=True)
class Observation:
    """observation.json: what was observed, where, and against which mainline."""

    branch: str
    commit: str
    mainline: str
    mainline_commit: str
    new: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    digests: dict[str, str] = field(default_factory=dict)  # differing guardrail -> content digest
    deadlines: dict[str, str] = field(default_factory=dict)  # differing guardrail -> deadline (ISO)
    today: str = ""
    created: str = ""
    features: str = "features"
    digest: str = ""  # sha256 over results + commits (see observation_digest)
    registry_problems: tuple[str, ...] = ()
    shard: str = ""  # "K/N" when this observation is one shard of a sweep (`observe --shard`)
    workloads: tuple[str, ...] = ()  # the workloads this observation evaluated

    @property
    def changes(self) -> GuardrailChanges:
        return GuardrailChanges(self.new, self.changed, self.removed)

    def to_document(self) -> dict[str, Any]:
        doc = asdict(self)
        return {"schema_version": OBSERVATION_SCHEMA, **{k: list(v) if isinstance(v, tuple) else v
                                                          for k, v in doc.items()}}

    @classmethod
    def from_document(cls, doc: dict[str, Any], where: str) -> Observation:
        if str(doc.get("schema_version", "")).split(".")[0] != OBSERVATION_SCHEMA.split(".")[0]:
            raise ConfigError(f"unsupported observation schema_version {doc.get('schema_version')!r}", where=where)
        try:
            fields = {k: v for k, v in doc.items() if k != "schema_version"}
            for key in ("new", "changed", "removed", "registry_problems", "workloads"):
                fields[key] = tuple(fields.get(key, ()))
            return cls(**fields)
        except TypeError as exc:
            raise ConfigError(f"malformed observation: {exc}", where=where) from None


def observation_digest(results_doc: dict[str, Any], commit: str, mainline_commit: str) -> str:
    body = {k: v for k, v in results_doc.items() if k != "created"}
    text = json.dumps({"results": body, "commit": commit, "mainline_commit": mainline_commit},
                      sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


# --- running an observation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ObserveOptions:
    features: str = "features"
    mainline: str | None = None
    remote: str = "origin"
    fetch: bool = True
    workloads: Sequence[str] | None = None
    branch: str | None = None
    terraform: str | None = None
    shard: tuple[int, int] | None = None  # (K, N): evaluate only the workloads of shard K of N
    limits: Limits | None = None  # default: tfguard.yaml `limits:` (docs/limits.md)


@dataclass(frozen=True)
class Outcome:
    run: RunResult
    observation: Observation
    registry: WorkloadRegistry


def _exclusion_filter(root: Path, config: Config, today: date) -> tuple[Any, dict[str, str]]:
    """The branch's exclusions as a result filter, and the workloads whose exclusions file is broken."""
    from runner.exclusions import registry as exclusions

    registry, problems = exclusions.read_registry(root, config)
    broken = {Path(p.file or p.where.split(",")[0]).stem: p.text() for p in problems if p.level == "error"}
    return exclusions.make_result_filter(registry, today), broken


def _targets(registry: WorkloadRegistry, root: Path, opts: ObserveOptions, broken_exclusions: dict[str, str],
             progress: Progress | None, limits: Limits = DEFAULT) -> list[Target]:
    from runner.workflow.sharding import in_shard

    workloads = [w for w in registry.select(opts.workloads) if in_shard(w.name, opts.shard)]
    targets: list[Target] = []
    for i, w in enumerate(workloads):
        if progress:
            progress(f"loading plan of {w.name}", i, len(workloads))
        if w.name in broken_exclusions:
            targets.append(Target(w, error=f"exclusions file is invalid: {broken_exclusions[w.name]}"))
            continue
        targets.append(resolve(w, root, terraform=opts.terraform, limits=limits))
    if progress:
        progress("plans loaded", len(workloads), len(workloads))
    if not opts.workloads:
        for name in (n for n in registry.broken if in_shard(n, opts.shard)):  # an error row, not a lost sweep
            why = "; ".join(p.line_text() for p in registry.errors if Path(p.file).stem == name) or "invalid"
            targets.append(Target(Workload(name=name, registry_file=f"{name}.yaml"),
                                  error=f"workload registry file is invalid: {why}"))
    return targets


def observe(root: str | Path, engine: Engine, opts: ObserveOptions | None = None,
            progress: Progress | None = None, config: Config | None = None, cache: Any = None) -> Outcome:
    """Evaluate the branch's guardrails against every workload, with the branch's exclusions."""
    opts = opts or ObserveOptions()
    root = Path(root)
    config = config or load_config(root)
    repo = open_repo(root)
    mainline = opts.mainline or config.observation.mainline
    _, main_sha = mainline_commit(repo, mainline, opts.remote, opts.fetch)
    gset = load_guardrails(root / opts.features)
    changes = compare(gset, guardrails_at(repo, main_sha, opts.features))
    today = clock.today()
    registry = load_registry(root)
    result_filter, broken = _exclusion_filter(root, config, today)
    targets = _targets(registry, root, opts, broken, progress, opts.limits or config.limits)
    if progress:
        progress(f"evaluating {len(gset.guardrails)} guardrails x {len(targets)} workloads", 0, 1)
    run = evaluate(gset, targets, engine, result_filter=result_filter, mode=Mode.OBSERVE, cache=cache)
    if progress:
        progress("evaluated", 1, 1)
    commit = repo.head_sha()
    branch = opts.branch or current_branch(repo)
    run = replace(run, changed_guardrails=changes.differing, created=clock.now_iso(),
                  rules_source={"branch": branch, "commit": commit, "mainline": mainline,
                                "mainline_commit": main_sha})
    differing = [gset.get(gid) for gid in changes.differing]
    obs = Observation(
        branch=branch, commit=commit, mainline=mainline, mainline_commit=main_sha,
        new=changes.new, changed=changes.changed, removed=changes.removed,
        digests={g.id: g.digest for g in differing},
        deadlines={g.id: g.deadline.isoformat() for g in differing if g.deadline},
        today=today.isoformat(), created=run.created, features=opts.features,
        digest=observation_digest(to_document(run), commit, main_sha),
        registry_problems=tuple(p.line_text() for p in registry.errors),
        shard=f"{opts.shard[0]}/{opts.shard[1]}" if opts.shard else "",
        workloads=tuple(w.workload for w in run.workloads),
    )
    return Outcome(run, obs, registry)


# --- reading it back -----------------------------------------------------------------------------------


def write_observation(obs: Observation, report_dir: str | Path) -> Path:
    path = Path(report_dir) / OBSERVATION_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(obs.to_document(), indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def load_observation(report_dir: str | Path, observation_file: str | Path | None = None,
                     repo_root: str | Path | None = None) -> tuple[Observation, RunResult]:
    """observation.json and results.json from a report directory, checked against each other.

    With a sharded sweep, results.json is `merge-results` of the shards and observation.json (or
    `observation_file`) any shard's; without any observation.json (merge-results writes none), the
    observation is rebuilt from results.json, which records the commits and the differing guardrails."""
    from runner.report.json import check_document, from_document

    folder = Path(report_dir)
    if not folder.is_dir():
        raise ConfigError("is not a directory" if folder.exists() else "no such directory", where=str(folder),
                          hint="give --from the report directory of `tfguard observe`")
    obs_path = Path(observation_file) if observation_file else folder / OBSERVATION_FILE
    res_path = folder / "results.json"
    res_doc = check_document(_read_json(res_path), str(res_path))
    if not os.path.lexists(obs_path) and observation_file is None:
        return observation_from_results(res_doc, str(res_path), repo_root), from_document(res_doc, str(res_path))
    obs_doc = _read_json(obs_path)
    problem = _observation_validator()(obs_doc)
    if problem:
        raise ConfigError(problem, where=str(obs_path))
    obs = Observation.from_document(obs_doc, str(obs_path))
    digest = observation_digest(res_doc, obs.commit, obs.mainline_commit)
    if digest != obs.digest:
        if not _merged_shards(obs, res_doc):
            raise ConfigError("results.json does not match observation.json (digest differs)", where=str(folder),
                              hint="run `tfguard observe` again")
        obs = replace(obs, digest=digest, shard="", workloads=tuple(w["name"] for w in res_doc["workloads"]))
    return obs, from_document(res_doc, str(res_path))


@cache
def _observation_validator() -> Callable[[Any], str | None]:
    return compiled(load_schema("observation"))


def _read_json(path: Path) -> dict[str, Any]:
    if not os.path.lexists(path):
        raise ConfigError("no observation here", where=str(path), hint="run `tfguard observe --report-dir DIR` first")
    doc = load_json(path)
    if not isinstance(doc, dict):
        raise ConfigError(f"top level: expected an object, got {json_type(doc)}", where=str(path))
    return doc


def observation_from_results(res_doc: dict[str, Any], where: str, repo_root: str | Path | None = None
                             ) -> Observation:
    """The observation recorded in an observe results.json (rules_source and changed_guardrails); new,
    changed and removed are told apart with mainline's guardrails when the repository is at hand."""
    source = res_doc.get("rules_source") or {}
    if res_doc.get("mode") != "observe" or not source.get("commit") or not source.get("mainline_commit"):
        raise ConfigError("not the results of `tfguard observe` (no branch and mainline commits)", where=where)
    differing = tuple(res_doc.get("changed_guardrails") or ())
    by_id = {g["id"]: g for g in res_doc.get("guardrails", [])}
    new: tuple[str, ...] = differing
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    if repo_root is not None:
        base = guardrails_at(open_repo(repo_root), source["mainline_commit"], "features")
        on_main = set(base.ids) if base else set()
        new = tuple(g for g in differing if g not in on_main)
        changed = tuple(g for g in differing if g in on_main)
        removed = tuple(g for g in (base.ids if base else ()) if g not in by_id)
    created = str(res_doc.get("created", ""))
    return Observation(
        branch=str(source.get("branch", "")), commit=source["commit"], mainline=str(source.get("mainline", "main")),
        mainline_commit=source["mainline_commit"], new=new, changed=changed, removed=removed,
        digests={g: by_id[g].get("digest", "") for g in differing if g in by_id},
        deadlines={g: by_id[g]["deadline"] for g in differing if g in by_id and by_id[g].get("deadline")},
        today=created[:10] or clock.today().isoformat(), created=created,
        digest=observation_digest(res_doc, source["commit"], source["mainline_commit"]),
        workloads=tuple(w["name"] for w in res_doc.get("workloads", [])),
    )


def _merged_shards(obs: Observation, res_doc: dict[str, Any]) -> bool:
    """results.json is `tfguard merge-results` of the sweep this shard's observation.json belongs to."""
    source = res_doc.get("rules_source") or {}
    names = {w.get("name") for w in res_doc.get("workloads", [])}
    return bool(obs.shard) and source.get("commit") == obs.commit and \
        source.get("mainline_commit") == obs.mainline_commit and \
        list(res_doc.get("changed_guardrails", [])) == list(obs.changes.differing) and set(obs.workloads) <= names


# --- what the observation says ---------------------------------------------------------------------------


def blocking(run: RunResult, ids: Sequence[str]) -> dict[str, list[Result]]:
    """Per workload, the results on `ids` that are not compliant (failed, unknown, or could not be evaluated)."""
    wanted = set(ids)
    out: dict[str, list[Result]] = {}
    for r in run.results:
        if r.guardrail_id in wanted and r.status.noncompliant:
            out.setdefault(r.workload, []).append(r)
    for w in run.workloads:  # a workload that did not run at all is never compliant
        if w.error and w.workload not in out and wanted:
            out[w.workload] = [Result(gid, w.workload, Status.ERROR, error=w.error) for gid in sorted(wanted)]
    return out


def record_observation(outcome: Outcome, config: Config) -> Callable[[Ledger], None]:
    """The ledger update for an observation: pending guardrails with first-observed dates and deadlines,
    guardrails this branch no longer changes withdrawn, and the status of every guardrail x workload."""
    run, obs = outcome.run, outcome.observation
    today = date.fromisoformat(obs.today)

    def update(ledger: Ledger) -> None:
        for gid in obs.changes.differing:
            tag = obs.deadlines.get(gid)
            ledger.observe_guardrail(gid, obs.digests[gid], today, obs.branch,
                                     date.fromisoformat(tag) if tag else None, config.observation.deadline_days)
        ledger.withdraw_missing(set(obs.changes.differing), obs.branch, today)
        ledger.mark_observed(today)
        for r in run.results:
            ledger.record_status(r.guardrail_id, r.workload, history_status(r), today)

    return update


def history_status(r: Result) -> str:
    """The status kept in the ledger's history: `excluded` when the result passes thanks to exclusions."""
    if r.status is Status.PASSED and r.excluded and not r.violations:
        return "excluded"
    return r.status.value


def deadline_of(ledger: Ledger, gid: str, obs: Observation, config: Config) -> date:
    """The guardrail's deadline: the @deadline tag, else the ledger's first observation + deadline_days."""
    if gid in obs.deadlines:
        return date.fromisoformat(obs.deadlines[gid])
    known = ledger.deadline(gid)
    if known:
        return known
    return date.fromordinal(date.fromisoformat(obs.today).toordinal() + config.observation.deadline_days)


__all__ = [
    "OBSERVATION_FILE", "GuardrailChanges", "Observation", "ObserveOptions", "Outcome", "blocking", "compare",
    "deadline_of", "guardrails_at", "load_observation", "mainline_commit", "observe", "record_observation",
    "write_observation",
]

"""The workload registry: `pipeline/workloads/<name>.yaml`, one file per workload.

Each file names the workload, its owners, where notifications go (apprise URLs, secrets only as
`${ENV_VAR}` references), where its plan comes from (`plan`, `plan_url`, `terraform` or `source`) and free
labels. The format is the JSON Schema in runner/schemas/workload.schema.json; semantic checks (name equals
file name, literal secrets, supported notification schemes, plan file present) come on top.

A broken file never hides the others: `load_registry` keeps every valid workload and lists the problems,
so an observation sweep can report the broken one as an error row and evaluate the rest."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from jsonschema import Draft202012Validator

from runner.config import load_config
from runner.errors import ConfigError, UsageError
from runner.model import Owner, Workload
from runner.problems import ERROR, Problem, key_path
from runner.workloads import secretrefs
from runner.yamlload import load_yaml

WORKLOADS_DIR = "pipeline/workloads"


def _problem(file: str, message: str, key: str = "", level: str = ERROR) -> Problem:
    """A problem of one workload file, at a key when there is one."""
    return Problem(level, f"{file}, key `{key}`" if key else file, message, file=file, key=key)


@dataclass(frozen=True)
class WorkloadRegistry:
    root: Path  # the compliance repository
    directory: Path
    workloads: tuple[Workload, ...]
    problems: tuple[Problem, ...] = ()
    broken: tuple[str, ...] = field(default=())  # names (file stems) of files that did not load

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(w.name for w in self.workloads)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level == "warning")

    def get(self, name: str) -> Workload:
        for w in self.workloads:
            if w.name == name:
                return w
        known = ", ".join(self.names) or "none"
        raise UsageError(f"unknown workload {name!r} (registered: {known})", where=str(self.directory))

    def select(self, names: Iterable[str] | None) -> tuple[Workload, ...]:
        if not names:
            return self.workloads
        return tuple(self.get(n) for n in names)

    def with_labels(self, selectors: Mapping[str, str]) -> tuple[Workload, ...]:
        return tuple(w for w in self.workloads if all(w.labels.get(k) == v for k, v in selectors.items()))


@cache
def schema() -> dict[str, Any]:
    """schemas/workload.schema.json with each plan source's fragment (runner.workloads.sources) added."""
    from runner.workloads import sources

    text = resources.files("runner").joinpath("schemas/workload.schema.json").read_text(encoding="utf-8")
    doc: dict[str, Any] = json.loads(text)
    doc["properties"].update(sources.schema_fragments())
    doc["oneOf"] = [{"required": [key]} for key in sources.KEYS]
    return doc


def schema_problems(data: Any, where: str) -> list[Problem]:
    if not isinstance(data, dict):
        return [_problem(where, "must be a mapping of workload settings")]
    problems = []
    from runner.workloads.sources import KEYS

    sources = [k for k in KEYS if k in data]
    if not sources:
        problems.append(_problem(where, f"no plan source: give one of {', '.join(f'`{k}`' for k in KEYS)}"))
    elif len(sources) > 1:
        problems.append(_problem(where, f"more than one plan source ({', '.join(sources)}); keep exactly one"))
    validator = Draft202012Validator(schema())
    for err in sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message)):
        if err.validator == "oneOf" and not err.absolute_path:
            continue  # reported above in plain words
        problems.append(_problem(where, err.message, key=key_path(err.absolute_path)))
    return problems


def supported_schemes() -> frozenset[str]:
    return _schemes()


@cache
def _schemes() -> frozenset[str]:
    try:
        from apprise.manager_plugins import NotificationManager

        return frozenset(s.lower() for s in NotificationManager().schemas())
    except ImportError:  # older apprise
        import apprise

        found: set[str] = set()
        for entry in apprise.Apprise().details()["schemas"]:
            found.update(entry.get("protocols") or ())
            found.update(entry.get("secure_protocols") or ())
        return frozenset(s.lower() for s in found)


def _plugin_arguments(scheme: str) -> tuple[frozenset[str], str] | None:
    """The query keys apprise's plugin for `scheme` reads, and the prefixes of its free-form keys
    (`+Header=`, `-param=`, `:field=`); None when the plugin cannot be asked."""
    try:
        from apprise.manager_plugins import NotificationManager

        plugin = NotificationManager()[scheme]
    except (ImportError, KeyError):
        return None
    known = frozenset(str(k).lower() for k in getattr(plugin, "template_args", {}) or {})
    prefixes = "".join(str(v.get("prefix", "")) for v in (getattr(plugin, "template_kwargs", {}) or {}).values())
    return known, prefixes


def dropped_query_problems(url: str, where: str, key: str) -> list[Problem]:
    """Query parameters that apprise silently drops for this service: a token there is never sent."""
    scheme = url.split("://", 1)[0].lower()
    found = _plugin_arguments(scheme)
    if found is None or "?" not in url:
        return []
    known, prefixes = found
    problems = []
    query = url.split("?", 1)[1].replace("+", "%2B")  # `+Header=` is apprise's, not a space
    for name, _value in parse_qsl(query, keep_blank_values=True):
        if not name or name.lower() in known or (prefixes and name[0] in prefixes):
            continue
        forms = " or ".join(f"`{p}{name}=`" for p in prefixes if p in "+-") or "a parameter it reads"
        secret = bool(secretrefs.SECRET_PARAM_RE.search(name))
        problems.append(_problem(where, f"apprise ignores the query parameter `{name}` of `{scheme}://`: it is never "
                                       f"sent{' (the credential does not arrive)' if secret else ''}; write {forms}",
                                key, level="error" if secret else "warning"))
    return problems


def notify_problems(urls: Iterable[str], where: str) -> list[Problem]:
    problems = []
    for i, url in enumerate(urls):
        key = f"notify[{i}]"
        scheme = url.split("://", 1)[0].lower()
        if scheme not in supported_schemes():
            problems.append(_problem(where, f"`{scheme}://` is not a notification service apprise knows", key))
        else:
            problems += dropped_query_problems(url, where, key)
        for message in secretrefs.find_literal_secrets(url):
            problems.append(_problem(where, f"{message}; put the secret in an environment variable and write "
                                           f"`${{VAR_NAME}}` instead", key))
    return problems


def _text_problems(data: dict[str, Any], where: str) -> list[Problem]:
    problems = []
    url = data.get("plan_url")
    if isinstance(url, str):
        problems += [_problem(where, f"{m}; use a `${{VAR}}` reference", "plan_url")
                     for m in secretrefs.find_literal_secrets(url)]
    for name, value in (data.get("plan_headers") or {}).items():
        if isinstance(value, str) and value.strip() and not secretrefs.refs(value):
            problems.append(_problem(where, "header value is literal; a credential must be a `${VAR}` reference",
                                    f"plan_headers.{name}", level="warning"))
    if data.get("plan_headers") and "plan_url" not in data:
        problems.append(_problem(where, "plan_headers only apply to plan_url", "plan_headers", level="warning"))
    return problems


def build_workload(data: dict[str, Any], where: str) -> Workload:
    """A validated mapping as a Workload record."""
    tf = data.get("terraform")
    src = data.get("source")
    source_dir = data.get("source_dir")
    if source_dir is None and src:
        source_dir = src["dir"]
    if source_dir is None and tf and _is_local(tf["repo"]):
        source_dir = str(Path(tf["repo"]) / tf.get("dir", "."))
    return Workload(
        name=data["name"],
        plan=data.get("plan"),
        owners=tuple(Owner(str(o["name"]), str(o["contact"])) for o in data.get("owners", ())),
        notify=tuple(data.get("notify") or ()),
        labels={str(k): str(v) for k, v in (data.get("labels") or {}).items()},
        source_dir=source_dir,
        plan_url=data.get("plan_url"),
        terraform=dict(tf) if tf else None,
        registry_file=where,
        description=str(data.get("description", "")),
        plan_headers=dict(data.get("plan_headers") or {}),
        source=dict(src) if src else None,
    )


def _is_local(repo: str) -> bool:
    return "://" not in repo and not repo.startswith("git@") and ":" not in repo.split("/", 1)[0]


def read_file(path: Path, where: str) -> Any:
    """One registry file through the bounded loader (runner.yamlload): ConfigError naming file:line."""
    return load_yaml(path, where).data


def check_workload(data: Any, where: str, stem: str, root: Path, default_targets: bool = False) -> list[Problem]:
    """Every problem of one registry file. `default_targets`: tfguard.yaml has `notify.default`, so a
    workload without `notify:` is still heard."""
    problems = schema_problems(data, where)
    if not isinstance(data, dict):
        return problems
    name = data.get("name")
    if isinstance(name, str) and name != stem:
        problems.append(_problem(where, f"name {name!r} differs from the file name; rename the file to "
                                       f"{name}.yaml or the workload to {stem!r}", "name"))
    if isinstance(data.get("notify"), list):
        problems += notify_problems([u for u in data["notify"] if isinstance(u, str)], where)
    problems += _text_problems(data, where)
    plan = data.get("plan")
    if isinstance(plan, str) and not (root / plan).is_file():
        problems.append(_problem(where, f"plan file {plan} does not exist (yet); observe will report an error "
                                       "row unless the pipeline provides it", "plan", level="warning"))
    src = data.get("source")
    if isinstance(src, dict) and isinstance(src.get("dir"), str) and not (root / src["dir"]).is_dir():
        problems.append(_problem(where, f"source directory {src['dir']} does not exist", "source.dir"))
    source_dir = data.get("source_dir")
    if isinstance(source_dir, str) and not (root / source_dir).is_dir():
        problems.append(_problem(where, f"source_dir {source_dir} does not exist; reports will locate findings at "
                                       "the plan file", "source_dir", level="warning"))
    if not data.get("notify") and not default_targets:
        problems.append(_problem(where, "no notification targets (and no notify.default in tfguard.yaml): owners "
                                       "will not hear about findings",
                                "notify", level="warning"))
    return problems


def load_registry(repo_root: str | Path = ".", directory: str | Path | None = None) -> WorkloadRegistry:
    """Every workload file under `<repo>/pipeline/workloads` (or `directory`), valid ones loaded."""
    root = Path(repo_root)
    folder = Path(directory) if directory else root / WORKLOADS_DIR
    if not folder.is_dir():
        raise ConfigError("workload registry directory not found", where=str(folder),
                          hint=f"create {WORKLOADS_DIR}/<name>.yaml files")
    workloads: list[Workload] = []
    problems: list[Problem] = []
    broken: list[str] = []
    seen: dict[str, str] = {}
    default_targets = _has_default_targets(root)
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        where = _display(path, root)
        if path.stem in seen:
            problems.append(_problem(where, f"workload {path.stem} is also defined in {seen[path.stem]}; keep one "
                                           "file"))
            continue
        seen[path.stem] = where
        try:
            data = read_file(path, where)
        except ConfigError as exc:
            problems.append(_problem(exc.where or where, exc.message))
            broken.append(path.stem)
            continue
        found = check_workload(data, where, path.stem, root, default_targets)
        problems += found
        if any(p.level == "error" for p in found):
            broken.append(path.stem)
            continue
        workloads.append(build_workload(data, where))
    return WorkloadRegistry(root, folder, tuple(workloads), tuple(problems), tuple(broken))


def registered_names(repo_root: str | Path) -> tuple[str, ...]:
    """The names the registry defines: one per `pipeline/workloads/<name>.yaml` file (a file that does not
    load still registers its name: it is the security team's to fix, not a reason to refuse the app)."""
    folder = Path(repo_root) / WORKLOADS_DIR
    if not folder.is_dir():
        return ()
    return tuple(sorted({p.stem for p in [*folder.glob("*.yaml"), *folder.glob("*.yml")] if p.is_file()}))


def check_registered(repo_root: str | Path, name: str, where: str) -> None:
    """Refuse a workload name the registry does not define, naming the close matches: a misspelt name would
    otherwise run with no exclusions and report under a name nobody owns, without a word."""
    known = registered_names(repo_root)
    if name in known:
        return
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    if close:
        found = f"did you mean {', '.join(repr(c) for c in close)}?"
    elif known:
        found = f"registered: {', '.join(known[:10])}{' ...' if len(known) > 10 else ''}"
    else:
        found = f"the compliance repository registers no workloads ({WORKLOADS_DIR}/ is empty or missing)"
    raise UsageError(f"workload {name!r} is not registered in {WORKLOADS_DIR}/; {found}", where=where,
                     hint="pass the registered name, or --workload-unregistered to run on purpose without one")


def _has_default_targets(root: Path) -> bool:
    """tfguard.yaml names `notify.default` targets (a broken tfguard.yaml is reported where it is used)."""
    try:
        notify = load_config(root).raw.get("notify")
    except ConfigError:
        return False
    return isinstance(notify, dict) and bool(notify.get("default"))


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def mail_recipients(workload: Workload) -> list[str]:
    """Owner contacts that are e-mail addresses (used for a mailto:// target without `to=`)."""
    return [o.contact for o in workload.owners if "@" in o.contact and " " not in o.contact.strip()]


def plan_source(workload: Workload) -> str:
    """A short, secret-free description of where the workload's plan comes from."""
    from runner.workloads.sources import describe

    return describe(workload)

"""Guardrails: parse feature files into Guardrail records and write the cleaned copy the engine reads."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from runner.errors import GuardrailError
from runner.model import Guardrail, Severity

STEP_RE = re.compile(r"^\s*(Given|When|Then|And|But|\*)(\s|$)")
SCENARIO_RE = re.compile(r"^\s*(Scenario Outline|Scenario Template|Scenario Loop|Scenario)\s*:\s*(.*)$")
FEATURE_RE = re.compile(r"^\s*Feature\s*:\s*(.*)$")
BACKGROUND_RE = re.compile(r"^\s*Background\s*:")
EXAMPLES_RE = re.compile(r"^\s*(Examples|Scenarios)\s*:")
GIVEN_TYPE_RE = re.compile(r"I have (.+?) (?:defined|configured)\s*$", re.IGNORECASE)
KNOWN_TAG_KEYS = ("id", "severity", "control", "deadline")
ENGINE_TAGS = ("noskip", "no-skip", "dontskip", "failonskip", "fail-on-skip", "warning", "no-failure",
               "no-fail", "info", "nofailure", "nofail", "dontfail", "case-sensitive", "case_sensitive",
               "casesensitive", "case-sensitivity")
ENGINE_TAG_PREFIXES = ("exclude_", "ignore_")


@dataclass(frozen=True)
class FeatureFile:
    """One parsed .feature file: its lines and, per guardrail, the lines that belong to it."""

    path: Path
    relpath: str
    lines: tuple[str, ...]
    description_lines: frozenset[int]  # 1-based lines the engine must not see
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # guardrail id -> (first, last) line


@dataclass(frozen=True)
class GuardrailSet:
    root: Path
    guardrails: tuple[Guardrail, ...]
    files: tuple[FeatureFile, ...]
    warnings: tuple[str, ...] = ()

    def get(self, gid: str) -> Guardrail:
        for g in self.guardrails:
            if g.id == gid:
                return g
        raise GuardrailError(f"unknown guardrail id {gid!r}", where=str(self.root))

    def select(self, ids: Iterable[str] | None) -> tuple[Guardrail, ...]:
        if ids is None:
            return self.guardrails
        return tuple(self.get(i) for i in ids)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.guardrails)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def derived_id(relpath: str, title: str) -> str:
    stem = slug(Path(relpath).stem)[:24]
    digest = hashlib.sha1(f"{relpath}\0{title}".encode()).hexdigest()[:6]
    return f"{stem}-{slug(title)[:40]}-{digest}".strip("-")


def parse_tags(line: str) -> list[str]:
    return [tok[1:] for tok in line.split() if tok.startswith("@") and len(tok) > 1]


def tag_values(tags: Iterable[str], key: str) -> list[str]:
    prefix = key + ":"
    return [t[len(prefix):] for t in tags if t.startswith(prefix)]


@dataclass
class _Scenario:
    title: str
    line: int
    tags: list[str]
    description: list[tuple[int, str]] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    last_line: int = 0


@dataclass
class _FileState:
    relpath: str
    feature_title: str = ""
    feature_tags: list[str] = field(default_factory=list)
    background: list[str] = field(default_factory=list)
    scenarios: list[_Scenario] = field(default_factory=list)
    description_lines: set[int] = field(default_factory=set)


def _parse_file(path: Path, relpath: str) -> tuple[_FileState, tuple[str, ...]]:
    try:
        lines = tuple(path.read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError) as exc:
        raise GuardrailError(f"cannot read feature file: {exc}", where=relpath) from None
    st = _FileState(relpath)
    pending: list[str] = []
    state = "head"  # head | feature | background | desc | steps | examples
    current: _Scenario | None = None
    for no, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if text.startswith("@") and state != "desc":
            pending += parse_tags(text)
            continue
        if m := FEATURE_RE.match(line):
            st.feature_title, st.feature_tags, pending, state = m.group(1).strip(), pending, [], "feature"
            continue
        if BACKGROUND_RE.match(line):
            state, current = "background", None
            continue
        if m := SCENARIO_RE.match(line):
            current = _Scenario(m.group(2).strip(), no, pending, last_line=no)
            st.scenarios.append(current)
            pending, state = [], "desc"
            continue
        if EXAMPLES_RE.match(line):
            state = "examples"
            if current is not None:
                current.last_line = no
            continue
        if STEP_RE.match(line):
            if state == "background":
                st.background.append(text)
            elif current is not None:
                current.steps.append(text)
                current.last_line = no
                state = "steps" if state == "desc" else state
            continue
        if state == "desc" and current is not None:
            current.description.append((no, line))
            st.description_lines.add(no)
            current.last_line = no
        elif current is not None and state in ("steps", "examples"):
            current.steps.append(text)  # tables and doc strings belong to the evaluation
            current.last_line = no
    return st, lines


def _split_description(desc: list[tuple[int, str]]) -> tuple[str, str]:
    described: list[str] = []
    remediation: list[str] = []
    in_rem = False
    for _, raw in desc:
        text = raw.strip()
        if text.lower().startswith("remediation:"):
            in_rem = True
            text = text.split(":", 1)[1].strip()
            if text:
                remediation.append(text)
            continue
        (remediation if in_rem else described).append(text)
    return " ".join(described).strip(), " ".join(remediation).strip()


def _build(st: _FileState, sc: _Scenario, warnings: list[str]) -> Guardrail:
    tags = list(dict.fromkeys(st.feature_tags + sc.tags))
    where = f"{st.relpath}:{sc.line}"
    ids = tag_values(sc.tags, "id")
    if len(ids) > 1:
        raise GuardrailError(f"scenario has {len(ids)} @id tags ({', '.join(ids)}); give it one", where=where)
    if ids:
        gid, derived = ids[0], False
    else:
        gid, derived = derived_id(st.relpath, sc.title), True
        warnings.append(f"{where}: scenario {sc.title!r} has no @id tag; using derived id {gid}")
    sev_values = tag_values(sc.tags, "severity") or tag_values(st.feature_tags, "severity")
    try:
        severity = Severity(sev_values[-1].lower()) if sev_values else Severity.MEDIUM
    except ValueError:
        raise GuardrailError(
            f"unknown severity {sev_values[-1]!r} (use low, medium, high or critical)", where=where
        ) from None
    deadline = None
    if dl := tag_values(tags, "deadline"):
        try:
            deadline = date.fromisoformat(dl[-1])
        except ValueError:
            raise GuardrailError(f"@deadline:{dl[-1]} is not a YYYY-MM-DD date", where=where) from None
    description, remediation = _split_description(sc.description)
    types = []
    for step in sc.steps:
        if m := GIVEN_TYPE_RE.search(step):
            types.append(m.group(1).strip())
    content = "\n".join(["tags:" + " ".join(sorted(tags)), *st.background, *sc.steps])
    return Guardrail(
        id=gid,
        title=sc.title,
        file=st.relpath,
        line=sc.line,
        severity=severity,
        controls=tuple(tag_values(tags, "control")),
        remediation=remediation,
        description=description,
        tags=tuple(tags),
        deadline=deadline,
        id_derived=derived,
        resource_types=tuple(dict.fromkeys(types)),
        digest=hashlib.sha256(content.encode()).hexdigest(),
        feature=st.feature_title,
    )


def feature_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.feature") if p.is_file())


def load_guardrails(features_dir: str | Path, unique_ids: bool = True) -> GuardrailSet:
    """Parse every .feature file under features_dir. With unique_ids=False (lint), a duplicate id is
    renamed `<id>#<n>` instead of raising, so every scenario can still be checked."""
    root = Path(features_dir)
    if not root.is_dir():
        raise GuardrailError("features directory not found", where=str(features_dir))
    files = feature_files(root)
    if not files:
        raise GuardrailError("no .feature files in the features directory", where=str(features_dir))
    warnings: list[str] = []
    guardrails: list[Guardrail] = []
    parsed: list[FeatureFile] = []
    seen: dict[str, str] = {}
    for path in files:
        relpath = path.relative_to(root).as_posix()
        st, lines = _parse_file(path, relpath)
        spans: dict[str, tuple[int, int]] = {}
        for sc in st.scenarios:
            g = _build(st, sc, warnings)
            if g.id in seen:
                if unique_ids:
                    raise GuardrailError(f"duplicate guardrail id {g.id} at {seen[g.id]} and {g.where}")
                g = replace(g, id=f"{g.id}#{sum(1 for k in seen if k.split('#')[0] == g.id)}")
            seen[g.id] = g.where
            guardrails.append(g)
            first = sc.line - sum(1 for _ in _tag_lines_above(lines, sc.line))
            spans[g.id] = (first, max(sc.last_line, sc.line))
        parsed.append(FeatureFile(path, relpath, lines, frozenset(st.description_lines), spans))
    if not guardrails:
        raise GuardrailError("no scenarios found in the feature files", where=str(features_dir))
    return GuardrailSet(root, tuple(guardrails), tuple(parsed), tuple(warnings))


def _tag_lines_above(lines: tuple[str, ...], line: int) -> Iterable[int]:
    no = line - 1
    while no >= 1 and lines[no - 1].strip().startswith("@"):
        yield no
        no -= 1


def write_engine_features(gset: GuardrailSet, dest: str | Path, only: Iterable[str] | None = None) -> int:
    """Write the cleaned copy the engine reads: description lines blanked, unselected scenarios blanked.

    Line numbers are kept, so engine outcomes map back to guardrails by (file, line). Returns how many
    guardrails were written."""
    wanted = set(only) if only is not None else None
    dest = Path(dest)
    written = 0
    for ff in gset.files:
        drop: set[int] = set(ff.description_lines)
        keep_ids = [gid for gid in ff.spans if wanted is None or gid in wanted]
        if not keep_ids:
            continue
        for gid, (first, last) in ff.spans.items():
            if gid not in keep_ids:
                drop.update(range(first, last + 1))
        out = ["" if no in drop else line for no, line in enumerate(ff.lines, start=1)]
        target = dest / ff.relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(out) + "\n", encoding="utf-8")
        written += len(keep_ids)
    return written


def guardrail_by_location(gset: GuardrailSet) -> dict[tuple[str, int], str]:
    return {(g.file, g.line): g.id for g in gset.guardrails}

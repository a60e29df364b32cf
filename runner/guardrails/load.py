"""Guardrails: parse feature files into Guardrail records and write the cleaned copy the engine reads.

The parser is strict, so that a guardrail is never lost without a word: every line of a feature file
must be what the engine's Gherkin (radish, English keywords) makes of it — a keyword line, a tag line,
a step, a table row, a doc string, a comment or description text where description is allowed. A line
that is none of these, a misspelt keyword (`Scenari:`), a step outside any scenario, tags that no
scenario follows, a scenario without steps, an outline without examples, a binary or unreadable file:
each is a GuardrailError naming file and line, before any engine runs."""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from runner.errors import GuardrailError
from runner.model import Guardrail, Severity
from runner.readers import read_bytes

STEP_RE = re.compile(r"^\s*(Given|When|Then|And|But|\*)(\s|$)")
SCENARIO_RE = re.compile(r"^\s*(Scenario Outline|Scenario Loop \d+|Scenario)\s*:\s*(.*)$")
FEATURE_RE = re.compile(r"^\s*Feature\s*:\s*(.*)$")
BACKGROUND_RE = re.compile(r"^\s*Background\s*:")
EXAMPLES_RE = re.compile(r"^\s*Examples\s*:")
KEYWORD_HEAD_RE = re.compile(r"^\s*([A-Za-z][A-Za-z ]{0,30}?)\s*\d*\s*:")
HEADING_KEYWORDS = ("Feature", "Background", "Scenario", "Scenario Outline", "Scenario Loop")
NEWLINE_RE = re.compile(r"\r\n|\r|\n")  # as the engine reads a file (universal newlines), nothing more
GIVEN_TYPE_RE = re.compile(r"I have (.+?) (?:defined|configured)\s*$", re.IGNORECASE)
KNOWN_TAG_KEYS = ("id", "severity", "control", "deadline")
FEATURE_SIZE = 8 * 1024 * 1024  # bytes of one feature file (docs/limits.md)
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
    keyword: str = "Scenario"
    rows: int = 0  # examples rows (header included) of an outline


@dataclass
class _FileState:
    relpath: str
    feature_title: str = ""
    feature_tags: list[str] = field(default_factory=list)
    background: list[str] = field(default_factory=list)
    scenarios: list[_Scenario] = field(default_factory=list)
    description_lines: set[int] = field(default_factory=set)


def _read_lines(path: Path, relpath: str) -> tuple[str, ...]:
    """The file's lines as the engine will read them; anything that is not UTF-8 text is an error."""
    if not path.is_file():
        what = "a broken symbolic link" if path.is_symlink() else "not a regular file"
        raise GuardrailError(f"{what} named *.feature", where=relpath, hint="remove it or make it a feature file")
    data = read_bytes(path, FEATURE_SIZE, relpath, GuardrailError, "feature file")
    if b"\0" in data:
        line = data[:data.index(b"\0")].count(b"\n") + 1
        raise GuardrailError("binary content (a NUL byte): not a feature file", where=f"{relpath}:{line}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise GuardrailError("not UTF-8 text", where=f"{relpath}:{line}", hint="save the file as UTF-8") from None
    lines = NEWLINE_RE.split(text.removeprefix("\ufeff"))
    if lines and lines[-1] == "":
        lines.pop()
    return tuple(lines)


def _keyword_typo(line: str, keywords: tuple[str, ...] = HEADING_KEYWORDS) -> str | None:
    """`Scenari:` or `Scenario Template:` where description text is allowed: a heading the engine will not
    read, which would silently turn a guardrail into description (or give its steps to another)."""
    m = KEYWORD_HEAD_RE.match(line)
    if not m:
        return None
    head = m.group(1).strip()
    if head in HEADING_KEYWORDS or head == "Examples":
        return None
    if head.lower().startswith("scenario") or head.lower() in (k.lower() for k in keywords):
        close = difflib.get_close_matches(head.title(), keywords, n=1, cutoff=0.5)
    else:
        close = difflib.get_close_matches(head, keywords, n=1, cutoff=0.75)
    if not close:
        return None
    return f"`{head}:` is not a Gherkin keyword the engine reads (did you mean `{close[0]}:`?)"


class _Parser:
    """One file, line by line, as a small state machine mirroring the engine's parser (but strict)."""

    def __init__(self, relpath: str, lines: tuple[str, ...]) -> None:
        self.st = _FileState(relpath)
        self.lines = lines
        self.state = "head"  # head | feature | background | desc | steps | examples | rows | doc
        self.after_doc = ""
        self.current: _Scenario | None = None
        self.pending: list[str] = []
        self.pending_line = 0
        self.has_step = False  # the current scenario or background has a step (tables attach to it)
        self.columns = 0  # cells of the current examples table's header
        self.titles: dict[str, int] = {}

    def fail(self, no: int, message: str, hint: str | None = None) -> GuardrailError:
        return GuardrailError(f"Gherkin syntax error: {message}", where=f"{self.st.relpath}:{no}", hint=hint)

    def parse(self) -> _FileState:
        for no, line in enumerate(self.lines, start=1):
            self.line(no, line)
        self.finish(len(self.lines))
        return self.st

    def line(self, no: int, line: str) -> None:
        text = line.strip()
        if self.state == "doc":
            self.keep(no, text)
            if text.endswith('"""'):
                self.state = self.after_doc
            return
        if not text or text.startswith("#"):
            if (lang := re.match(r"^#\s*language\s*:\s*(\S+)", text)) and lang.group(1).lower() != "en":
                raise self.fail(no, f"# language: {lang.group(1)} is not supported; write English keywords")
            return
        if text.startswith("@"):
            self.end_scenario_part(no)
            if not self.pending:
                self.pending_line = no
            self.pending += parse_tags(text)
            return
        if self.pending and not (SCENARIO_RE.match(line) or FEATURE_RE.match(line)):
            typo = _keyword_typo(line)
            raise self.fail(no, f"the tags on line {self.pending_line} must be followed by a Scenario, not "
                                f"{text[:60]!r}" + (f"; {typo}" if typo else ""))
        if m := FEATURE_RE.match(line):
            if self.state != "head":
                raise self.fail(no, "a second `Feature:` (one Feature per file)")
            self.st.feature_title, self.st.feature_tags, self.pending, self.state = m.group(1).strip(), \
                self.pending, [], "feature"
            return
        if self.state == "head":
            raise self.fail(no, f"expected `Feature:` before anything else, found {text[:60]!r}")
        if BACKGROUND_RE.match(line):
            if self.state != "feature":
                raise self.fail(no, "`Background:` must come once, before the first Scenario")
            self.state, self.has_step = "background", False
            return
        if m := SCENARIO_RE.match(line):
            self.start_scenario(no, m.group(1), m.group(2).strip())
            return
        if EXAMPLES_RE.match(line):
            self.examples(no)
            return
        self.body(no, line, text)

    def start_scenario(self, no: int, keyword: str, title: str) -> None:
        self.end_scenario_part(no)
        self.check_complete()
        if title in self.titles:
            raise self.fail(no, f"a second scenario named {title!r} (also on line {self.titles[title]}); the "
                                "engine refuses duplicate names in one feature")
        self.titles[title] = no
        self.current = _Scenario(title, no, self.pending, last_line=no, keyword=keyword)
        self.st.scenarios.append(self.current)
        self.pending, self.state, self.has_step = [], "desc", False

    def examples(self, no: int) -> None:
        if self.current is None or self.state != "steps":
            raise self.fail(no, "`Examples:` must follow a Scenario Outline's steps (one block per outline)")
        if self.current.keyword != "Scenario Outline":
            raise self.fail(no, f"`Examples:` under a `{self.current.keyword}:`; only a Scenario Outline has "
                                "examples")
        self.state = "examples"
        self.keep(no, "Examples:")

    def body(self, no: int, line: str, text: str) -> None:
        if STEP_RE.match(line):
            if self.state == "feature":
                raise self.fail(no, "a step outside any scenario: is the `Scenario:` line above it misspelt?")
            if self.state in ("examples", "rows"):
                raise self.fail(no, "a step after `Examples:`; start a new Scenario")
            if self.state == "background":
                self.st.background.append(text)
            else:
                self.state = "steps"
                self.keep(no, text)
            self.has_step = True
            return
        if text.startswith("|"):
            if self.state in ("examples", "rows"):
                cells = len(re.split(r"(?<!\\)\|", text.strip())) - 2
                if self.state == "examples":
                    self.columns = cells
                elif cells != self.columns:  # radish would stop on it with the other guardrails of the file
                    raise self.fail(no, f"an examples row of {cells} cells under a header of {self.columns}")
                self.state = "rows"
                assert self.current is not None
                self.current.rows += 1
                self.keep(no, text)
                return
            if self.state in ("steps", "background") and self.has_step:
                self.keep(no, text) if self.state == "steps" else self.st.background.append(text)
                return
            raise self.fail(no, "a table row without a step above it")
        if text.startswith('"""') and self.state in ("steps", "background") and self.has_step:
            self.after_doc, self.state = self.state, "doc"
            self.keep(no, text)
            return
        if self.state in ("feature", "desc"):
            if typo := _keyword_typo(line):
                raise self.fail(no, typo)
            if self.state == "desc":
                assert self.current is not None
                self.current.description.append((no, line))
                self.st.description_lines.add(no)
                self.current.last_line = no
            return
        what = {"steps": "a step (Given/When/Then/And/But), a table row, a doc string, `Examples:` or the next "
                         "Scenario", "background": "a step, a table row or a doc string",
                "examples": "the examples' header row (| name | ... |)",
                "rows": "an examples row (| ... |) or the next Scenario"}[self.state]
        typo = _keyword_typo(line, (*HEADING_KEYWORDS, "Examples"))
        raise self.fail(no, f"expected {what}, found {text[:60]!r}" + (f"; {typo}" if typo else ""))

    def keep(self, no: int, text: str) -> None:
        if self.state == "background" or (self.state == "doc" and self.after_doc == "background"):
            self.st.background.append(text)
            return
        if self.current is not None:
            self.current.steps.append(text)
            self.current.last_line = no

    def end_scenario_part(self, no: int) -> None:
        """Tags or a new Scenario end a background or a scenario's steps."""
        if self.state == "background" and not self.has_step:
            raise self.fail(no, "`Background:` without steps")

    def check_complete(self) -> None:
        sc = self.current
        if sc is None:
            return
        if not self.has_step:
            raise self.fail(sc.line, f"scenario {sc.title!r} has no steps: it would never fail",
                            hint="is a `Given` line misspelt?")
        if sc.keyword == "Scenario Outline" and sc.rows < 2:
            raise self.fail(sc.line, f"scenario outline {sc.title!r} has no examples rows: it would never run")

    def finish(self, last: int) -> None:
        if self.state == "doc":
            raise self.fail(last, 'a doc string (""") is not closed')
        if self.pending:
            raise self.fail(self.pending_line, "tags that no Scenario follows")
        if self.state == "head":
            raise self.fail(max(last, 1), "no `Feature:` line: not a feature file")
        self.end_scenario_part(last)
        self.check_complete()


def _parse_file(path: Path, relpath: str) -> tuple[_FileState, tuple[str, ...]]:
    lines = _read_lines(path, relpath)
    return _Parser(relpath, lines).parse(), lines


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
    """Everything named *.feature: a directory, broken link or fifo of that name is refused by the loader,
    never skipped. Symlinked directories are read (their guardrails are not dropped), each once: a link
    that leads back to a directory already read is a loop, refused by name."""
    found: list[Path] = []
    seen: set[str] = set()
    pending = [root]
    while pending:
        folder = pending.pop()
        real = os.path.realpath(folder)
        if real in seen:
            raise GuardrailError("is a symbolic link loop (it leads back to a directory already read)",
                                 where=str(folder))
        seen.add(real)
        for entry in sorted(folder.iterdir()):
            if entry.name.endswith(".feature"):
                found.append(entry)
            elif entry.is_dir():
                pending.append(entry)
    return sorted(found)


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

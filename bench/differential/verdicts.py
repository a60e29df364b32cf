"""The comparison behind the differential bench: tfguard's and checkov's verdicts per (resource, shared
control), from their JSON outputs and the static plan. Pure functions over parsed JSON: nothing here runs
a tool, so tests/unit/test_differential.py feeds it small hand-written outputs.

Addresses. tfguard names a finding by its plan address, with instance keys:
`module.dataset["raw"].aws_s3_bucket.this`, `aws_instance.web[0]`. checkov 3.3.30 names a result by the
HCL address it rendered: with instance keys where it could expand `count` / `for_each`
(`aws_instance.web[0]`, `module.dataset["raw"].aws_s3_bucket.this`), without them where it did not (a
resource with `count = 0`, a `count` inside a nested module: `module.env["prod"].module.db.aws_db_instance.this`).
A checkov address matches a plan address segment by segment: same module names, type and name; a key
checkov gives must be equal, a key it leaves out matches any key (its verdict is then one for the whole
configuration block, applied to each of its instances). A checkov result that matches no plan instance
judges a resource that will not exist (`count = 0`, an empty `for_each`) or that the static plan could
not render; it is kept under checkov's address and counted as "not evaluated".

Subjects. A control is judged on its subject types (for example aws_s3_bucket). A result on a companion
resource (an aws_security_group_rule, an aws_s3_bucket_versioning) is credited to the subject it
references through one argument (security_group_id, bucket), read from the plan's `configuration`
within the same module instance: the plan is the one place where both tools' addresses meet.

Module calls. A control about the module block itself has the subject type MODULE: its subjects are the
plan's module call instances that are not local paths and create a resource (`module.a["x"]`,
`module.a.module.b`). A tfguard finding on a resource counts for the innermost module call containing it;
checkov names a call by its bare name after the instances it sits in (`a["x"]`, `module.a.b`), which
`module_call_address` writes the plan's way.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

FAIL, PASS, NONE = "fail", "pass", "none"
MODULE = "module"  # the subject type of a control about module blocks: the module call instances

BOTH_FAIL = "both fail"
BOTH_PASS = "both pass"
ONLY_TFGUARD = "only tfguard fails"
ONLY_CHECKOV = "only checkov fails"
NOT_EVALUATED = "not evaluated"
CATEGORIES = (BOTH_FAIL, BOTH_PASS, ONLY_TFGUARD, ONLY_CHECKOV, NOT_EVALUATED)
DISAGREEMENTS = (ONLY_TFGUARD, ONLY_CHECKOV)

# --------------------------------------------------------------------------- addresses


@dataclass(frozen=True)
class Segment:
    """One step of an address: a module call (`kind == "module"`) or the resource (`kind` is its type)."""

    kind: str
    name: str
    key: str | int | None = None  # None: no instance key written


_KEY = r'\[(?:"(?:[^"\\]|\\.)*"|-?\d+|\*)\]'
_STEP = re.compile(r"(?P<a>[A-Za-z_][\w-]*)\.(?P<b>[A-Za-z_][\w-]*)(?P<key>" + _KEY + r")?(?:\.|$)")


def parse_address(address: str) -> tuple[Segment, ...]:
    """`module.a["x"].aws_s3_bucket.b[0]` -> (module a "x", aws_s3_bucket b 0). Data sources keep `data.`
    in the type (`data.aws_iam_policy_document`). Raises ValueError on anything else."""
    segments = _parse_steps(address)
    if not segments or segments[-1].kind == MODULE:
        raise ValueError(f"not a resource address: {address!r}")
    return segments


def parse_subject(address: str) -> tuple[Segment, ...]:
    """A resource address, or the address of a module call instance (`module.a["x"].module.b`), the
    subject of a control about the module block itself. Raises ValueError on anything else."""
    segments = _parse_steps(address)
    if not segments:
        raise ValueError(f"not a resource or module address: {address!r}")
    return segments


def _parse_steps(address: str) -> tuple[Segment, ...]:
    segments: list[Segment] = []
    pos = 0
    data = False
    while pos < len(address):
        if address.startswith("data.", pos) and not data:
            data, pos = True, pos + 5
            continue
        m = _STEP.match(address, pos)
        if not m:
            raise ValueError(f"not a resource address: {address!r}")
        kind = ("data." if data else "") + m["a"]
        segments.append(Segment(kind, m["b"], _parse_key(m["key"])))
        pos = m.end()
        data = False
    if data:
        raise ValueError(f"not a resource address: {address!r}")
    return tuple(segments)


def _parse_key(text: str | None) -> str | int | None:
    if not text or text == "[*]":
        return None
    inner = text[1:-1]
    if inner.startswith('"'):
        return re.sub(r"\\(.)", r"\1", inner[1:-1])
    return int(inner)


def format_address(segments: Iterable[Segment]) -> str:
    parts = []
    for s in segments:
        key = "" if s.key is None else (f"[{s.key}]" if isinstance(s.key, int) else f'["{s.key}"]')
        parts.append(f"{s.kind}.{s.name}{key}")
    return ".".join(parts)


def config_address(address: str) -> str:
    """The address without instance keys: `module.a.aws_s3_bucket.b`."""
    return format_address(Segment(s.kind, s.name) for s in parse_address(address))


def resource_type(address: str) -> str:
    return parse_address(address)[-1].kind


def resource_type_safe(address: str) -> str:
    """The resource type of an address, or "" for anything that is not one (an empty finding address)."""
    try:
        return resource_type(address)
    except ValueError:
        return ""


def subject_type(address: str) -> str:
    """The resource type of a resource address, MODULE for a module call's; ValueError for anything else."""
    return parse_subject(address)[-1].kind


def module_of(address: str) -> str | None:
    """The innermost module call instance a resource address sits in (`module.a["x"].module.b`), or None
    for a resource of the root module (or anything that is not a resource address)."""
    try:
        segments = parse_address(address)
    except ValueError:
        return None
    return format_address(segments[:-1]) if len(segments) > 1 else None


def address_matches(pattern: str, address: str) -> bool:
    """Does checkov's address `pattern` name plan address `address`? Keys checkov omits match any key.
    Both may be resource addresses or module call addresses (never one of each)."""
    try:
        want, have = parse_subject(pattern), parse_subject(address)
    except ValueError:
        return False
    if len(want) != len(have):
        return False
    return all(w.kind == h.kind and w.name == h.name and (w.key is None or w.key == h.key) for w, h in zip(want, have))


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class PlanIndex:
    """What the comparison needs of a plan: its managed resource instances and, per configuration block,
    the references of each argument (to credit companions to their subject)."""

    instances: dict[str, str]  # instance address -> resource type, for every managed resource that will exist
    references: dict[str, dict[str, tuple[str, ...]]]  # config address -> argument -> references

    @classmethod
    def from_plan(cls, plan: Mapping[str, Any]) -> PlanIndex:
        instances = {
            rc["address"]: rc["type"]
            for rc in plan.get("resource_changes") or []
            if rc.get("mode", "managed") == "managed" and (rc.get("change") or {}).get("actions") != ["delete"]
        }
        references: dict[str, dict[str, tuple[str, ...]]] = {}
        sources: dict[str, str] = {}
        root = ((plan.get("configuration") or {}).get("root_module")) or {}
        _walk_config(root, "", references, sources)
        # every instance of a module call that is not a local path and creates a resource: the subjects of
        # a control about module blocks (a call with count = 0 creates nothing and is not in the plan)
        for address in list(instances):
            segments = parse_address(address)[:-1]
            for depth in range(1, len(segments) + 1):
                call = format_address(segments[:depth])
                if not _is_local(sources.get(config_address_of(call), "./")):
                    instances.setdefault(call, MODULE)
        return cls(instances, references)

    def matching(self, checkov_address: str) -> list[str]:
        return sorted(a for a in self.instances if address_matches(checkov_address, a))


def _walk_config(
    module: Mapping[str, Any], prefix: str, out: dict[str, dict[str, tuple[str, ...]]], sources: dict[str, str]
) -> None:
    for res in module.get("resources") or []:
        refs = {
            arg: tuple(expr.get("references") or ())
            for arg, expr in (res.get("expressions") or {}).items()
            if isinstance(expr, Mapping)
        }
        out[prefix + res["address"]] = refs
    for name, call in (module.get("module_calls") or {}).items():
        sources[f"{prefix}module.{name}"] = str(call.get("source") or "")
        _walk_config(call.get("module") or {}, f"{prefix}module.{name}.", out, sources)


def _is_local(source: str) -> bool:
    return source.startswith(("./", "../")) or source in (".", "..")


def config_address_of(address: str) -> str:
    """A resource or module call address without instance keys."""
    return format_address(Segment(s.kind, s.name) for s in parse_subject(address))


def subject_of(plan: PlanIndex, companion: str, argument: str, subject_types: Iterable[str]) -> str | None:
    """The subject instance that companion instance `companion` references through `argument`, within the
    same module instance; None when it references none of the plan's subjects, or cannot be told apart."""
    segs = parse_address(companion)
    module_prefix, own = segs[:-1], segs[-1]
    refs = plan.references.get(config_address(companion), {}).get(argument, ())
    types = set(subject_types)
    for ref in refs:
        target = _reference_target(ref, types)
        if target is None:
            continue
        kind, name, key = target
        candidates = [
            a for a in plan.instances if (s := parse_subject(a))[:-1] == module_prefix and s[-1].kind == kind and s[-1].name == name
        ]
        if key is not None:
            candidates = [a for a in candidates if parse_address(a)[-1].key == key]
        elif len(candidates) > 1 and ("each.key" in refs or "count.index" in refs):
            candidates = [a for a in candidates if parse_address(a)[-1].key == own.key]
        if len(candidates) == 1:
            return candidates[0]
    return None


def _reference_target(ref: str, types: set[str]) -> tuple[str, str, str | int | None] | None:
    m = re.match(r"(?P<type>[A-Za-z_][\w-]*)\.(?P<name>[A-Za-z_][\w-]*)(?P<key>" + _KEY + ")?", ref)
    if not m or m["type"] not in types:
        return None
    return m["type"], m["name"], _parse_key(m["key"])


# --------------------------------------------------------------------------- controls


@dataclass(frozen=True)
class Control:
    id: str
    title: str
    subjects: tuple[str, ...]
    tfguard: tuple[str, ...]
    checkov: tuple[str, ...]
    attach: Mapping[str, str] = field(default_factory=dict)  # companion type -> argument naming the subject

    @classmethod
    def from_mapping(cls, entry: Mapping[str, Any]) -> Control:
        return cls(
            id=entry["id"],
            title=entry.get("title", ""),
            subjects=tuple(entry["subjects"]),
            tfguard=tuple(entry["tfguard"]),
            checkov=tuple(entry["checkov"]),
            attach=dict(entry.get("attach") or {}),
        )

    def credit(self, plan: PlanIndex, address: str) -> str | None:
        """The subject a result on `address` counts for: itself, the subject a companion references, or None.
        For a control about module blocks, a result on a resource counts for the module call containing it."""
        try:
            kind = subject_type(address)
        except ValueError:
            return None
        if MODULE in self.subjects and kind != MODULE:
            return module_of(address)
        if kind in self.subjects:
            return address
        if kind in self.attach:
            return subject_of(plan, address, self.attach[kind], self.subjects)
        return None


def load_controls(mapping: Mapping[str, Any]) -> list[Control]:
    return [Control.from_mapping(entry) for entry in mapping["controls"]]


# --------------------------------------------------------------------------- verdicts


@dataclass(frozen=True)
class Verdict:
    value: str  # fail, pass or none
    detail: str


@dataclass(frozen=True)
class Row:
    root: str
    control: str
    subject: str
    tfguard: Verdict
    checkov: Verdict
    location: str = ""  # checkov's file:line for the subject, when it reported one

    @property
    def category(self) -> str:
        t, c = self.tfguard.value, self.checkov.value
        if NONE in (t, c):
            return NOT_EVALUATED
        if t == c:
            return BOTH_FAIL if t == FAIL else BOTH_PASS
        return ONLY_TFGUARD if t == FAIL else ONLY_CHECKOV


@dataclass(frozen=True)
class CheckovResult:
    check_id: str
    address: str
    result: str  # PASSED, FAILED, SKIPPED
    location: str


def checkov_results(report: Any) -> list[CheckovResult]:
    """The results of one `checkov -o json` run (a document, or a list of them, one per framework)."""
    docs = report if isinstance(report, list) else [report]
    out: list[CheckovResult] = []
    for doc in docs:
        if doc.get("check_type", "terraform") != "terraform":
            continue
        results = doc.get("results") or {}
        for bucket, result in (("passed_checks", "PASSED"), ("failed_checks", "FAILED"), ("skipped_checks", "SKIPPED")):
            for r in results.get(bucket) or []:
                lines = r.get("file_line_range") or [0, 0]
                address = r["resource"]
                if ".checks.module." in (r.get("check_class") or ""):
                    address = module_call_address(address)
                out.append(CheckovResult(r["check_id"], address, result, f"{r.get('file_path', '').lstrip('/')}:{lines[0]}"))
    return out


def module_call_address(checkov_name: str) -> str:
    """checkov names a module call by its bare name, after the module instances it sits in
    (`queue`, `envs["a"]`, `module.wrap[1].inner`): the plan writes `module.` before each call."""
    cut, depth, quoted = -1, 0, False
    for i, ch in enumerate(checkov_name):  # the last dot outside instance keys
        if quoted:
            quoted = ch != '"' or checkov_name[i - 1] == "\\"
        elif ch == '"':
            quoted = True
        elif ch in "[]":
            depth += 1 if ch == "[" else -1
        elif ch == "." and depth == 0:
            cut = i
    return f"{checkov_name[: cut + 1]}{MODULE}.{checkov_name[cut + 1 :]}"


def tfguard_results(report: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """guardrail id -> its result (status, findings) from a `tfguard check --format json` document."""
    return {r["guardrail"]: r for r in report.get("results") or []}


def compare_root(root: str, controls: Iterable[Control], plan: PlanIndex, tfguard: Mapping[str, Any], checkov: Any) -> list[Row]:
    """Every (subject, control) of one root with both tools' verdicts."""
    t_results = tfguard_results(tfguard)
    c_results = checkov_results(checkov)
    rows: list[Row] = []
    for control in controls:
        rows.extend(_compare_control(root, control, plan, t_results, c_results))
    return rows


def _compare_control(
    root: str, control: Control, plan: PlanIndex, t_results: Mapping[str, Mapping[str, Any]], c_results: list[CheckovResult]
) -> list[Row]:
    subjects = {a for a, kind in plan.instances.items() if kind in control.subjects}

    # tfguard: findings per subject, and the status of each guardrail of the control
    t_fail: dict[str, set[str]] = defaultdict(set)
    t_unknown: dict[str, set[str]] = defaultdict(set)
    statuses: dict[str, str] = {}
    unnamed: list[str] = []
    for gid in control.tfguard:
        result = t_results.get(gid)
        statuses[gid] = result["status"] if result else "missing"
        for finding in (result or {}).get("findings") or []:
            status = finding.get("status") or "violation"
            if status == "warning":
                continue  # a @warning guardrail reports without failing
            address = finding.get("address") or ""
            kind = resource_type_safe(address)
            if kind and kind not in control.subjects and kind not in control.attach and MODULE not in control.subjects:
                continue  # a type outside this control (the guardrail covers more types than checkov's checks)
            subject = control.credit(plan, address)
            if subject is None:
                unnamed.append(gid)  # no address, or a companion credited to no subject
            else:
                # violation or excluded (the bench applies no exclusions): a failure; any other status
                # (an explicit unknown, say) is no verdict, and never a pass
                (t_fail if status in ("violation", "excluded") else t_unknown)[subject].add(gid)
                subjects.add(subject)

    # checkov: results per subject, a result on an address outside the plan kept under its own address
    c_by_subject: dict[str, list[CheckovResult]] = defaultdict(list)
    outside: dict[str, str] = {}
    for r in c_results:
        if r.check_id not in control.checkov:
            continue
        try:
            kind = subject_type(r.address)
        except ValueError:
            continue
        if kind not in control.subjects and kind not in control.attach:
            continue
        matched = plan.matching(r.address)
        if not matched:
            c_by_subject[r.address].append(r)
            outside[r.address] = "not in the plan"
            continue
        credited = {control.credit(plan, a) for a in matched}
        for subject in credited:
            if subject is None:
                c_by_subject[f"{r.address} (not credited)"].append(r)
                outside[f"{r.address} (not credited)"] = "companion credited to no subject"
            else:
                c_by_subject[subject].append(r)

    rows = []
    for subject in sorted(subjects | set(c_by_subject)):
        if subject in outside:
            t = Verdict(NONE, f"tfguard: {outside[subject]}")
        else:
            t = _tfguard_verdict(control, t_fail.get(subject, set()), t_unknown.get(subject, set()), statuses, unnamed)
        c = _checkov_verdict(control, subject, c_by_subject.get(subject, []))
        location = next((r.location for r in c_by_subject.get(subject, []) if _kind_safe(r.address) in control.subjects), "")
        rows.append(Row(root, control.id, subject, t, c, location))
    return rows


def _kind_safe(address: str) -> str:
    try:
        return subject_type(address)
    except ValueError:
        return ""


def _tfguard_verdict(
    control: Control, failing: set[str], unknown: set[str], statuses: Mapping[str, str], unnamed: list[str]
) -> Verdict:
    if failing:
        return Verdict(FAIL, ", ".join(g for g in control.tfguard if g in failing) + " failed")
    if unknown:
        return Verdict(NONE, ", ".join(g for g in control.tfguard if g in unknown) + " reported it without a verdict")
    # a guardrail that is unknown only named other resources unknown (its findings say which): this
    # subject passed it, as one that failed on other resources did
    broken = [g for g in control.tfguard if statuses.get(g) not in ("passed", "failed", "unknown", "not-applicable")]
    if broken:
        return Verdict(NONE, ", ".join(f"{g} {statuses[g]}" for g in broken))
    if unnamed:
        return Verdict(NONE, ", ".join(sorted(set(unnamed))) + " failed naming no resource of the control")
    return Verdict(PASS, ", ".join(_passed_as(g, statuses[g]) for g in control.tfguard))


def _passed_as(gid: str, status: str) -> str:
    """How a guardrail that did not name the subject passed it: its own status, unless it failed on others."""
    if status in ("failed", "unknown"):
        return f"{gid} {status} on other resources"
    return f"{gid} {status}"


def _checkov_verdict(control: Control, subject: str, results: list[CheckovResult]) -> Verdict:
    """Any failed check fails the subject. A result checkov gave another address (a companion, or the
    configuration block without instance keys) is named with checkov's address."""
    by_result: dict[str, set[str]] = defaultdict(set)
    for r in results:
        by_result[r.result].add(r.check_id if r.address == subject else f"{r.check_id} on {r.address}")
    for result, value, word in (("FAILED", FAIL, "failed"), ("PASSED", PASS, "passed"), ("SKIPPED", NONE, "skipped")):
        if by_result.get(result):
            return Verdict(value, ", ".join(sorted(by_result[result])) + f" {word}")
    return Verdict(NONE, "no checkov result")


def address_matching(plan: PlanIndex, checkov: Any) -> Counter[str]:
    """How checkov's result addresses of one root met the plan: "exact" (the same instance address),
    "without instance keys" (one configuration block, matched to each of its instances), "not in the plan"."""
    counts: Counter[str] = Counter()
    for address in {r.address for r in checkov_results(checkov)}:
        matched = plan.matching(address)
        if not matched:
            counts["not in the plan"] += 1
        elif matched == [address]:
            counts["exact"] += 1
        else:
            counts["without instance keys"] += 1
    return counts


# --------------------------------------------------------------------------- tables and the corpus's intent


def confusion(rows: Iterable[Row]) -> dict[str, Counter[str]]:
    """control id -> category counts, plus "all"."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        table[row.control][row.category] += 1
        table["all"][row.category] += 1
    return table


TOOLS = ("tfguard", "checkov")


@dataclass(frozen=True)
class Expectation:
    """The right verdict of each tool on one (root, subject, control), by that tool's own definition of the
    control, as the corpus means it (expected.yaml). Every disagreement needs one; so does an agreement
    that hides a mistake (both tools pass a bucket whose encryption resource has count 0)."""

    root: str
    subject: str
    control: str
    verdicts: Mapping[str, tuple[str, ...]]  # tool -> accepted verdicts; a tool left out is not judged
    why: str
    wrong_now: Mapping[str, str] = field(default_factory=dict)  # tool -> why it is wrong today (and what fixes it)

    def key(self) -> tuple[str, str, str]:
        return self.root, self.subject, self.control


def load_expectations(entries: Iterable[Mapping[str, Any]]) -> list[Expectation]:
    out: list[Expectation] = []
    seen: set[tuple[str, str, str]] = set()
    for e in entries:
        where = f"{e.get('root')} {e.get('subject')} {e.get('control')}"
        verdicts = {}
        for tool in TOOLS:
            if tool in e:
                accepted = tuple(e[tool]) if isinstance(e[tool], list) else (e[tool],)
                if not accepted or not set(accepted) <= {FAIL, PASS, NONE}:
                    raise ValueError(f"expectation {where}: {tool} must be fail, pass or none (or a list of them)")
                verdicts[tool] = accepted
        if not verdicts or not e.get("why"):
            raise ValueError(f"expectation {where}: needs a verdict of at least one tool and a why")
        wrong_now = dict(e.get("wrong_now") or {})
        if set(wrong_now) - set(verdicts):
            raise ValueError(f"expectation {where}: wrong_now names a tool without an expected verdict")
        x = Expectation(e["root"], e["subject"], e["control"], verdicts, e["why"], wrong_now)
        if x.key() in seen:
            raise ValueError(f"expectation {where}: listed twice")
        seen.add(x.key())
        out.append(x)
    return out


@dataclass(frozen=True)
class Judgement:
    row: Row
    expectation: Expectation | None

    @property
    def wrong(self) -> tuple[str, ...]:
        """The tools whose verdict is not the expected one."""
        if self.expectation is None:
            return ()
        actual = {"tfguard": self.row.tfguard.value, "checkov": self.row.checkov.value}
        return tuple(t for t in TOOLS if t in self.expectation.verdicts and actual[t] not in self.expectation.verdicts[t])

    @property
    def unexpected(self) -> tuple[str, ...]:
        """Wrong, and not known to be wrong: a regression, or an expectation to correct."""
        known = self.expectation.wrong_now if self.expectation else {}
        return tuple(t for t in self.wrong if t not in known)

    @property
    def fixed(self) -> tuple[str, ...]:
        """Known to be wrong, and now right."""
        known = self.expectation.wrong_now if self.expectation else {}
        return tuple(t for t in known if t not in self.wrong)

    @property
    def disagreement(self) -> bool:
        return self.row.category in DISAGREEMENTS

    @property
    def cls(self) -> str:
        """tfguard wrong, checkov wrong, both wrong, defined differently (both right, by their own
        definitions, and still apart), right (agreement as expected), or unclassified."""
        if self.expectation is None:
            return "unclassified"
        wrong = self.wrong
        if len(wrong) == 2:
            return "both wrong"
        if wrong:
            return f"{wrong[0]} wrong"
        return "defined differently" if self.disagreement else "right"


def judge(rows: Iterable[Row], expectations: list[Expectation]) -> tuple[list[Judgement], list[Expectation]]:
    """A judgement for every disagreement and every row with an expectation; and the expectations that
    match no row (the corpus or the mapping changed)."""
    by_key = {x.key(): x for x in expectations}
    judged: list[Judgement] = []
    used: set[tuple[str, str, str]] = set()
    for row in rows:
        x = by_key.get((row.root, row.subject, row.control))
        if x is not None:
            used.add(x.key())
        if x is not None or row.category in DISAGREEMENTS:
            judged.append(Judgement(row, x))
    return judged, [x for x in expectations if x.key() not in used]


@dataclass(frozen=True)
class Problems:
    """What makes the bench exit 1: nothing may hide a regression, and no expectation may go stale."""

    unclassified: tuple[Judgement, ...]  # a disagreement without an expectation
    unexpected: tuple[Judgement, ...]  # a wrong verdict expected.yaml does not list: a regression
    fixed: tuple[Judgement, ...]  # a listed wrong_now that is right again: drop it, so that a relapse shows
    stale: tuple[Expectation, ...]  # an expectation that matches no pair

    @property
    def exit_code(self) -> int:
        return 1 if self.unclassified or self.unexpected or self.fixed or self.stale else 0

    def summary(self) -> str:
        return (f"{len(self.unclassified)} disagreement(s) without an expectation, {len(self.unexpected)} unexpected "
                f"wrong verdict(s), {len(self.fixed)} wrong_now right again, {len(self.stale)} stale expectation(s)")


def problems(judged: Iterable[Judgement], stale: Iterable[Expectation]) -> Problems:
    judged = list(judged)
    return Problems(tuple(j for j in judged if j.disagreement and j.expectation is None),
                    tuple(j for j in judged if j.unexpected), tuple(j for j in judged if j.fixed), tuple(stale))

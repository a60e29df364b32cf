"""Values known only after apply: which guardrail x resource verdicts cannot be given at plan time.

The engine reads a value that the plan marks known only after apply (`after_unknown`) as absent: a
guardrail that compares it ("storage_encrypted must be enabled", "its value must be required") either
fails the resource for a reason that is not true, or, behind a `When` filter, silently drops it and passes.
tfguard reports such a resource as *unknown* instead: never a pass, never "not applicable".

How it decides, per guardrail and resource:

1. `probes` reads the guardrail's steps: which attribute each step looks at, and whether it needs the
   attribute's *value* (comparisons, regexes, "must be enabled", value filters) or only whether the
   resource *has* it ("it must contain X", "When it has X", "its value must not be null", a `.*` regex).
2. The recorder reports which watched resources each step was given (a resource dropped by an earlier
   filter on known values never reaches the step that would need an unknown one).
3. For each step a resource reached, `judge` says: known, unknown, or unknown only if the engine failed it
   there (a configured value the engine could not see).
   - A value step on an attribute marked known after apply (itself, or a block it sits in when the
     attribute is not visible elsewhere) is unknown.
   - A presence step is judged from the configuration: an attribute the configuration sets is there,
     even if its value is not known yet; one inside a configured block whose content is unknown is
     unknown; one nobody set is absent for a `Then` (the guardrail asks you to set it) and unknown for a
     `When` filter only where AWS decides at apply time what it holds (runner.engine.defaults UNKNOWN).
   Unset attributes first get their meaning from runner.engine.defaults (the same normalisation the
   engine reads).
   - A value step comparing a block (`its X has "...'k': False" regex`) is unknown when an attribute it
     names is set and known only after apply inside it. Companions (runner.engine.companions) are part of
     the resource they attach to, as the engine reads them (not for "resource that supports X"); one whose
     pairing the plan does not decide makes the steps that read what it brings unknown.
4. A resource unknown at some step gets one unknown finding; the engine's failures of that resource at
   that step or later are replaced by it (they were judged on a value that is not known), failures at
   earlier steps stay.

Steps of Scenario Outlines (with <placeholders>) and steps tfguard does not recognise are not probed: they
are judged by the engine alone, as before."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from runner.engine.companions import Companions, Undecided, mount_views
from runner.engine.companions import true_keys as _true_keys
from runner.engine.defaults import (
    UNKNOWN,
    Normalised,
    config_for,
    config_resources,
    configured,
    normalise_plan,
    unset_meanings,
)

PRESENCE, VALUE = "presence", "value"
KNOWN, UNKNOWN_HERE, UNKNOWN_IF_FAILED = "known", "unknown", "unknown-if-failed"

_KEYWORD = re.compile(r"^\s*(Given|When|Then|And|But|\*)\s+")
# regexes that ask only whether there is a value: ".*", ".+", "^(?!None$).+" (the engine prints null as None)
_ANY_VALUE = r"\^?(?:\(\?!None\$\))?\.[*+]\$?"
_P = r"([^\s\"]+)"


@dataclass(frozen=True)
class Probe:
    """What one step of a guardrail looks at."""

    line: int
    attribute: str
    kind: str  # PRESENCE | VALUE
    phase: str  # "when" (a filter) | "then" (a requirement)
    context: tuple[str, ...] = ()  # attributes the steps before it went into ("it must contain X"), in order
    root: str = ""  # the attribute of "Given I have resource that supports X defined"
    negative: bool = False  # presence that must not be there ("it must not contain X", "must be null")
    top_level: bool = False  # "its X ...": the engine reads X at the top of the resource (or of the value
    # the steps went into), where "it contains X" and "X must be enabled" search at any depth
    mentions: frozenset[str] = frozenset()  # names in the step's quoted value (a regex on a block names keys)

    @cached_property
    def around(self) -> tuple[str, ...]:
        """The attributes this one may sit in: the `supports` attribute, then those the steps went into."""
        return tuple(a for a in (self.root, *self.context) if a and a != self.attribute)


@dataclass(frozen=True)
class Step:
    line: int
    keyword: str  # Given | When | Then (And / But take the keyword before them)
    text: str


def steps_of(lines: Sequence[str], first: int, last: int) -> list[Step]:
    """The steps in lines[first..last] (1-based, inclusive) with their effective keyword."""
    out: list[Step] = []
    keyword = "Given"
    for no in range(first, last + 1):
        m = _KEYWORD.match(lines[no - 1])
        if not m:
            continue
        word = m.group(1)
        if word in ("Given", "When", "Then"):
            keyword = word
        out.append(Step(no, keyword, lines[no - 1][m.end():].strip()))
    return out


# step text -> (attribute group or None for "the current attribute", kind); first match wins
_WHEN: list[tuple[re.Pattern[str], str | None, str]] = [
    (re.compile(rf"^its {_P} metadata "), "", ""),  # metadata (type, address, ...) is always known
    (re.compile(rf'^its {_P} (?:is|has|includes|contains) "{_ANY_VALUE}" regex$'), "1", PRESENCE),
    (re.compile(rf"^its {_P} {_P} (?:is|has|includes|contains|is not|has not|does not include|does not contain) "),
     "2", VALUE),
    (re.compile(rf"^its {_P} (?:is|has|includes|contains|is not|has not|does not include|does not contain) "), "1", VALUE),
    (re.compile(rf"^it (?:contain|contains|has|does not contain|doesnt contain|does not have|doesnt have) {_P}$"),
     "1", PRESENCE),
    (re.compile(rf"^they (?:have|do not have|dont have) {_P}$"), "1", PRESENCE),
]
_THEN: list[tuple[re.Pattern[str], str | None, str]] = [
    (re.compile(r'^it must have ".*" referenced$'), "", ""),
    (re.compile(r"^it \S+(?: \S+)? have \S+ protocol and port \S+ for \S+$"), "=ingress", VALUE),
    (re.compile(rf"^(?:it|they) must (?:not )?(?:contain|have) {_P}$"), "1", PRESENCE),
    (re.compile(r"^.+ (?:is|is be|must be) enabled$"), "enabled", VALUE),
    (re.compile(r"^its value \S+(?: \S+)? be null$"), None, PRESENCE),
    (re.compile(rf'^its value \S+(?: \S+)? match the "{_ANY_VALUE}" regex$'), None, PRESENCE),
    (re.compile(r"^(?:its value|its singular value|all of its values|any of its values) "), None, VALUE),
    (re.compile(r"^it must (?:not )?(?:be a subset of|be in|be a superset of|cover) "), None, VALUE),
    (re.compile(rf"^its {_P} (?:property |key )?\S+(?: \S+)? be "), "1", VALUE),
]
_ENABLED = re.compile(r"^(.+?) (?:is|is be|must be) enabled$")
_QUOTED = re.compile(r'"([^"]*)"')
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SUPPORTS = re.compile(r"^I have resource that supports (\S+) defined$")


def probes(steps: Iterable[Step]) -> list[Probe]:
    """What each recognised step looks at, in order (see the module docstring)."""
    out: list[Probe] = []
    context: list[str] = []
    root = ""
    current: str | None = None
    for step in steps:
        if "<" in step.text:  # an outline placeholder: the attribute is not known here
            return out
        if step.keyword == "Given":
            m = _SUPPORTS.match(step.text)
            root = m.group(1) if m else ""
            context = []
            current = root or None
            continue
        table = _WHEN if step.keyword == "When" else _THEN
        for pattern, group, kind in table:
            m = pattern.match(step.text)
            if not m:
                continue
            if not kind:
                break
            if group is None:
                attribute = current
            elif group == "enabled":
                attribute = _ENABLED.match(step.text).group(1)  # type: ignore[union-attr]
            elif group.startswith("="):
                attribute = group[1:]
            else:
                attribute = m.group(int(group))
            if attribute:
                negated = bool(re.search(r"\b(not|doesnt|dont)\b", step.text.split('"')[0]))
                negative = kind == PRESENCE and (negated != step.text.endswith(" be null"))
                top = step.text.startswith("its ") and not step.text.startswith(("its value ", "its singular value "))
                named = frozenset(_NAME.findall(" ".join(_QUOTED.findall(step.text)))) if kind == VALUE else frozenset()
                out.append(Probe(step.line, attribute, kind, step.keyword.lower(), tuple(context), root, negative, top,
                                 named))
                if kind == PRESENCE and group is not None and not negated:
                    current = attribute
                    context.append(attribute)
            break
    return out


# --- the plan's view ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResourceView:
    """One resource as the engine reads it: its values, with its companions mounted (runner.engine.companions)."""

    address: str
    type: str
    after: Mapping[str, Any]
    unknown: Mapping[str, Any]
    expressions: Mapping[str, Any]
    normalised: Normalised
    marked: frozenset[str] = frozenset()  # its own keys known only after apply, anywhere (ABSENT ones left out)
    companion_marked: frozenset[str] = frozenset()  # those of the resources mounted onto it
    undecided: tuple[Undecided, ...] = ()
    settled: Mapping[str, Any] | None = None  # `after` without the undecided mounts (None: `after` itself)
    alone: ResourceView | None = None  # without its companions, as "resource that supports X" reads it

    @cached_property
    def after_keys(self) -> frozenset[Any]:
        """Every key anywhere in the planned values (judge asks for each step and guardrail)."""
        return frozenset(_all_keys(self.after))

    @cached_property
    def unknown_keys(self) -> frozenset[str]:
        """Every key marked known only after apply, anywhere in after_unknown."""
        return frozenset(_true_keys(self.unknown))

    @cached_property
    def unsure_keys(self) -> frozenset[str]:
        """Every key that can make `judge` say anything but KNOWN (its own or a mounted resource's)."""
        return self.unknown_keys | self.marked

def _all_keys(tree: Any) -> set[Any]:
    out: set[Any] = set()
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            out.update(item.keys())
            stack.extend(v for v in item.values() if isinstance(v, (Mapping, list)))
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, (Mapping, list)))
    return out


def _has_key(tree: Any, key: str) -> bool:
    if isinstance(tree, Mapping):
        return key in tree or any(_has_key(v, key) for v in tree.values())
    if isinstance(tree, list):
        return any(_has_key(v, key) for v in tree)
    return False


def _set_anywhere(expressions: Any, key: str) -> bool:
    """Does the configuration set `key` anywhere (top level or inside a block)?"""
    if isinstance(expressions, Mapping):
        if configured(expressions, key):
            return True
        return any(_set_anywhere(v, key) for k, v in expressions.items() if isinstance(v, (list, Mapping)))
    if isinstance(expressions, list):
        return any(_set_anywhere(v, key) for v in expressions)
    return False


def plan_view(data: dict[str, Any]) -> dict[str, ResourceView]:
    """Every managed resource the plan creates or keeps, normalised and with its companions mounted, as the
    engine reads it."""
    done = normalise_plan(data)
    configs = config_resources(data)
    out: dict[str, ResourceView] = {}
    for change in data.get("resource_changes") or []:
        if not isinstance(change, Mapping) or change.get("mode", "managed") != "managed":
            continue
        body = change.get("change") or {}
        if body.get("actions") == ["delete"] or not isinstance(body.get("after"), Mapping):
            continue
        address = str(change.get("address", ""))
        marks = body.get("after_unknown")
        unknown: Mapping[str, Any] = marks if isinstance(marks, Mapping) else {}
        expressions = config_for(address, configs).get("expressions") or {}
        normalised = done.get(address) or Normalised()
        out[address] = ResourceView(address, str(change.get("type", "")), body["after"], unknown,
                                    expressions if isinstance(expressions, Mapping) else {}, normalised,
                                    frozenset(_true_keys(unknown) - normalised.absent))
    return _with_companions(out, data, configs)


def _with_companions(views: dict[str, ResourceView], data: Mapping[str, Any],
                     configs: Mapping[str, Mapping[str, Any]]) -> dict[str, ResourceView]:
    """Each resource with the resources the engine mounts onto it (runner.engine.companions)."""
    own = {a: (r.after, r.unknown, r.expressions, r.normalised.absent) for a, r in views.items()}
    for address, m in mount_views(own, Companions(configs, data, views).mounts()).items():
        r = views[address]
        views[address] = replace(r, after=m.after, unknown=m.unknown, expressions=m.expressions,
                                 companion_marked=frozenset(_true_keys(m.unknown) - r.normalised.absent - r.marked),
                                 undecided=m.undecided, settled=m.settled, alone=r)
    return views


# --- judging --------------------------------------------------------------------------------------


def _marked(r: ResourceView) -> frozenset[str]:
    return r.marked


def _sets(r: ResourceView, attribute: str) -> bool:
    """The configuration sets the attribute, and the plan does not read it as unset (a null variable)."""
    n = r.normalised
    unset = attribute in n.unknown or attribute in n.filled or attribute in n.absent
    return not unset and _set_anywhere(r.expressions, attribute)


def _subtrees(tree: Any, key: str) -> list[Any]:
    """The values under `key`, anywhere in a tree (the engine looks keys up at any depth)."""
    out: list[Any] = []
    if isinstance(tree, Mapping):
        for k, v in tree.items():
            if k == key:
                out.append(v)
            out += _subtrees(v, key)
    elif isinstance(tree, list):
        for v in tree:
            out += _subtrees(v, key)
    return out


def _scoped(tree: Any, probe: Probe) -> list[Any]:
    """Where the step looks: under the attribute the previous steps went into (the engine narrows its
    view to that attribute's value), else the whole resource."""
    chain = [c for c in probe.context if c != probe.attribute]
    return _subtrees(tree, chain[-1]) if chain else [tree]


_IDENTIFIER = re.compile(r"(^|_)(id|ids|arn|arns|name|names)$")
_NOT_RESOURCES = ("data.", "var.", "local.", "module.", "each.", "count.", "path.", "terraform.", "self.")


def _names_a_resource(expression: Any) -> bool:
    """The configuration gives the attribute a managed resource of this configuration (aws_kms_key.k.arn)."""
    refs = expression.get("references") if isinstance(expression, Mapping) else None
    return any(isinstance(ref, str) and "." in ref and not ref.startswith(_NOT_RESOURCES) for ref in refs or ())


def judge(probe: Probe, r: ResourceView, engine_keys: Iterable[str] = ()) -> str:
    """KNOWN, UNKNOWN_HERE or UNKNOWN_IF_FAILED for one resource at one step.

    `engine_keys`: the top-level attributes the engine holds a value for. Where the plan knows an
    identifier only after apply (kms_key_id = aws_kms_key.k.arn) the engine holds the resource it refers
    to, and a guardrail that asks what the identifier names (not None, not an AWS managed alias) is
    judged on that: known. Any other value it filled in that way (a boolean, a number) is no value."""
    r = _as_read(probe, r)
    if not r.undecided:
        unsure = r.unsure_keys
        if probe.attribute not in unsure and unsure.isdisjoint(probe.around) and unsure.isdisjoint(probe.mentions):
            return KNOWN  # nothing the step reads, or sits in, is marked unknown: every branch below is KNOWN
    undecided = undecided_for(probe, r)
    if undecided:
        settled = r.settled if r.settled is not None else r.after
        there = any(_has_key(t, probe.attribute) for t in _scoped(settled, probe))
        if probe.kind == PRESENCE and probe.phase == "then" and not probe.negative and there:
            return KNOWN  # it has what the step asks for without the undecided companion
        return UNKNOWN_HERE
    marked = _marked(r)
    attribute = probe.attribute
    if (not [c for c in probe.context if c != attribute] and _IDENTIFIER.search(attribute) and attribute in marked
            and _sets(r, attribute)
            and (attribute in set(engine_keys) or _names_a_resource(r.expressions.get(attribute)))):
        return KNOWN
    whole = not [c for c in probe.context if c != attribute]  # the step looks at the whole resource
    unknown_scope = [t for t in _scoped(r.unknown, probe) if t is not True]
    after_scope = _scoped(r.after, probe)
    if probe.top_level:
        tops = [d for t in unknown_scope for d in (t if isinstance(t, list) else [t]) if isinstance(d, Mapping)]
        itself = any(d.get(attribute) is True for d in tops)
    elif any(isinstance(t, Mapping) and attribute in t for t in after_scope):
        itself = False  # the engine takes a known value at the top before searching deeper (companions too)
    elif whole and isinstance(r.unknown, Mapping):
        itself = attribute in r.unknown_keys
    else:
        itself = any(attribute in _true_keys(t) for t in unknown_scope)
    itself = itself and attribute not in r.normalised.absent
    if whole and isinstance(r.after, Mapping):
        visible = attribute in r.after_keys
    else:
        visible = any(_has_key(t, attribute) for t in after_scope)
    parents = [z for z in probe.around if z in marked and not visible]
    if probe.kind == VALUE:
        return UNKNOWN_HERE if itself or parents or _names_an_unknown_inside(probe, r, unknown_scope) else KNOWN
    for parent in parents:  # inside a block whose content is not known
        if _sets(r, parent):
            return UNKNOWN_HERE
        if probe.phase == "when" and unset_meanings(r.type).get(parent) is UNKNOWN:
            return UNKNOWN_HERE
    if itself:
        if _sets(r, attribute):
            # set, value not known yet: it is there. Only a requirement that it be there can have been
            # failed for a reason that is not true (the engine could not see it).
            return KNOWN if probe.negative or probe.phase == "when" else UNKNOWN_IF_FAILED
        if probe.phase == "when" and unset_meanings(r.type).get(attribute) is UNKNOWN:
            return UNKNOWN_HERE
    return KNOWN


def _as_read(probe: Probe, r: ResourceView) -> ResourceView:
    """"Given I have resource that supports X" removes the mounted resources: the resource alone."""
    return r.alone if probe.root and r.alone is not None else r


def undecided_for(probe: Probe, r: ResourceView) -> list[Undecided]:
    """The undecided mounts of the resource that bring what the step reads."""
    r = _as_read(probe, r)
    if not r.undecided:
        return []
    names = {probe.attribute, *probe.around}
    if probe.top_level and not [c for c in probe.context if c != probe.attribute]:
        return [u for u in r.undecided if u.mount in names]
    return [u for u in r.undecided if names & u.keys]


def _names_an_unknown_inside(probe: Probe, r: ResourceView, scope: list[Any]) -> bool:
    """A value step on a block names an attribute of it that is known only after apply."""
    if not probe.mentions:
        return False
    if probe.top_level:
        values = [d.get(probe.attribute) for t in scope for d in (t if isinstance(t, list) else [t]) if isinstance(d, Mapping)]
    else:
        values = [v for t in scope for v in _subtrees(t, probe.attribute)]
    named = {k for v in values if v is not True for k in _true_keys(v)} & probe.mentions - r.normalised.absent
    return any(_set_to_a_value(e, k) for k in named for e in _subtrees(r.expressions, k))


def _set_to_a_value(expression: Any, key: str) -> bool:
    """The configuration sets it to something not known yet (unset, the provider's default decides; an
    identifier taken from a resource of the plan names that resource, as the engine reads it)."""
    if not isinstance(expression, Mapping) or not expression.get("references"):
        return False
    return not (_IDENTIFIER.search(key) and _names_a_resource(expression))


@dataclass(frozen=True)
class Unknown:
    """One resource a guardrail cannot judge at plan time, and why."""

    address: str
    line: int  # the first step that needed what is not known
    attribute: str
    decided_by_aws: str = ""  # the unset attribute whose value AWS chooses at apply time, if that is why
    undecided: tuple[str, str] = ("", "")  # (mounted resource, companion) whose pairing the plan does not decide

    def message(self) -> str:
        source, companion = self.undecided
        if source:
            return (f"{self.address}: the plan does not say whether {source} belongs to it (the reference of "
                    f"{companion} carries no instance key tfguard can read: each.key, count.index or a literal key), "
                    "so this guardrail cannot be judged at plan time (unknown, not a pass)")
        why = (f"{self.decided_by_aws} is not set and AWS chooses it at apply time" if self.decided_by_aws
               else f"{self.attribute} is known only after apply")
        return f"{self.address}: {why}, so this guardrail cannot be judged at plan time (unknown, not a pass)"


def unknown_resources(guardrail_probes: Sequence[Probe], step_lines: Sequence[int],
                      reached: Mapping[int, Iterable[str]], failed_at: Mapping[str, set[int]],
                      view: Mapping[str, ResourceView],
                      engine_keys: Mapping[str, Iterable[str]] | None = None) -> list[Unknown]:
    """The resources of one guardrail evaluation that are unknown (see the module docstring).

    `step_lines`: every step of the guardrail, in order; `reached`: step line -> watched addresses the
    step was given; `failed_at`: address -> lines of the steps whose failures named it. A resource that a
    `When` filter dropped although the configuration sets the attribute (the engine could not see a
    value known only after apply) is followed through the later steps as if it had been kept."""
    lines = sorted(step_lines)
    following = {line: lines[i + 1] if i + 1 < len(lines) else None for i, line in enumerate(lines)}
    given = {line: set(addrs) for line, addrs in reached.items()}
    first: dict[str, Unknown] = {}
    for probe in sorted(guardrail_probes, key=lambda p: p.line):
        for address in sorted(given.get(probe.line, ())):
            r = view.get(address)
            if r is None or address in first:
                continue
            r = _as_read(probe, r)
            verdict = judge(probe, r, (engine_keys or {}).get(address, ()))
            if verdict == UNKNOWN_HERE or (verdict == UNKNOWN_IF_FAILED and probe.line in failed_at.get(address, ())):
                chosen = [a for a in (probe.attribute, *probe.around) if a in r.normalised.unknown]
                pair = next(((u.source, u.companion) for u in undecided_for(probe, r)), ("", ""))
                first[address] = Unknown(address, probe.line, probe.attribute, "" if pair[0] else
                                         (chosen[0] if chosen else ""), pair)
                continue
            after = following.get(probe.line)
            if (after is not None and probe.phase == "when" and probe.kind == PRESENCE and not probe.negative
                    and probe.attribute in _marked(r) and _sets(r, probe.attribute)
                    and address not in given.get(after, set())):
                for line in lines[lines.index(after):]:  # dropped for want of a value it has: follow it
                    given.setdefault(line, set()).add(address)
    return sorted(first.values(), key=lambda u: u.address)


def watch_list(view: Mapping[str, ResourceView], all_probes: Iterable[Probe]) -> list[str]:
    """Addresses worth following through the steps: some probed attribute (or a block around it) is
    marked known only after apply."""
    found = list(all_probes)
    names = {p.attribute for p in found} | {z for p in found for z in p.around}
    return sorted(a for a, r in view.items()
                  if (_marked(r) | r.companion_marked) & names or any(u.keys & names for u in r.undecided)
                  or _unknown_under(r, names))


def _unknown_under(r: ResourceView, names: set[str]) -> bool:
    """Something inside one of these attributes (a mounted companion, a block) is known only after apply."""
    return bool(r.marked | r.companion_marked) and bool(_holders(r.unknown) & names)


def _holders(tree: Any) -> set[str]:
    """Keys anywhere in an after_unknown tree whose value (not true itself) holds a key marked true."""
    if isinstance(tree, list):
        return {k for v in tree for k in _holders(v)}
    if not isinstance(tree, Mapping):
        return set()
    return {str(k) for k, v in tree.items() if v is not True and _true_keys(v)} | {k for v in tree.values() for k in _holders(v)}

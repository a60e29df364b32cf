"""Which instances of a companion resource attach to which instances of the resource it references.

A companion is a resource whose argument references another resource: an aws_s3_bucket_public_access_block
with `bucket = aws_s3_bucket.team[each.key].id`, an aws_security_group_rule with `security_group_id`.
terraform-compliance mounts the companion onto the resource it references, and that resource onto the
companion, from the plan's `configuration`, which names resources without instance keys. tfguard pairs
the instances in two steps (runner/engine/corrections.py applies them to the engine, and
runner/engine/unknowns.py reads the same pairs):

1. **Module instance** (`same_module_instance`): a companion of module.a["x"] never attaches to the
   resource of module.a["y"].
2. **Instance key** (`pairing`), when the referenced resource N has several instances in that module
   instance. The configuration records an expression's references, not the expression:
   `aws_s3_bucket.team[each.key].id` is ["aws_s3_bucket.team", "each.key"] (a computed key ends the
   reference), `aws_s3_bucket.team["a"].id` is ["aws_s3_bucket.team[\\"a\\"].id", "aws_s3_bucket.team[\\"a\\"]",
   "aws_s3_bucket.team"], and `element(aws_s3_bucket.b[*].id, count.index)` reads like
   `aws_s3_bucket.b[count.index].id`. So, for the references of the argument:
   - N with literal keys, and nothing else: the instances with those keys;
   - N and the iteration symbol of the instance the expression is evaluated for, and nothing else
     (`each.key` for a `for_each` instance, `count.index` for a `count` instance): the instance of N
     with that same key;
   - N alone (`N[*].id`): every instance;
   - anything else (`N[local.k]`, `N[each.value]`, literal keys beside other references, a key N does
     not have): **not decided**.
   The expression is the companion's own argument, evaluated for the companion's key, or, when that
   argument is an input variable of its module, the module call's argument for it, evaluated for the
   module instance's key. A companion whose `for_each` iterates the resource itself
   (`for_each = aws_s3_bucket.team`, `bucket = each.value.id`) reads as `aws_s3_bucket.team[each.key].id`;
   the engine sees no reference there at all, and tfguard mounts it (`iteration_routes`).

Not decided is neither "attach to all" nor "attach to none": all makes "it must have a companion" pass
for resources that have none, none makes "its companion must not have X" pass for the one that has it.
The engine attaches such a companion to every candidate, as it always did, and tfguard reports the
guardrails that read what the companion brings as *unknown* for those resources (runner/engine/unknowns.py).

A reference the configuration records in a way that reads like one of the decided forms, but is not,
pairs wrongly: `aws_s3_bucket.b[(count.index + 1) % 2].id` records the references of
`aws_s3_bucket.b[count.index].id`, and `values(aws_s3_bucket.b)[0].id` those of `aws_s3_bucket.b[*].id`.
References through module outputs keep the engine's own resolution (paired by module instance only)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

NOT_RESOURCES = ("data", "module", "var", "local", "each", "count", "path", "terraform", "self")
ITERATION_SYMBOL = {"count": "count.index", "for_each": "each.key"}


# --- addresses ------------------------------------------------------------------------------------


def address_parts(address: str) -> list[str]:
    """Split an address at the dots outside instance keys: module.a["x.y"].b -> module | a["x.y"] | b."""
    parts: list[str] = []
    buf: list[str] = []
    depth, quoted, escaped = 0, False, False
    for ch in address:
        if quoted:
            buf.append(ch)
            escaped, quoted = (False, True) if escaped else (ch == "\\", ch != '"')
            continue
        if ch == '"':
            quoted = True
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "." and depth == 0:
            parts.append("".join(buf))
            buf = []
            continue
        buf.append(ch)
    parts.append("".join(buf))
    return parts


@lru_cache(maxsize=65536)
def module_chain(address: str) -> tuple[tuple[str, str], ...]:
    """The module calls an address sits in, outermost first, as (name, instance key)."""
    parts = address_parts(address)
    out: list[tuple[str, str]] = []
    i = 0
    while i + 1 < len(parts) and parts[i] == "module":
        name, _, key = parts[i + 1].partition("[")
        out.append((name, f"[{key}" if key else ""))
        i += 2
    return tuple(out)


def module_instances(address: str) -> list[tuple[str, str]]:
    """The module calls an address sits in, outermost first, as (name, instance key):
    module.a["x"].module.b.aws_s3_bucket.this -> [("a", '["x"]'), ("b", "")]."""
    return list(module_chain(address))


def same_module_instance(a: str, b: str) -> bool:
    """True unless the two addresses sit in different instances of a module call they share: within the
    longest run of module calls common to both, every instance key must be equal. A root resource and a
    resource of a module instance share no call and stay linkable (module outputs, input variables)."""
    for (name_a, key_a), (name_b, key_b) in zip(module_chain(a), module_chain(b)):
        if name_a != name_b:
            return True
        if key_a != key_b:
            return False
    return True


@lru_cache(maxsize=65536)
def config_address(address: str) -> str:
    """An instance address without its instance keys: module.a["x"].aws_s3_bucket.b[0] -> module.a.aws_s3_bucket.b."""
    return ".".join(p.split("[", 1)[0] for p in address_parts(address))


@lru_cache(maxsize=65536)
def instance_key(address: str) -> str:
    """The resource's own instance key: aws_s3_bucket.b["x"] -> '["x"]', module.m[0].aws_x.y -> ''."""
    _, bracket, key = address_parts(address)[-1].partition("[")
    return bracket + key


def key_kind(key: str) -> str:
    """"count" for [0], "for_each" for ["x"], "" for no key."""
    if not key:
        return ""
    return "count" if key[1:-1].isdigit() else "for_each"


def references_in(expression: Any) -> list[str]:
    """Every reference an expression of the configuration records, nested blocks included."""
    out: list[str] = []
    if isinstance(expression, Mapping):
        for k, v in expression.items():
            if k == "references" and isinstance(v, list):
                out += [r for r in v if isinstance(r, str)]
            elif isinstance(v, (Mapping, list)):
                out += references_in(v)
    elif isinstance(expression, list):
        for v in expression:
            out += references_in(v)
    return out


# --- step 2: instance keys ------------------------------------------------------------------------


@dataclass(frozen=True)
class Pairing:
    keys: tuple[str, ...]  # the referenced resource's instance keys the expression names
    decided: bool  # False: the references do not say which; `keys` are then every candidate


def _literal_key(reference: str, name: str) -> str:
    """The key of N["a"].id: '["a"]'."""
    rest = reference[len(name):]
    parts = address_parts("x" + rest)
    return instance_key(parts[0]) if parts else ""


def _only_each_value(references: Sequence[str]) -> bool:
    return bool(references) and all(r == "each.value" or r.startswith(("each.value.", "each.value[")) for r in references)


def names_resource(references: Iterable[str], name: str) -> bool:
    return any(r == name or r.startswith((name + ".", name + "[")) for r in references)


def pairing(references: Sequence[str], name: str, context_key: str, target_keys: Collection[str]) -> Pairing:
    """Which instances of `name` (TYPE.NAME, whose instance keys are `target_keys`) an expression with these
    references names when it is evaluated for the instance `context_key` (see the module docstring)."""
    if len(target_keys) <= 1:
        return Pairing(tuple(target_keys), True)
    if ITERATION_SYMBOL.get(key_kind(context_key)) in references and context_key in target_keys:
        fast = [r for r in references if r != name]
        if len(fast) == len(references) - 1 and set(fast) == {ITERATION_SYMBOL[key_kind(context_key)]}:
            return Pairing((context_key,), True)  # the common case, without a pass over every key
    keys = tuple(dict.fromkeys(target_keys))
    family = [r for r in references if r == name or r.startswith((name + ".", name + "["))]
    others = {r for r in references if r not in family}
    literal = {_literal_key(r, name) for r in family if r.startswith(name + "[")}
    if literal:
        return Pairing(tuple(k for k in keys if k in literal), True) if not others else Pairing(keys, False)
    if any(r != name for r in family):  # N.attr of a resource with several instances: not a reading we know
        return Pairing(keys, False)
    if not others:
        return Pairing(keys, True)
    symbol = ITERATION_SYMBOL.get(key_kind(context_key))
    if symbol is not None and others == {symbol} and context_key in keys:
        return Pairing((context_key,), True)
    return Pairing(keys, False)


# --- the plan's companions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """How a companion's argument names a resource: the references of the expression that names it, and
    whether that expression is the module call's (evaluated for the module instance's key)."""

    references: tuple[str, ...]
    name: str  # TYPE.NAME, as the expression names it
    through_call: bool


@dataclass(frozen=True)
class Mount:
    """`source`'s values mounted onto `target` under the key `key`, as the engine does it."""

    source: str
    target: str
    key: str
    companion: str  # the one of the two whose argument makes the reference
    decided: bool


def mount_key(config: Mapping[str, Any], config_addr: str) -> str:
    """The key the engine mounts a companion under on the resource it references: its `type` argument when
    that is a constant (aws_security_group_rule: "ingress" / "egress"), else its resource type."""
    kind = (config.get("expressions") or {}).get("type")
    if isinstance(kind, Mapping) and set(kind) == {"constant_value"}:
        kind = kind["constant_value"]
    if isinstance(kind, Mapping) and "references" in kind:
        return config_addr.split(".")[0]
    if isinstance(kind, str) and kind and "references" not in kind:
        return kind
    parts = address_parts(config_addr)
    return parts[-2] if len(parts) > 1 else parts[0]


def module_call(raw: Mapping[str, Any], names: Sequence[str]) -> Mapping[str, Any]:
    """The module call named by the chain of call names (outermost first), {} if there is none."""
    module: Any = (raw.get("configuration") or {}).get("root_module") or {}
    call: Any = {}
    for name in names:
        call = ((module.get("module_calls") or {}) if isinstance(module, Mapping) else {}).get(name) or {}
        module = call.get("module") if isinstance(call, Mapping) else None
    return call if isinstance(call, Mapping) else {}


class Companions:
    """The pairing of one plan's companions: `keep` for the engine's mounting, `mounts` for tfguard's view.

    `configs`: configuration address -> configuration resource (with `expressions`); `raw`: the plan (for
    module calls); `addresses`: every resource instance of the plan."""

    def __init__(self, configs: Mapping[str, Mapping[str, Any]], raw: Mapping[str, Any], addresses: Iterable[str]) -> None:
        self.configs = configs
        self.raw = raw
        self.instances: dict[str, list[str]] = {}
        for a in addresses:
            self.instances.setdefault(config_address(a), []).append(a)
        self._routes: dict[tuple[str, str, str], Route | None] = {}
        self._prefixes: dict[tuple[str, int], dict[tuple[str, ...], list[str]]] = {}
        self._candidate_cache: dict[tuple[str, tuple[tuple[str, str], ...]], dict[str, str]] = {}
        self._referenced: dict[tuple[str, str, str], tuple[list[str], bool] | None] = {}
        self._inverse: dict[tuple[str, str, str], dict[str, set[str]]] = {}

    def route(self, companion_config: str, param: str, target_config: str) -> Route | None:
        """How the companion's `param` names the target resource (both configuration addresses), if it does:
        directly in the same module, or through an input variable whose module call names it."""
        key = (companion_config, param, target_config)
        if key not in self._routes:
            self._routes[key] = self._route(*key)
        return self._routes[key]

    def _route(self, companion_config: str, param: str, target_config: str) -> Route | None:
        config = self.configs.get(companion_config) or {}
        expressions = config.get("expressions") if isinstance(config, Mapping) else None
        if not isinstance(expressions, Mapping) or param not in expressions:
            return None
        refs = references_in(expressions[param])
        target_parts = address_parts(target_config)
        name, target_module = ".".join(target_parts[-2:]), target_parts[:-2]
        module = address_parts(companion_config)[:-2]
        if target_module == module and names_resource(refs, name):
            return Route(tuple(refs), name, False)
        each = references_in(config.get("for_each_expression"))
        if target_module == module and names_resource(each, name) and _only_each_value(refs):
            # for_each = aws_s3_bucket.team, bucket = each.value.id: aws_s3_bucket.team[each.key].id
            return Route((*each, "each.key"), name, False)
        if len(module) >= 2 and target_module == module[:-2]:
            call = module_call(self.raw, module[1::2])
            call_expressions = call.get("expressions") or {}
            for ref in refs:
                parts = ref.split(".")
                if parts[0] == "var" and len(parts) > 1 and isinstance(call_expressions, Mapping):
                    passed = references_in(call_expressions.get(parts[1]))
                    if names_resource(passed, name):
                        return Route(tuple(passed), name, True)
        return None

    def _candidates(self, companion: str, target_config: str) -> dict[str, str]:
        """The target resource's instances that step 1 allows for the companion, by instance key: in the same
        module, the same instance; else those whose module calls shared with the companion's are the same
        instances (`same_module_instance`). By look-ups: a plan has thousands of module instances."""
        chain = module_chain(companion)
        key = (target_config, chain)
        if key not in self._candidate_cache:
            names = tuple(n for n, _ in module_chain(target_config))
            own = tuple(n for n, _ in chain)
            shared = 0
            while shared < min(len(names), len(own)) and names[shared] == own[shared]:
                shared += 1
            if names == own:
                shared = len(names)
            index = self._prefixes.get((target_config, shared))
            if index is None:
                index = self._prefixes[(target_config, shared)] = {}
                for t in self.instances.get(target_config, []):
                    index.setdefault(tuple(k for _, k in module_chain(t)[:shared]), []).append(t)
            members = index.get(tuple(k for _, k in chain[:shared]), [])
            self._candidate_cache[key] = {instance_key(t): t for t in members}
        return self._candidate_cache[key]

    def referenced(self, companion: str, param: str, target_config: str) -> tuple[list[str], bool] | None:
        """The instances of the target resource that this companion instance's `param` names, and whether
        that is decided; None when `param` does not name the target resource."""
        key = (companion, param, target_config)
        if key not in self._referenced:
            found = self.route(config_address(companion), param, target_config)
            if found is None:
                self._referenced[key] = None
            else:
                candidates = self._candidates(companion, target_config)
                chain = module_chain(companion)
                context = (chain[-1][1] if chain else "") if found.through_call else instance_key(companion)
                paired = pairing(found.references, found.name, context, candidates)
                self._referenced[key] = ([candidates[k] for k in paired.keys if k in candidates], paired.decided)
        return self._referenced[key]

    def _referencing(self, companion_config: str, param: str, target: str) -> set[str]:
        """The companion instances whose `param` names this instance of the target resource."""
        key = (companion_config, param, config_address(target))
        if key not in self._inverse:
            inverse: dict[str, set[str]] = {}
            for c in self.instances.get(companion_config, []):
                for t in (self.referenced(c, param, key[2]) or ([], True))[0]:
                    inverse.setdefault(t, set()).add(c)
            self._inverse[key] = inverse
        return self._inverse[key].get(target, set())

    def keep(self, source: str, param: str, targets: Sequence[str]) -> list[str]:
        """Of the targets the engine would mount `source` onto for `param` (either direction: source the
        companion, or source the resource the targets reference), those the pairing allows, in order."""
        kept: list[str] = []
        groups: dict[str, list[str]] = {}
        for t in targets:
            groups.setdefault(config_address(t), []).append(t)
        source_config = config_address(source)
        for target_config, members in groups.items():
            forward = self.referenced(source, param, target_config)
            if forward is not None:
                allowed = set(forward[0])
                kept += [t for t in members if t in allowed]
                continue
            if self.route(target_config, param, source_config) is not None:
                allowed = self._referencing(target_config, param, source)
                kept += [t for t in members if t in allowed]
                continue
            kept += members
        return list(dict.fromkeys(kept))

    def mounts(self) -> Iterator[Mount]:
        """Every mount of the plan's direct and input-variable references, both directions, with whether
        its pairing is decided."""
        for companion_config, config in self.configs.items():
            expressions = config.get("expressions") if isinstance(config, Mapping) else None
            sources = self.instances.get(companion_config)
            if not isinstance(expressions, Mapping) or not sources or companion_config.split(".")[0] == "data":
                continue
            key = mount_key(config, companion_config)
            for param in expressions:
                for target_config in self._targets(companion_config, param):
                    back_key = address_parts(target_config)[-2]
                    for companion in sources:
                        found = self.referenced(companion, param, target_config)
                        for target in (found or ([], True))[0]:
                            decided = bool(found and found[1])
                            yield Mount(companion, target, key, companion, decided)
                            yield Mount(target, companion, back_key, companion, decided)

    def iteration_routes(self) -> Iterator[tuple[str, str, str, str]]:
        """(companion, argument, referenced resource, mount key) of the companions whose for_each iterates
        the referenced resource and whose argument takes `each.value` (configuration addresses): the
        engine sees no reference there, so tfguard mounts them."""
        for companion_config, config in self.configs.items():
            expressions = config.get("expressions") if isinstance(config, Mapping) else None
            if not isinstance(expressions, Mapping) or companion_config not in self.instances:
                continue
            for param, expression in expressions.items():
                if _only_each_value(references_in(expression)):
                    for target_config in self._targets(companion_config, param):
                        found = self.route(companion_config, param, target_config)
                        if found is not None and not names_resource(references_in(expression), found.name):
                            yield companion_config, param, target_config, mount_key(config, companion_config)

    def _targets(self, companion_config: str, param: str) -> list[str]:
        """The configuration addresses of the resources `param` may name (checked by `route`)."""
        module = address_parts(companion_config)[:-2]
        config = self.configs[companion_config]
        refs = references_in((config.get("expressions") or {}).get(param))
        if _only_each_value(refs):
            refs = refs + references_in(config.get("for_each_expression"))
        names = {".".join(r.split("[", 1)[0].split(".")[:2]) for r in refs if r.split(".")[0] not in NOT_RESOURCES}
        out = [".".join([*module, n]) for n in sorted(names)]
        if len(module) >= 2 and any(r.startswith("var.") for r in refs):
            call = module_call(self.raw, module[1::2])
            for ref in {r.split(".")[1] for r in refs if r.startswith("var.") and r.count(".")}:
                passed = references_in((call.get("expressions") or {}).get(ref))
                out += [".".join([*module[:-2], ".".join(r.split("[", 1)[0].split(".")[:2])])
                        for r in passed if r.split(".")[0] not in NOT_RESOURCES]
        return [t for t in dict.fromkeys(out) if t in self.instances and self.route(companion_config, param, t)]


# --- the view for unknowns: companions mounted as the engine mounts them ------------------------------


@dataclass(frozen=True)
class Undecided:
    """A resource mounted onto another one although the plan does not decide that it belongs there."""

    mount: str  # the key it is mounted under (aws_s3_bucket_public_access_block, ingress, ...)
    source: str  # the mounted resource
    companion: str  # the one of the two whose reference does not decide the pairing
    keys: frozenset[str]  # the attributes it brings, anywhere in its values, and `mount`


@dataclass(frozen=True)
class Mounted:
    """One resource's trees with the resources the engine mounts onto it."""

    after: dict[str, Any]
    unknown: dict[str, Any]
    expressions: dict[str, Any]
    undecided: tuple[Undecided, ...]
    settled: dict[str, Any] | None  # `after` with the decided mounts only (None when all are decided)


def _mounted(tree: Mapping[str, Any], key: str, value: Any) -> dict[str, Any]:
    """`tree` with `value` appended under `key`, as the engine mounts (a value known only after apply as a
    whole stays so)."""
    out = dict(tree)
    present = out.get(key)
    if present is True:
        return out
    out[key] = [*present, value] if isinstance(present, list) else [value] if present is None else [present, value]
    return out


def _keys_anywhere(tree: Any) -> set[str]:
    if isinstance(tree, Mapping):
        return {str(k) for k in tree} | {k for v in tree.values() for k in _keys_anywhere(v)}
    if isinstance(tree, list):
        return {k for v in tree for k in _keys_anywhere(v)}
    return set()


def true_keys(tree: Any) -> set[str]:
    """Keys marked true (known only after apply) anywhere in an after_unknown tree."""
    if isinstance(tree, Mapping):
        return {str(k) for k, v in tree.items() if v is True} | {k for v in tree.values() for k in true_keys(v)}
    if isinstance(tree, list):
        return {k for v in tree for k in true_keys(v)}
    return set()


def mount_views(own: Mapping[str, tuple[Mapping[str, Any], Mapping[str, Any], Mapping[str, Any], Iterable[str]]],
                mounts: Iterable[Mount]) -> dict[str, Mounted]:
    """For each resource something is mounted onto: its (after, after_unknown, expressions) with the mounted
    resources' own ones appended, as the engine does it. `own`: address -> (after, after_unknown,
    expressions, attributes its normalisation reads as not there); a mounted resource's are left out of
    its after_unknown (what reads as not there on it is not unknown on the other one)."""
    by_target: dict[str, list[Mount]] = {}
    for m in mounts:
        if m.source in own and m.target in own and m.source != m.target:
            by_target.setdefault(m.target, []).append(m)
    out: dict[str, Mounted] = {}
    for address, found in by_target.items():
        after, unknown, expressions = (dict(tree) for tree in own[address][:3])
        settled = dict(after)
        undecided: list[Undecided] = []
        for m in found:
            s_after, s_unknown, s_expressions, s_absent = own[m.source]
            absent = set(s_absent)
            marks = {k: v for k, v in s_unknown.items() if k not in absent}
            after = _mounted(after, m.key, s_after)
            unknown = _mounted(unknown, m.key, marks)
            expressions = _mounted(expressions, m.key, s_expressions)
            if m.decided:
                settled = _mounted(settled, m.key, s_after)
            else:
                keys = _keys_anywhere(s_after) | true_keys(marks) | {m.key}
                undecided.append(Undecided(m.key, m.source, m.companion, frozenset(keys)))
        out[address] = Mounted(after, unknown, expressions, tuple(undecided), settled if undecided else None)
    return out

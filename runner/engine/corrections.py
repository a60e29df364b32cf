"""tfguard's corrections of how terraform-compliance reads a plan: patches that change verdicts, not
speed (those are in runner/engine/patches.py, whose TARGETS list what these replace, so that
`check_compatible()` catches an engine release that moved them).

They are applied in every engine process, before any plan is parsed, by runner/engine/fixes/
tfguard_fixes.py, which both engines and `cli_command` load with `--basedir`: the in-process engine,
the cli engine and the parity checks' plain run judge a plan alike.

- `install_instance_scoped_mounting`: a companion resource attaches only to the resource it references,
  in the same module instance, and to the instance its reference names (runner/engine/companions.py).
- `install_plan_normalisation`: unset attributes read as what they mean (runner/engine/defaults.py).
- `install_taggable_scope`: "resource that supports tags" means a top-level `tags` argument.
- `runner.engine.continuation.install_step_continuation` (installed with these): the steps after a failing
  one judge the resources it did not fail, instead of being skipped.
"""

from __future__ import annotations

from typing import Any

from runner.engine.companions import (
    NOT_RESOURCES,
    Companions,
    address_parts,
    config_address,
    module_chain,
    module_instances,
    same_module_instance,
)

__all__ = ["module_instances", "same_module_instance", "install_engine_fixes"]

# --- companions attach within their own module instance ---------------------------------------------

_SCOPE = "\x00tfguard-scope\x00"  # marks a reference to be resolved in a given (calling) module


class InstanceIndex:
    """Target addresses indexed by their module instances, answering `paired(source)`: the targets that
    `same_module_instance` allows for the source, by look-ups instead of a test per target. Mounting
    asks once per companion; testing every module instance each time made a plan with n module
    instances cost n² (4.5 s of 19 s at 8,000 resources, bench/large_plans.py)."""

    def __init__(self, addresses: list[str]) -> None:
        self._names: dict[tuple[str, ...], dict[tuple[tuple[str, str], ...], list[str]]] = {}
        for a in addresses:
            chain = module_chain(a)
            self._names.setdefault(tuple(n for n, _ in chain), {}).setdefault(chain, []).append(a)
        self._prefixes: dict[tuple[tuple[str, ...], int], dict[tuple[str, ...], list[str]]] = {}

    def paired(self, source: str) -> list[str]:
        own = module_chain(source)
        own_names = tuple(n for n, _ in own)
        out: list[str] = []
        for names, chains in self._names.items():
            if names == own_names:
                out += chains.get(own, [])
                continue
            # same_module_instance: the calls shared before the first differing name must be the same instances
            shared = 0
            while shared < min(len(names), len(own_names)) and names[shared] == own_names[shared]:
                shared += 1
            out += self._by_prefix(names, chains, shared).get(tuple(k for _, k in own[:shared]), [])
        return out

    def _by_prefix(self, names: tuple[str, ...], chains: dict[tuple[tuple[str, str], ...], list[str]],
                   shared: int) -> dict[tuple[str, ...], list[str]]:
        index = self._prefixes.get((names, shared))
        if index is None:
            index = self._prefixes[(names, shared)] = {}
            for chain, members in chains.items():
                index.setdefault(tuple(k for _, k in chain[:shared]), []).extend(members)
        return index


def _config_module_calls(raw: dict[str, Any], chain: list[str]) -> dict[str, Any] | None:
    """The configuration module that the module call chain (names, outermost first) leads to."""
    module: Any = (raw.get("configuration") or {}).get("root_module") or {}
    for name in chain:
        module = ((module.get("module_calls") or {}).get(name) or {}).get("module")
        if not isinstance(module, dict):
            return None
    return module


def install_instance_scoped_mounting(parser_class: Any) -> None:
    """Make terraform-compliance attach a companion resource (a resource whose argument references another
    one, e.g. aws_s3_bucket_server_side_encryption_configuration.bucket = aws_s3_bucket.this.id) only to
    the resource it references, in the same module instance.

    terraform-compliance 1.16 resolves a reference from the configuration, which names resources without
    instance keys, and then mounts every instance of the source onto every instance of the target:
    - `aws_s3_bucket.this.id` inside a module matches no address, and the lookup falls back to *every*
      aws_s3_bucket named `this` in the plan, in any module (and `aws_s3_bucket.this` inside a module is
      taken as the root's bucket of that name when there is one);
    - the companion of module.a["x"] is mounted onto the bucket of module.a["y"] as well.
    Two calls of one module, one with an encryption configuration and one without, then both pass S3-001.

    The fix, for both lookups and mounts:
    - a resource reference (TYPE.NAME[.ATTR]) made in module M resolves to the instances of M.TYPE.NAME,
      and to nothing else; one made through an input variable resolves in the module that passes it
      (the engine only looked among the root module's calls);
    - a source is mounted onto a target only when `same_module_instance` holds for the pair, and, where
      the referenced resource has several instances there (count, for_each), only onto the instance its
      reference names (runner.engine.companions: by literal key, or by its own key through `each.key` /
      `count.index`); where the references do not decide it, onto every candidate, as the engine did
      (tfguard then reports the guardrails that read the companion as unknown for them).
    A companion whose for_each iterates the resource (`for_each = aws_s3_bucket.team`, `bucket =
    each.value.id`) names it through `each.value`, which the engine skips: it is mounted after the engine's
    own mounting, paired by key. References to module outputs keep the engine's own resolution (their
    targets are then paired by module instance only)."""
    if getattr(parser_class, "_tfguard_instance_scoped", False):
        return
    original_find = parser_class._find_resource_from_name
    original_mount = parser_class._mount_resources

    def by_config_address(self: Any) -> dict[str, list[str]]:
        index = self.__dict__.get("_tfguard_by_config_address")
        if index is None or index[0] != len(self.resources):
            table: dict[str, list[str]] = {}
            for key in self.resources:
                table.setdefault(config_address(key), []).append(key)
            index = (len(self.resources), table)
            self.__dict__["_tfguard_by_config_address"] = index
        return index[1]

    def find_resource_from_name(self: Any, resource_name: str, module_address: str | None = None) -> list[str]:
        scope = module_address if module_address and module_address.startswith("module.") else ""
        if resource_name.startswith(_SCOPE):
            scope, _, resource_name = resource_name[len(_SCOPE):].partition(_SCOPE)
            if resource_name.startswith("module."):
                return original_find(self, resource_name, scope or None)
        parts = address_parts(resource_name)
        if len(parts) < 2 or parts[0] in NOT_RESOURCES:
            return original_find(self, resource_name, module_address)
        wanted = ".".join(([config_address(scope)] if scope else []) + [parts[0], parts[1].split("[", 1)[0]])
        return list(by_config_address(self).get(wanted, []))

    def fetch_resource_by_a_variable(self: Any, module: str, variable: str) -> list[str]:
        chain = [name for name, _ in module_instances(module)] if module.startswith("module.") else []
        if not chain:
            return []
        parent = _config_module_calls(self.raw, chain[:-1])
        call = ((parent or {}).get("module_calls") or {}).get(chain[-1]) or {}
        name = variable.split(".")[1] if variable.count(".") else variable
        expression = (call.get("expressions") or {}).get(name) or {}
        refs = expression.get("references") or [] if isinstance(expression, dict) else []
        caller = ".".join(f"module.{name}" for name in chain[:-1])
        return [f"{_SCOPE}{caller}{_SCOPE}{r}" for r in refs if isinstance(r, str)]

    # the engine mounts B->A once per companion instance with the same list of all instances as target:
    # index that list once, not once per call (which made mounting quadratic again)
    built: dict[int, tuple[list[str], int, InstanceIndex]] = {}

    def index_of(targets: list[str]) -> InstanceIndex:
        entry = built.get(id(targets))
        if entry is None or entry[0] is not targets or entry[1] != len(targets):
            if len(built) >= 64:
                built.clear()
            entry = built[id(targets)] = (targets, len(targets), InstanceIndex(targets))
        return entry[2]

    def companions(self: Any) -> Companions:
        found = self.__dict__.get("_tfguard_companions")
        if found is None or found[0] != len(self.resources):
            pairer = Companions(self.configuration.get("resources") or {}, self.raw, self.resources)
            found = (len(self.resources), pairer)
            self.__dict__["_tfguard_companions"] = found
        return found[1]

    def mount_resources(self: Any, source: list[str], target: dict[str, list[str]], ref_type: str) -> None:
        mounted: dict[tuple[str, str], list[str]] = {}
        pairer = companions(self)
        # targets grouped by their module instances: a source in the same module as its targets (the usual
        # companion) finds its own instance's by one lookup instead of testing every instance
        grouped = {p: index_of(ts) for p, ts in target.items()}
        for src in source:
            paired = {p: pairer.keep(src, p, index.paired(src)) for p, index in grouped.items()}
            paired = {p: ts for p, ts in paired.items() if ts}
            if not paired:
                continue
            original_mount(self, [src], paired, ref_type)
            for p, ts in paired.items():
                for t in ts:
                    mounted.setdefault((t, p), []).append(src)
        from terraform_compliance.common.defaults import Defaults

        for (t, p), sources in mounted.items():  # the engine records the last call's sources: record all paired
            pointers = (self.resources.get(t) or {}).get(Defaults.r_mount_addr_ptr)
            if isinstance(pointers, dict) and p in pointers:
                pointers[p] = sources

    original_mount_references = parser_class._mount_references

    def mount_references(self: Any) -> None:
        original_mount_references(self)
        pairer = companions(self)
        for companion, param, referenced, key in list(pairer.iteration_routes()):
            sources, targets = pairer.instances[companion], pairer.instances[referenced]
            self._mount_resources(source=sources, target={param: targets}, ref_type=key)
            back = address_parts(referenced)[-2]
            for t in targets:
                self._mount_resources(source=[t], target={param: sources}, ref_type=back)

    parser_class._find_resource_from_name = find_resource_from_name
    parser_class._mount_references = mount_references
    parser_class._fetch_resource_by_a_variable = fetch_resource_by_a_variable
    parser_class._mount_resources = mount_resources
    parser_class._tfguard_instance_scoped = True


# --- engine fix: unset attributes read as what they mean ---------------------------------------------


def _read_plan(parser: Any, filename: str, original_read: Any) -> Any:
    """The engine's json.load of the plan, with orjson (its own dependency; 3x faster on a 32 MB plan)
    where orjson reads the file; anything orjson refuses (NaN, integers beyond 64 bits) goes to the
    engine's own reader, which decides."""
    try:
        import orjson

        with open(filename, "rb") as fh:
            return orjson.loads(fh.read())
    except (ImportError, ValueError):
        return original_read(parser, filename)


def install_plan_normalisation(parser_class: Any) -> None:
    """Hand the engine the plan with every unset attribute given its meaning (runner.engine.defaults):
    the provider default as a value, or "known only after apply" where AWS decides at apply time. The
    engine read an absent attribute as "this resource does not have it": an aws_rds_cluster without
    storage_encrypted was not among the "resources that support storage_encrypted" and RDS-001 passed."""
    if getattr(parser_class, "_tfguard_normalised", False):
        return
    original_read = parser_class._read_file

    def read_file(self: Any, filename: str) -> Any:
        from runner.engine.defaults import normalise_plan

        data = _read_plan(self, filename, original_read)
        if isinstance(data, dict) and "values" not in data:  # a plan, not a state
            normalise_plan(data)
        return data

    parser_class._read_file = read_file
    parser_class._tfguard_normalised = True


# --- "supports tags" means a top-level tags argument ---------------------------------------------------


def aws_taggable() -> frozenset[str]:
    """AWS resource types whose provider schema has a top-level `tags` argument (runner/schemas/
    aws_taggable.json, generated by tests/source_corpus/gen_taggable.py; it names the provider version)."""
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "schemas" / "aws_taggable.json"
    return frozenset(json.loads(path.read_text(encoding="utf-8"))["taggable"])


def install_taggable_scope(given_module: Any) -> None:
    """Make "Given I have resource that supports tags defined" select the resource types that have a
    top-level `tags` argument, and only those.

    The engine selects every type in which the key `tags` occurs at any depth: S3 configuration resources
    whose nested `filter { tags = ... }` only chooses objects (aws_s3_bucket_lifecycle_configuration,
    _intelligent_tiering_configuration, _analytics_configuration, aws_s3_bucket_inventory) were held to
    the tagging guardrails. With this, a type is in scope when one of its resources has `tags` at the top
    level of its values: a plan from terraform shows every argument of the provider it was planned with
    (null when unset), so that is the provider's own answer, for any provider and version. A static plan
    (plan-from-source) leaves unset arguments out: there, a type of the generated list of taggable AWS
    types is in scope too, so TAG-001 sees a taggable resource nobody tagged. Other `supports X` steps
    keep the engine's any-depth reading (IAM-001 relies on it)."""
    if getattr(given_module, "_tfguard_taggable", False):
        return
    original = given_module.find_root_by_key
    taggable = aws_taggable()

    def find_root_by_key(haystack: Any, needle: Any, return_key: Any = None, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs or return_key != "type" or str(needle).lower() != "tags" or not isinstance(haystack, dict):
            return original(haystack, needle, return_key, *args, **kwargs)
        from radish import world

        from runner.source.marker import is_static_plan

        raw = getattr(getattr(getattr(world, "config", None), "terraform", None), "raw", None)
        listed = taggable if isinstance(raw, dict) and is_static_plan(raw) else frozenset()
        kept: set[str] = set()
        for resource in haystack.values():
            if not isinstance(resource, dict) or resource.get("mode", "managed") != "managed":
                continue
            rtype = str(resource.get("type", ""))
            values = resource.get("values")
            if rtype in listed or (isinstance(values, dict) and "tags" in values):
                kept.add(rtype)
        return sorted(kept)

    given_module.find_root_by_key = find_root_by_key
    given_module._tfguard_taggable = True


def install_engine_fixes(parser_class: Any) -> None:
    """Every correction of the engine's plan parsing, in one call (idempotent)."""
    from terraform_compliance.steps.given import i_have_name_section_configured as given

    from runner.engine.continuation import install_step_continuation

    install_step_continuation()
    install_taggable_scope(given)
    install_plan_normalisation(parser_class)
    install_instance_scoped_mounting(parser_class)

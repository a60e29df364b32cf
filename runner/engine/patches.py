"""Every patch tfguard applies to the engine's internals (radish, docopt, terraform-compliance), in one
place, and `check_compatible()`, which proves each patched target still has the shape the patch expects.

The in-process engine calls `check_compatible()` when it is made; on any mismatch (a radish, docopt or
terraform-compliance release that moved a name) `make_engine` falls back to the `cli` engine, which
runs plain terraform-compliance processes, with one warning. pyproject.toml pins the patched packages
exactly; this check is what catches an environment that installed other versions anyway.

The patches:
- `cached_docopt` replaces `radish.main.docopt` (below);
- `preload()` imports the step modules' libraries once (below);
- `fast_jsonify` replaces `terraform_compliance.common.helper.jsonify`, which the plan parser calls on
  every string of the plan (below);
- `cached_parser` replaces `radish.matcher.Parser`, the step-pattern parser radish compiles for every
  step sentence (below);
- the in-process engine (`inprocess.py`) replaces `radish.main.run_features` with a capture that stops
  radish after it has loaded and matched the features, `terraform_compliance.extensions.terraform.Cache`
  with an in-memory cache, and the `TerraformParser` global of terraform-compliance's
  `load_terraform_data` hook with a parser shared by every feature of one plan. Their targets are
  listed in `TARGETS` and checked here;
- runner/engine/corrections.py replaces `TerraformParser` methods to correct verdicts (companion
  resources mounted across module instances); its targets are in `TARGETS` too;
- runner/engine/speedups.py (installed by `install()`) replaces four step helpers of terraform-compliance
  that grew faster than the plan with indexed ones that answer the same; their targets are in `TARGETS`.

Measured on a 2-core machine (terraform-compliance 1.16, radish-bdd 0.18.2, docopt 0.6.2): each radish run parses
its command line with docopt, whose usage-pattern expansion (`Pattern.fix`) takes about 0.27 s and gives
the same small pattern (about 100 nodes) every time; and radish's step modules import IPython, about
0.15 s. A plain `terraform-compliance` run pays both, and so did every forked evaluation.

- `cached_docopt` is docopt with the fixed usage pattern kept per usage text: in memory, and as a small
  JSON file in a cache directory so that the next process (and every forked child) skips the expansion.
  Matching argv against a fixed pattern does not change the pattern (docopt's leaves hand back argv's
  own objects or copies), so the result is the same dictionary docopt returns (tested). A cache file
  that does not parse is ignored and rewritten, never trusted.
- `cached_parser` is parse_type's step-pattern Parser, compiled once per (pattern, custom types): radish's
  `match_step` compiles every parse pattern of the registry again for every step sentence (about 1.7 ms
  each; 0.3 s for the 61 guardrails of features/, in every engine preparation). A Parser holds only its
  compiled expression and converters; `search` leaves it unchanged, so a reused one matches as a fresh one
  does (tested). The parent fills it when it checks steps (runner.engine.steps), and forked engines inherit it.
- `preload()` imports the libraries the step modules import (not the step modules themselves: radish
  re-executes those by path and would find their steps registered twice), so forked children find them
  in sys.modules.

`install(cache_dir)` is idempotent and replaces only the names radish imported (radish.main.docopt,
radish.matcher.Parser)."""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import io
import json
import os
import pkgutil
import sys
import tempfile
from pathlib import Path
from typing import Any

_MEMO: dict[str, tuple[str, list[Any], Any]] = {}
_STATE: dict[str, Path | None] = {"dir": None}
_INSTALLED = False
_BRANCHES = ("Required", "Optional", "AnyOptions", "OneOrMore", "Either")


# --- docopt pattern (de)serialisation --------------------------------------------------------------


def _dump(node: Any) -> dict[str, Any]:
    import docopt as d

    kind = type(node).__name__
    if kind in _BRANCHES:
        return {"t": kind, "c": [_dump(c) for c in node.children]}
    if isinstance(node, d.Option):
        return {"t": "Option", "a": [node.short, node.long, node.argcount, node.value]}
    if kind in ("Argument", "Command"):
        return {"t": kind, "a": [node.name, node.value]}
    raise TypeError(f"unexpected docopt node {kind}")


def _load(data: dict[str, Any]) -> Any:
    import docopt as d

    kind = data["t"]
    if kind in _BRANCHES:
        return getattr(d, kind)(*[_load(c) for c in data["c"]])
    if kind in ("Option", "Argument", "Command"):
        return getattr(d, kind)(*data["a"])
    raise ValueError(f"unexpected docopt node {kind!r}")


def _compute(doc: str) -> tuple[str, list[Any], Any]:
    import docopt as d

    usage = d.printable_usage(doc)
    options = d.parse_defaults(doc)
    pattern = d.parse_pattern(d.formal_usage(usage), options)
    pattern_options = set(pattern.flat(d.Option))
    for any_options in pattern.flat(d.AnyOptions):
        any_options.children = list(set(d.parse_defaults(doc)) - pattern_options)
    return usage, options, pattern.fix()


def _cache_file(doc: str) -> Path | None:
    directory = _STATE["dir"]
    if directory is None:
        return None
    import docopt as d

    key = hashlib.sha256(f"{getattr(d, '__version__', '?')}\0{doc}".encode()).hexdigest()[:32]
    return directory / f"docopt-{key}.json"


def _read(path: Path) -> tuple[str, list[Any], Any] | None:
    import docopt as d

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        options = [d.Option(*o) for o in data["options"]]
        return str(data["usage"]), options, _load(data["pattern"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write(path: Path, entry: tuple[str, list[Any], Any]) -> None:
    usage, options, pattern = entry
    data = {"usage": usage, "options": [[o.short, o.long, o.argcount, o.value] for o in options],
            "pattern": _dump(pattern)}
    with contextlib.suppress(OSError, TypeError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".docopt-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        os.replace(tmp, path)


def fixed_pattern(doc: str) -> tuple[str, list[Any], Any]:
    """(usage, options, fixed pattern) for a docopt usage text: memory, then cache file, then computed."""
    entry = _MEMO.get(doc)
    if entry is not None:
        return entry
    path = _cache_file(doc)
    entry = _read(path) if path and path.is_file() else None
    if entry is None:
        entry = _compute(doc)
        if path:
            _write(path, entry)
    _MEMO[doc] = entry
    return entry


def cached_docopt(doc: str, argv: list[str] | None = None, help: bool = True, version: Any = None,
                  options_first: bool = False) -> Any:
    """docopt.docopt with the usage pattern expanded once per usage text."""
    import docopt as d

    usage, options, pattern = fixed_pattern(doc)
    d.DocoptExit.usage = usage
    tokens = d.TokenStream(sys.argv[1:] if argv is None else argv, d.DocoptExit)
    parsed = d.parse_argv(tokens, list(options), options_first)
    d.extras(help, version, parsed, doc)
    matched, left, collected = pattern.match(parsed)
    if matched and left == []:
        return d.Dict((a.name, a.value) for a in (pattern.flat() + collected))
    raise d.DocoptExit()


# --- terraform-compliance's jsonify ---------------------------------------------------------------

# terraform-compliance parses every string of a plan as JSON (`helper.jsonify`, through
# `recursive_jsonify`), and nearly all of them are not JSON: each costs an orjson call and an exception
# (about 1.7 million on a 2,000-resource plan, a third of the parse). A string can only be JSON when its
# first non-blank character can start a JSON value; the others are returned as they are, without trying.
_JSON_FIRST = frozenset('{["-0123456789tfnNI')  # t/f/n: true/false/null; N/I: NaN/Infinity (stdlib json)
_BLANK = " \t\n\r"


def fast_jsonify(string: Any) -> Any:
    """helper.jsonify, skipping json.loads for strings that cannot be JSON. Same results (tested)."""
    if not isinstance(string, str):
        return string
    head = string.lstrip(_BLANK)[:1]
    if not head or head not in _JSON_FIRST:
        return string
    original = _ORIGINAL_JSONIFY.get("f")
    if original is None:  # not installed (yet): the module's own function is the original
        from terraform_compliance.common import helper

        original = helper.jsonify
    return original(string)


_ORIGINAL_JSONIFY: dict[str, Any] = {}


# --- step patterns --------------------------------------------------------------------------------

_PARSERS: dict[tuple[str, tuple[tuple[str, int], ...]], Any] = {}


def cached_parser(pattern: str, extra_types: dict[str, Any] | None = None) -> Any:
    """parse_type.cfparse.Parser(pattern, extra_types), compiled once per pattern and custom-type set."""
    from parse_type.cfparse import Parser

    key = (pattern, tuple(sorted((name, id(func)) for name, func in (extra_types or {}).items())))
    parser = _PARSERS.get(key)
    if parser is None:
        parser = _PARSERS[key] = Parser(pattern, extra_types)
    return parser


# --- install --------------------------------------------------------------------------------------


def preload() -> None:
    """Import what terraform-compliance's step modules import, without registering any step."""
    from terraform_compliance import steps

    with contextlib.redirect_stdout(io.StringIO()):
        importlib.import_module("IPython")
        for info in pkgutil.walk_packages(steps.__path__, prefix="terraform_compliance.steps."):
            if info.name.count(".") >= 3:  # given/when/then helpers; steps.py and terrain.py register steps
                importlib.import_module(info.name)


def install(cache_dir: str | os.PathLike[str] | None = None) -> None:
    """Make this (warm) process and every child forked from it start evaluations faster."""
    global _INSTALLED
    _STATE["dir"] = Path(cache_dir) if cache_dir else None
    if _INSTALLED:
        return
    import radish.main
    import radish.matcher
    from terraform_compliance.common import helper

    preload()
    from runner.engine import speedups

    speedups.install()
    radish.main.docopt = cached_docopt
    radish.matcher.Parser = cached_parser
    if "f" not in _ORIGINAL_JSONIFY:
        _ORIGINAL_JSONIFY["f"] = helper.jsonify
        helper.jsonify = fast_jsonify
    _INSTALLED = True


# --- compatibility ----------------------------------------------------------------------------------

# (module, attribute path, parameters the patch passes or relies on; None: only that it exists)
TARGETS: tuple[tuple[str, str, tuple[str, ...] | None], ...] = (
    ("radish.main", "docopt", None),
    ("radish.main", "run_features", ("core",)),
    ("radish.main", "main", ("args",)),
    ("radish.runner", "Runner", ("hooks", "early_exit")),
    ("radish.runner", "Runner.start", None),  # wrapped by radish: no signature to read
    ("radish.hookregistry", "HookRegistry.reset", None),
    ("radish.stepregistry", "StepRegistry.clear", None),
    ("radish.loader", "load_modules", None),
    ("radish.matcher", "merge_steps", None),
    ("radish.matcher", "Parser", None),
    ("parse_type.cfparse", "Parser", ("schema", "extra_types")),
    ("radish.utils", "flattened_basedirs", None),
    ("radish.terrain", "world", None),
    ("docopt", "printable_usage", None),
    ("docopt", "parse_defaults", None),
    ("docopt", "parse_pattern", None),
    ("docopt", "formal_usage", None),
    ("docopt", "parse_argv", None),
    ("docopt", "extras", None),
    ("docopt", "TokenStream", None),
    ("docopt", "Option", ("short", "long", "argcount", "value")),
    ("docopt", "DocoptExit", None),
    ("docopt", "Dict", None),
    ("terraform_compliance.extensions.terraform", "Cache", None),
    ("terraform_compliance.extensions.terraform", "TerraformParser", None),
    ("terraform_compliance.steps.terrain", "load_terraform_data", None),
    ("terraform_compliance.common.helper", "jsonify", ("string",)),
    ("terraform_compliance.common.helper", "recursive_jsonify", ("haystack",)),
    # runner/engine/corrections.py (verdicts, not speed)
    ("terraform_compliance.extensions.terraform", "TerraformParser._find_resource_from_name",
     ("resource_name", "module_address")),
    ("terraform_compliance.extensions.terraform", "TerraformParser._fetch_resource_by_a_variable",
     ("module", "variable")),
    ("terraform_compliance.extensions.terraform", "TerraformParser._mount_resources", ("source", "target", "ref_type")),
    ("terraform_compliance.extensions.terraform", "TerraformParser._mount_references", None),
    ("terraform_compliance.common.defaults", "Defaults.r_mount_addr_ptr", None),
    ("terraform_compliance.steps.given.i_have_name_section_configured", "find_root_by_key",
     ("haystack", "needle", "return_key")),
    ("terraform_compliance.extensions.terraform", "TerraformParser._read_file", ("filename",)),
    # runner/engine/speedups.py (same results, linear cost)
    ("terraform_compliance.common.helper", "find_root_by_key", ("haystack", "needle", "return_key")),
    ("terraform_compliance.extensions.terraform", "TerraformParser.find_resources_by_type",
     ("resource_type", "match")),
    ("terraform_compliance.steps.given.i_have_name_section_configured", "remove_mounted_resources",
     ("resource_list",)),
    ("terraform_compliance.steps.given.i_have_name_section_configured", "get_resource_address_list_from_stash",
     ("resource_list",)),
    ("terraform_compliance.steps.when.its_key_is_value", "get_resource_address_list_from_stash",
     ("resource_list",)),
    ("terraform_compliance.common.helper", "Match", ("case_sensitive", "regex_flag")),
    ("terraform_compliance.common.helper", "Match.equals", ("left", "right")),
    ("terraform_compliance.common.helper", "Match.get", ("haystack", "needle", "default")),
    ("terraform_compliance.common.helper", "Match.seek_key_in_dict", ("haystack", "needle")),
    ("terraform_compliance.extensions.terraform", "deepcopy", None),
    # runner/engine/continuation.py (verdicts: the steps after a failing one still run)
    ("radish.runner", "Runner.run_scenario", None),  # wrapped by radish: no signature to read
    ("radish.runner", "Runner.handle_exit", ("func",)),
    ("radish.runner", "Runner.call_hooks", ("model",)),
    ("radish.runner", "Runner.skip_step", ("step",)),
    ("radish.runner", "Runner.run_step", None),
    ("radish.stepmodel", "Step.State", None),
    ("terraform_compliance.common.error_handling", "Error", ("step_obj", "message")),
)


def _resolve(module: str, path: str) -> Any:
    obj: Any = importlib.import_module(module)
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def check_compatible(targets: tuple[tuple[str, str, tuple[str, ...] | None], ...] = TARGETS) -> list[str]:
    """What does not match the patches: one line per target that is missing or has another signature."""
    import inspect

    problems: list[str] = []
    with contextlib.redirect_stdout(io.StringIO()):
        for module, path, params in targets:
            try:
                obj = _resolve(module, path)
            except (ImportError, AttributeError) as exc:
                problems.append(f"{module}.{path} is missing ({type(exc).__name__})")
                continue
            if params is None:
                continue
            try:
                names = list(inspect.signature(obj).parameters)
            except (TypeError, ValueError):
                problems.append(f"{module}.{path} has no inspectable signature")
                continue
            missing = [p for p in params if p not in names]
            if missing:
                problems.append(f"{module}.{path} lacks parameter(s) {', '.join(missing)}")
    return problems

"""Terraform plans: load, validate, convert binary plans, collect sensitive values, hand the engine a copy."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from runner.addresses import resource_type
from runner.errors import PlanError
from runner.limits import DEFAULT, Limits, size_text
from runner.readers import compiled, decode_utf8, json_type, loads, read_bytes
from runner.schemas import load_schema

ZIP_MAGIC = b"PK\x03\x04"
SENSITIVE = "(sensitive)"
MIN_REDACT_LEN = 3


@dataclass(frozen=True)
class Plan:
    """A validated plan and what the runner needs to know about it.

    The parsed document is not kept: a sweep holds hundreds of plans, so `data` and `text` are read
    again from the file when asked for (only converted binary plans keep their text in memory)."""

    path: str
    digest: str
    format_version: str
    terraform_version: str
    addresses: frozenset[str] = field(repr=False)
    sensitive_values: frozenset[str] = field(repr=False, compare=False)
    static_plan: bool = False  # rendered from Terraform source by plan-from-source
    not_evaluated: tuple[str, ...] = ()  # static plans: what the renderer could not evaluate (runner.source)
    kept_text: str | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        if self.kept_text is not None:
            return self.kept_text
        try:
            text = Path(self.path).read_bytes().decode("utf-8-sig")
        except OSError as exc:
            raise PlanError(f"cannot read plan file: {exc.strerror}", where=self.path) from None
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != self.digest:
            raise PlanError("plan file changed while it was being evaluated", where=self.path)
        return text

    @property
    def data(self) -> dict[str, Any]:
        return json.loads(_json_text(self.text))  # validated when loaded

    @property
    def resource_types(self) -> frozenset[str]:
        return frozenset(resource_type(a) for a in self.addresses)

    def engine_text(self) -> str:
        """The plan as one line of JSON, values untouched (the engine only reads one-line plans).

        Raw newlines can only be whitespace in valid JSON (inside strings they are escaped), so
        dropping them keeps every value byte for byte."""
        text = self.text
        return _json_text(text).replace("\r", "").replace("\n", "")

    def write_engine_copy(self, directory: str | os.PathLike[str]) -> str:
        target = Path(directory) / f"plan-{self.digest[:16]}.json"
        if not target.exists():  # a unique temporary name: threads and processes may write the same plan
            fd, tmp = tempfile.mkstemp(prefix=target.name, suffix=".tmp", dir=directory)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(self.engine_text())
            os.replace(tmp, target)
        return str(target)

    def redact(self, text: str) -> str:
        return redact(text, self.sensitive_values)

    def redact_address(self, address: str) -> str:
        return redact_address(address, self.sensitive_values)


PLAN_HINT = "convert a plan with `terraform show -json PLAN > plan.json`"


def load_plan(path: str | os.PathLike[str], terraform: str | None = None, limits: Limits = DEFAULT) -> Plan:
    """Read a plan file (JSON, pretty or not; or a binary plan converted with terraform). Never modifies it.

    The file is read within `limits.plan_size` (a directory, device, missing file or symlink loop is
    refused by name) and validated before anything else sees it."""
    where = str(path)
    raw = read_bytes(path, limits.plan_size, where, PlanError, "plan file",
                     hint=limits.hint("plan_size", "--max-plan-size"))
    if raw.startswith(ZIP_MAGIC):
        converted = convert_binary_plan(Path(path), terraform)
        if len(converted) > limits.plan_size:
            raise PlanError(f"converts to more than the limit of {size_text(limits.plan_size)} of JSON", where=where,
                            hint=limits.hint("plan_size", "--max-plan-size"))
        return parse_plan_bytes(converted, where, keep_text=True, limits=limits)
    return parse_plan_bytes(raw, where, limits=limits)


def parse_plan_bytes(raw: bytes, where: str, keep_text: bool | None = None, limits: Limits = DEFAULT) -> Plan:
    """Validate a plan. `keep_text` keeps the text in memory (default: when `where` is not a file)."""
    if not raw.strip():
        raise PlanError("plan file is empty", where=where)
    text = decode_utf8(raw, where, PlanError, hint=PLAN_HINT)
    data, _ = _parse_json(text, where, limits, raw)
    check_plan(data, where)
    if keep_text is None:
        keep_text = not Path(where).is_file()
    from runner.source.marker import is_static_plan, plan_not_evaluated

    return Plan(
        path=where,
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        format_version=str(data.get("format_version")),
        terraform_version=str(data.get("terraform_version")),
        addresses=frozenset(resource_addresses(data)),
        sensitive_values=frozenset(collect_sensitive_values(data)),
        static_plan=bool(is_static_plan(data)),
        not_evaluated=plan_not_evaluated(data) if isinstance(data, dict) else (),
        kept_text=text if keep_text else None,
    )


def _parse_json(text: str, where: str, limits: Limits = DEFAULT, raw: bytes | None = None) -> tuple[Any, str]:
    """The parsed document and the JSON text it came from (hashicorp/setup-terraform's wrapper prints the
    command line before the JSON: that shape is accepted)."""
    return loads(text, where, limits, PlanError, raw=raw, lenient_prefix=True), _json_text(text)


def _json_text(text: str) -> str:
    """The JSON of a plan file: all of it, or the line starting with `{` after a wrapper's command line."""
    if text.lstrip().startswith("{"):
        return text
    return next((line for line in text.splitlines() if line.lstrip().startswith("{")), text)


@cache
def _plan_validator() -> Callable[[Any], str | None]:
    return compiled(load_schema("plan"))


def check_plan(data: Any, where: str) -> None:
    """The plan against runner/schemas/plan.schema.json, then what a schema cannot say: a plan has
    planned_values and configuration, a state has values.root_module."""
    if not isinstance(data, dict):
        raise PlanError(f"top level: expected an object, got {json_type(data)} (not a Terraform plan)", where=where,
                        hint=PLAN_HINT)
    missing = [k for k in ("format_version", "terraform_version") if not data.get(k)]
    if missing:
        raise PlanError(f"is JSON but not a Terraform plan (no {' or '.join(missing)})", where=where, hint=PLAN_HINT)
    problem = _plan_validator()(data)
    if problem:
        raise PlanError(problem, where=where)
    if "values" in data:  # a state file, which the engine also reads
        if not isinstance(data["values"].get("root_module"), dict):
            raise PlanError("/values: missing required key `root_module` (a Terraform state without resources)",
                            where=where)
        return
    absent = [k for k in ("planned_values", "configuration") if k not in data]
    if absent:
        raise PlanError(f"top level: missing required key `{absent[0]}` (not a Terraform plan)", where=where,
                        hint="produce it with `terraform show -json PLAN`")


def convert_binary_plan(path: Path, terraform: str | None) -> bytes:
    exe = terraform or shutil.which("terraform")
    if not exe:
        raise PlanError(
            "is a binary Terraform plan and no terraform binary was found",
            where=str(path),
            hint="put terraform on PATH, pass --terraform PATH, or give `terraform show -json` output",
        )
    try:
        proc = subprocess.run(
            [exe, "show", "-json", "-no-color", str(path.resolve())],
            cwd=path.resolve().parent,
            capture_output=True,
            timeout=300,
            check=False,
        )
    except OSError as exc:
        raise PlanError(f"cannot run terraform at {exe}: {exc.strerror}", where=str(path)) from None
    except subprocess.TimeoutExpired:
        raise PlanError("`terraform show -json` timed out after 300 s", where=str(path)) from None
    if proc.returncode != 0:
        first = _first_line(proc.stderr.decode("utf-8", "replace")) or f"exit {proc.returncode}"
        raise PlanError(f"`terraform show -json` failed: {first}", where=str(path))
    return proc.stdout


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip(" │╷╵\t")
        if line and not line.startswith("Warning"):
            return line
    return ""


# --- addresses -------------------------------------------------------------------------------------


def iter_modules(module: dict[str, Any] | None) -> Iterator[dict[str, Any]]:
    if not isinstance(module, dict):
        return
    yield module
    for child in module.get("child_modules") or []:
        yield from iter_modules(child)


def resource_addresses(data: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for change in data.get("resource_changes") or []:
        if isinstance(change, dict) and change.get("address"):
            found.add(change["address"])
    for section in ("planned_values", "values"):
        for module in iter_modules((data.get(section) or {}).get("root_module")):
            for res in module.get("resources") or []:
                if isinstance(res, dict) and res.get("address"):
                    found.add(res["address"])
    return found


# --- sensitive values -----------------------------------------------------------------------------


def _leaves(value: Any) -> Iterator[Any]:
    """Everything a sensitive value is made of: its scalars and, for a map, its keys (a map marked
    sensitive as a whole hides which keys it has, too)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    elif value is not None and not isinstance(value, bool):
        yield value


def _masked(value: Any, mask: Any) -> Iterator[Any]:
    """Values of `value` that `mask` (Terraform's *_sensitive structure) marks sensitive."""
    if mask is True:
        yield from _leaves(value)
    elif isinstance(mask, dict) and isinstance(value, dict):
        for key, sub in mask.items():
            if key in value:
                yield from _masked(value[key], sub)
    elif isinstance(mask, list) and isinstance(value, list):
        for item, sub in zip(value, mask):
            yield from _masked(item, sub)


def _module_values(module: dict[str, Any]) -> Iterator[Any]:
    for res in module.get("resources") or []:
        if isinstance(res, dict):
            yield from _masked(res.get("values"), res.get("sensitive_values"))


def collect_sensitive_values(data: dict[str, Any]) -> set[str]:
    out: list[Any] = []
    for change in data.get("resource_changes") or []:
        body = (change or {}).get("change") or {}
        out += _masked(body.get("after"), body.get("after_sensitive"))
        out += _masked(body.get("before"), body.get("before_sensitive"))
    for section in ("planned_values", "values"):
        sect = data.get(section) or {}
        for module in iter_modules(sect.get("root_module")):
            out += _module_values(module)
        for output in (sect.get("outputs") or {}).values():
            if isinstance(output, dict) and output.get("sensitive"):
                out += _leaves(output.get("value"))
    for module in iter_modules(((data.get("prior_state") or {}).get("values") or {}).get("root_module")):
        out += _module_values(module)
    for change in (data.get("output_changes") or {}).values():
        out += _masked(change.get("after"), change.get("after_sensitive"))
        out += _masked(change.get("before"), change.get("before_sensitive"))
    declared = ((data.get("configuration") or {}).get("root_module") or {}).get("variables") or {}
    for name, decl in declared.items():
        if isinstance(decl, dict) and decl.get("sensitive"):
            out += _leaves(((data.get("variables") or {}).get(name) or {}).get("value"))
    return {s for v in out for s in spellings(v) if len(s) >= MIN_REDACT_LEN}


def spellings(value: Any) -> set[str]:
    """Every way the engine can print one sensitive value: the plan's text, and Python's spelling of what
    the engine made of it. The plan is read with floats kept as the plan writes them (2.7182818284590450);
    the engine reads them as floats and prints 2.718281828459045. It also reads strings that hold JSON (a
    number, an object) as that JSON, so their parts are printed on their own."""
    text = value if isinstance(value, str) else str(value)
    out = {text, repr(text)[1:-1]}
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None and number == number and abs(number) != float("inf") and not text.strip().lstrip("-").isdigit():
        out.add(repr(number))  # a float literal: Python's shortest spelling
        if number.is_integer() and abs(number) < 1e16:
            out.add(str(int(number)))
    stripped = text.strip()
    if stripped[:1] in ("{", "[") and len(stripped) > 1:
        try:
            inner = json.loads(stripped)
        except ValueError:
            inner = None
        if isinstance(inner, (dict, list)):
            out |= {s for leaf in _leaves(inner) for s in spellings(leaf)}
    return out


def redact_address(address: str, secrets: Iterable[str]) -> str:
    """The address with each instance key that is a sensitive value shown as `["(sensitive)"]`: the
    address stays an address (reports, exclusions, file:line), the key does not leak."""
    from runner.addresses import PatternError, split_address

    known = set(secrets)
    try:
        parts = split_address(address)
    except PatternError:
        return redact(address, known)
    out = []
    for part in parts:
        name, bracket, key = part.partition("[")
        raw = key[:-1] if key.endswith("]") else key
        unquoted = raw[1:-1].replace('\\"', '"') if raw.startswith('"') and raw.endswith('"') else raw
        if bracket and (unquoted in known or raw in known):
            part = f'{name}["{SENSITIVE}"]'
        out.append(part)
    return ".".join(out)


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every sensitive value (and its JSON-escaped form) in text with `(sensitive)`."""
    for secret in sorted(secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, SENSITIVE)
        escaped = json.dumps(secret)[1:-1]
        if escaped != secret and escaped in text:
            text = text.replace(escaped, SENSITIVE)
    return text

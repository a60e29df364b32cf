"""Terraform plans: load, validate, convert binary plans, collect sensitive values, hand the engine a copy."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runner.addresses import resource_type
from runner.errors import PlanError

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
        data, _ = _parse_json(self.text, self.path)
        return data

    @property
    def resource_types(self) -> frozenset[str]:
        return frozenset(resource_type(a) for a in self.addresses)

    def engine_text(self) -> str:
        """The plan as one line of JSON, values untouched (the engine only reads one-line plans).

        Raw newlines can only be whitespace in valid JSON (inside strings they are escaped), so
        dropping them keeps every value byte for byte."""
        text = self.text
        json_text = text if text.lstrip().startswith("{") else _parse_json(text, self.path)[1]
        return json_text.replace("\r", "").replace("\n", "")

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


def load_plan(path: str | os.PathLike[str], terraform: str | None = None) -> Plan:
    """Read a plan file (JSON, pretty or not; or a binary plan converted with terraform). Never modifies it."""
    where = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise PlanError("no such plan file", where=where) from None
    except IsADirectoryError:
        raise PlanError("is a directory, not a plan file", where=where) from None
    except OSError as exc:
        raise PlanError(f"cannot read plan file: {exc.strerror}", where=where) from None
    if raw.startswith(ZIP_MAGIC):
        return parse_plan_bytes(convert_binary_plan(Path(path), terraform), where, keep_text=True)
    return parse_plan_bytes(raw, where)


def parse_plan_bytes(raw: bytes, where: str, keep_text: bool | None = None) -> Plan:
    """Validate a plan. `keep_text` keeps the text in memory (default: when `where` is not a file)."""
    if not raw.strip():
        raise PlanError("plan file is empty", where=where)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PlanError(
            "is not JSON text (binary data that is not a Terraform plan)",
            where=where,
            hint="convert a plan with `terraform show -json PLAN > plan.json`",
        ) from None
    data, _ = _parse_json(text, where)
    _check_is_plan(data, where)
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


def _parse_json(text: str, where: str) -> tuple[Any, str]:
    """The parsed document and the JSON text it came from."""
    try:
        return json.loads(text, parse_float=str), text
    except json.JSONDecodeError as exc:
        # hashicorp/setup-terraform's wrapper prints the command line before the JSON: accept that shape
        for line in text.splitlines():
            if line.lstrip().startswith("{"):
                try:
                    return json.loads(line, parse_float=str), line
                except json.JSONDecodeError:
                    break
        at_end = exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated string")
        problem = "truncated JSON" if at_end else "invalid JSON"
        raise PlanError(f"{problem}: {exc.msg} at line {exc.lineno} column {exc.colno}", where=where) from None


def _check_is_plan(data: Any, where: str) -> None:
    if not isinstance(data, dict):
        raise PlanError(f"is JSON but not a Terraform plan (top level is a {type(data).__name__})", where=where)
    missing = [k for k in ("format_version", "terraform_version") if not data.get(k)]
    if missing:
        raise PlanError(f"is JSON but not a Terraform plan (no {' or '.join(missing)})", where=where)
    if "values" in data:  # a state file, which the engine also reads
        root = (data.get("values") or {}).get("root_module")
        if not isinstance(root, dict):
            raise PlanError("is a Terraform state without values.root_module", where=where)
        return
    if not isinstance(data.get("planned_values"), dict) or not isinstance(data.get("configuration"), dict):
        raise PlanError(
            "is JSON but not a Terraform plan (no planned_values or configuration)",
            where=where,
            hint="produce it with `terraform show -json PLAN`",
        )


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
    if isinstance(value, dict):
        for v in value.values():
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
    return {str(v) for v in out if len(str(v)) >= MIN_REDACT_LEN}


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every sensitive value (and its JSON-escaped form) in text with `(sensitive)`."""
    for secret in sorted(secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, SENSITIVE)
        escaped = json.dumps(secret)[1:-1]
        if escaped != secret and escaped in text:
            text = text.replace(escaped, SENSITIVE)
    return text

"""Root module variable values: `terraform.tfvars`, `*.auto.tfvars` (and their .json forms), then
`-var-file` files, then `-var name=value` arguments, each overriding the ones before (as terraform does)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from runner import readers
from runner.errors import PlanError, UsageError
from runner.source.config import ModuleConfig
from runner.source.evaluator import CONSTANT_SCOPE, Scope, evaluate
from runner.source.hcl import parse_expression, parse_file
from runner.source.limits import read_text
from runner.source.values import EvalError
from runner.source.warnings import Warnings


def auto_var_files(source_dir: Path) -> list[Path]:
    found = [
        source_dir / n for n in ("terraform.tfvars", "terraform.tfvars.json") if (source_dir / n).is_file()
    ]
    found += sorted(p for p in source_dir.iterdir() if p.name.endswith((".auto.tfvars", ".auto.tfvars.json")))
    return found


def read_var_file(path: Path) -> dict[str, Any]:
    where = str(path)
    try:
        text = read_text(path, "variables file")
    except OSError as exc:
        raise PlanError(f"cannot read variables file: {exc.strerror}", where=where) from None
    if path.suffix == ".json":
        data = readers.loads(text, where, error=PlanError)
        if not isinstance(data, dict):
            raise PlanError("a variables file must hold an object", where=where)
        return data
    body = parse_file(where, text)
    values: dict[str, Any] = {}
    for name, attr in body.attributes.items():
        try:
            values[name] = evaluate(attr.expr, CONSTANT_SCOPE)
        except EvalError as exc:
            raise PlanError(
                f"variable {name!r}: {exc} (a .tfvars file holds literal values only)",
                where=f"{where}:{attr.line}",
            ) from None
    return values


def parse_var_args(args: Sequence[str]) -> list[tuple[str, str]]:
    out = []
    for arg in args:
        name, sep, value = arg.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"-var {arg!r}: expected NAME=VALUE")
        out.append((name.strip(), value))
    return out


def root_values(
    config: ModuleConfig, var_args: Sequence[tuple[str, str]], var_files: Sequence[str], warnings: Warnings
) -> dict[str, Any]:
    source_dir = Path(config.dir)
    values: dict[str, Any] = {}
    for path in [*auto_var_files(source_dir), *(Path(f) for f in var_files)]:
        if not path.is_file():
            raise PlanError("no such variables file", where=str(path))
        for name, value in read_var_file(path).items():
            if name not in config.variables:
                warnings.add(f"value for undeclared variable {name!r}", str(path), 0)
                continue
            values[name] = value
    for name, text in var_args:
        decl = config.variables.get(name)
        if decl is None:
            raise UsageError(f"-var {name}: no variable {name!r} is declared in {config.dir}")
        try:
            values[name] = parse_cli_value(text, decl.type, f"-var {name}")
        except PlanError:
            if not decl.sensitive:
                raise
            raise PlanError("cannot read this value (the variable is sensitive: the value is not shown)",
                            where=f"-var {name}") from None
    return values


def _raise(message: str) -> Any:
    raise EvalError(message)


def parse_cli_value(text: str, var_type: Any, where: str) -> Any:
    """A `-var name=value` value: the text for string/any/primitive types, an HCL expression otherwise."""
    if var_type in ("string", "any", "number", "bool", None):
        return text
    node = parse_expression(text, where)
    scope = Scope(lambda n: _raise(f"-var values cannot refer to {n}"))
    try:
        return evaluate(node, scope)
    except EvalError as exc:
        raise PlanError(f"cannot evaluate value: {exc}", where=where) from None

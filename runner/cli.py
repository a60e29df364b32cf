"""Argument parsing and dispatch. Each command lives in runner/commands/<name>.py and exposes
NAME, HELP, add_arguments(parser) and run(args, output) -> exit code."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from types import ModuleType

from runner import __version__, commands
from runner.console import Output
from runner.errors import TfguardError

EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with one line
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"tfguard: error: {message}\n")


def command_modules() -> list[ModuleType]:
    found = []
    for info in pkgutil.iter_modules(commands.__path__):
        if info.name.startswith("_"):
            continue
        found.append(importlib.import_module(f"runner.commands.{info.name}"))
    return sorted(found, key=lambda m: m.NAME)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tfguard",
        description="Continuous compliance for Terraform: guardrails, observation and active mode.",
    )
    parser.add_argument("--version", action="version", version=f"tfguard {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for module in command_modules():
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    output = Output()
    try:
        return int(args._run(args, output))
    except TfguardError as exc:
        output.error(exc.line())
        return EXIT_ERROR
    except KeyboardInterrupt:
        output.error("interrupted")
        return EXIT_ERROR

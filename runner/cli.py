"""Argument parsing and dispatch. Each command lives in runner/commands/<name>.py and exposes
NAME, HELP, add_arguments(parser) and run(args, output) -> exit code."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import traceback
from types import ModuleType
from typing import NoReturn

from runner import __version__, commands
from runner.console import Output
from runner.errors import TfguardError

EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2



class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors exit 2 with one line
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"tfguard: error: {message}\n")


def command_modules(only: str | None = None) -> list[ModuleType]:
    """Every command module, or only the one named `only` (module `plan_from_source` is `plan-from-source`):
    a run imports just its own command, so one command's heavy imports never slow another down."""
    found = []
    for info in pkgutil.iter_modules(commands.__path__):
        if info.name.startswith("_") or (only is not None and info.name != only.replace("-", "_")):
            continue
        found.append(importlib.import_module(f"runner.commands.{info.name}"))
    return sorted(found, key=lambda m: m.NAME)


def _command_word(argv: list[str] | None) -> str | None:
    """The command named on the command line (the first word not starting with '-'), if any."""
    return next((a for a in argv or () if not a.startswith("-")), None)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tfguard",
        description="Continuous compliance for Terraform: guardrails, observation and active mode.",
    )
    parser.add_argument("--version", action="version", version=f"tfguard {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="print the traceback of an internal error (also: TFGUARD_DEBUG=1)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    word = _command_word(argv)
    modules = (command_modules(word) if word else []) or command_modules()  # unknown word: argparse lists all
    for module in modules:
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
    return parser


def _debug(argv: list[str]) -> bool:
    word = _command_word(argv)
    before_command = argv[: argv.index(word)] if word else argv
    return "--debug" in before_command or os.environ.get("TFGUARD_DEBUG", "").lower() not in ("", "0", "false", "no")


def main(argv: list[str] | None = None) -> int:
    """Run one command. The one edge of every command: a TfguardError is one line and exit 2; anything
    else is a bug, and also one line and exit 2 (never 1, which means violations), with the traceback
    under --debug or TFGUARD_DEBUG=1."""
    argv = sys.argv[1:] if argv is None else argv
    output = Output()
    command = _command_word(argv) or "tfguard"
    try:
        args = build_parser(argv).parse_args(argv)  # argument types may raise TfguardError too
        return int(args._run(args, output))
    except TfguardError as exc:
        output.error(exc.line())
        return EXIT_ERROR
    except KeyboardInterrupt:
        output.error("interrupted")
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - the edge: a bug must not read as violations or as a pass
        if _debug(argv):
            traceback.print_exc(file=sys.stderr)
        detail = str(exc) or "(no message)"
        output.internal_error(f"internal error in {command}: {type(exc).__name__}: {detail} "
                              "(run with --debug for the traceback)")
        return EXIT_ERROR

"""All terminal output goes through here (rich); the core never prints."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from rich.console import Console


@dataclass
class Output:
    """stdout for results, stderr for diagnostics. Plain text when not a terminal."""

    out: Console = field(default_factory=lambda: Console(file=sys.stdout, highlight=False, soft_wrap=True))
    err: Console = field(
        default_factory=lambda: Console(file=sys.stderr, highlight=False, soft_wrap=True, stderr=True)
    )

    def print(self, text: str = "", style: str | None = None) -> None:
        self.out.print(text, style=style, markup=False)

    def raw(self, text: str) -> None:
        """Write text exactly (JSON, Markdown) with no markup or wrapping."""
        self.out.file.write(text if text.endswith("\n") else text + "\n")
        self.out.file.flush()

    def warn(self, text: str) -> None:
        self.err.print(f"warning: {text}", style="yellow", markup=False)

    def info(self, text: str) -> None:
        self.err.print(text, style="dim", markup=False)

    def error(self, text: str) -> None:
        self.err.print(f"tfguard: error: {one_line(text)}", style="bold red", markup=False)

    def internal_error(self, text: str) -> None:
        self.err.print(f"tfguard: {one_line(text)}", style="bold red", markup=False)


def one_line(text: str) -> str:
    """A diagnostic stays one line: line breaks inside it (a file name, a library's message) are escaped."""
    return text.replace("\r", "\\r").replace("\n", "\\n")

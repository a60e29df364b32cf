"""Warnings about what the static renderer could not render, each with the place it concerns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceWarning:
    message: str
    file: str = ""
    line: int = 0

    @property
    def where(self) -> str:
        if not self.file:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class Warnings:
    items: list[SourceWarning] = field(default_factory=list)

    def add(self, message: str, file: str = "", line: int = 0) -> None:
        warning = SourceWarning(message, file, line)
        if warning not in self.items:
            self.items.append(warning)


@dataclass(frozen=True)
class NotEvaluated:
    """Configuration the static plan holds no resources for, though terraform would plan some: a module that
    cannot be read, or a count / for_each that cannot be known. Reports list it as "not evaluated"."""

    address: str  # module.vendor, module.a.aws_s3_bucket.logs (configuration addresses, no instance keys)
    reason: str
    file: str = ""
    line: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"address": self.address, "reason": self.reason, "file": self.file, "line": self.line}

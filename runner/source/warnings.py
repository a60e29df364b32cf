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

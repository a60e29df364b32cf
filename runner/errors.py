"""One family of errors. Deep code raises them; only the CLI edge turns one into a line and exit code 2."""

from __future__ import annotations


class TfguardError(Exception):
    """Base error: `where` names the file, entry or remote concerned; `hint` says what to do."""

    def __init__(self, message: str, where: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def line(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text} ({self.hint})" if self.hint else text


class UsageError(TfguardError):
    """The command line asks for something impossible."""


class PlanError(TfguardError):
    """A plan file is missing, unreadable, malformed or not a Terraform plan."""


class GuardrailError(TfguardError):
    """A feature file or guardrail is malformed, duplicated or unknown."""


class ConfigError(TfguardError):
    """A YAML registry or config file (workloads, exclusions, tfguard.yaml) is malformed."""


class EngineError(TfguardError):
    """terraform-compliance could not evaluate a plan."""


class GitError(TfguardError):
    """A git remote is unreachable, a ref is refused or a push is rejected."""


class NotifyError(TfguardError):
    """A notification channel could not be reached."""

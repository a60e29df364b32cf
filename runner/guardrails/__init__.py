"""Guardrails: loading feature files, lint, self-tests and the catalogue."""

"""Exclusions: the registry, address patterns and PR-driven requests."""

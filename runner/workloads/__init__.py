"""Workloads: the registry, their plans, secret references and plan sources."""

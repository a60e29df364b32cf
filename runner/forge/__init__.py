"""Forges (GitHub): pull requests through their REST APIs."""

"""Forges (GitHub, GitLab): pull requests and marked comments through their REST APIs (runner.http)."""

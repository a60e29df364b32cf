"""`plan_url: URL`: a plan artifact downloaded over https://, http:// or file://, with optional
`plan_headers` (credentials as ${VAR} references, expanded at fetch time, never logged). The download is
runner.http's (timeout, size cap, errors scrubbed of the expanded values)."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from runner import http
from runner.errors import PlanError
from runner.workloads import secretrefs
from runner.workloads.plan import ZIP_MAGIC, Plan, convert_binary_plan, parse_plan_bytes
from runner.workloads.sources.base import MAX_PLAN_BYTES, SourceContext

FETCH_TIMEOUT = 120
KEY = "plan_url"
SCHEMES = ("https", "http", "file")
SCHEMA = {
    "description": "URL of a plan JSON artifact (https://, http://, file://). ${ENV_VAR} references are expanded "
                   "at fetch time.",
    "type": "string",
    "pattern": "^(https?|file)://",
}


class UrlPlan:
    key = KEY
    schema = SCHEMA

    def claims(self, spec: Any) -> bool:
        return str(spec).split("://", 1)[0].lower() in SCHEMES

    def describe(self, spec: Any) -> str:
        return f"plan_url {spec}"  # templates hold ${VAR} references only

    def load(self, spec: Any, ctx: SourceContext) -> Plan:
        return fetch_plan(str(spec), ctx.workload.plan_headers, ctx.terraform, ctx.env)


SOURCE = UrlPlan()


def fetch_plan(url_template: str, headers: Mapping[str, str] | None = None, terraform: str | None = None,
               env: Mapping[str, str] | None = None, timeout: int = FETCH_TIMEOUT) -> Plan:
    """Download a plan artifact. Errors name the URL as written in the registry (references, no secrets)."""
    where = url_template
    url = secretrefs.expand(url_template, env, where=where, error=PlanError)
    names = secretrefs.refs(url_template) + [n for v in (headers or {}).values() for n in secretrefs.refs(v)]
    sent_headers = {k: secretrefs.expand(v, env, where=f"{where} header {k}", url=False, error=PlanError)
                    for k, v in (headers or {}).items()}
    try:
        answer = http.request("GET", url, headers=sent_headers, timeout=timeout, max_bytes=MAX_PLAN_BYTES,
                              secrets=secretrefs.secret_values(env, names), what="fetching the plan", where=where)
    except http.HttpError as exc:
        raise PlanError(exc.message, where=where) from None
    return plan_from_bytes(answer.body, where, terraform)


def plan_from_bytes(raw: bytes, where: str, terraform: str | None = None) -> Plan:
    """A downloaded artifact as a Plan: JSON as it is, a binary plan (zip) through `terraform show -json`."""
    if raw.startswith(ZIP_MAGIC):
        with tempfile.TemporaryDirectory(prefix="tfguard-plan-") as tmp:
            binary = Path(tmp) / "downloaded.tfplan"
            binary.write_bytes(raw)
            raw = convert_binary_plan(binary, terraform)
    return parse_plan_bytes(raw, where)

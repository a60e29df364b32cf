"""The one HTTP helper: every request tfguard makes (plan_url downloads, the forges' REST APIs) goes
through `request`. It always has a timeout, never reads more than a size cap, and turns every failure
into one HttpError line from which every secret (tokens, expanded ${VAR} values, URL userinfo) is
scrubbed, so an error can be printed as it is.

    response = request("GET", url, headers={"Authorization": f"Bearer {token}"}, secrets=[token],
                       what="listing the comments", where=api_url)
    comments = response.json()
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from runner.errors import TfguardError

DEFAULT_TIMEOUT = 30.0  # seconds, per request
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
USER_AGENT = "tfguard"
_USERINFO = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]+@")


class HttpError(TfguardError):
    """A request could not be made, was refused (`status` set) or its answer was too large or unreadable."""

    def __init__(self, message: str, where: str | None = None, hint: str | None = None, status: int = 0,
                 detail: str = "") -> None:
        super().__init__(message, where=where, hint=hint)
        self.status = status  # the HTTP status of a refusal, 0 when no answer came
        self.detail = detail  # what went wrong, without the "doing X failed" prefix (scrubbed)


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = field(repr=False)
    headers: Mapping[str, str] = field(default_factory=dict)
    url: str = ""

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8") or "null")
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise HttpError("the answer is not JSON", where=self.url, detail="the answer is not JSON") from None


def scrub(text: str, secrets: Sequence[str] = ()) -> str:
    """text without URL userinfo and without any of `secrets` (each at least 3 characters long)."""
    text = _USERINFO.sub(r"\1", text)
    for secret in sorted((s for s in secrets if s and len(s) >= 3), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def request(method: str, url: str, *, headers: Mapping[str, str] | None = None, body: bytes | None = None,
            json_body: Any = None, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
            secrets: Sequence[str] = (), what: str = "", where: str | None = None) -> Response:
    """Make one request and return the answer (2xx). `where` is how errors name the target (default: the
    URL, scrubbed); `what` says what was being done ("fetching the plan"). Any other status, an unreachable
    host, a timeout or an answer over `max_bytes` raise HttpError."""
    where = scrub(where if where is not None else url, secrets)
    doing = f"{what} failed" if what else f"{method} failed"
    sent = {"User-Agent": USER_AGENT, **(headers or {})}
    if json_body is not None:
        body = json.dumps(json_body).encode("utf-8")
        sent.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=body, method=method, headers=sent)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as answer:
            raw = answer.read(max_bytes + 1)
            status = int(getattr(answer, "status", None) or 200)
            got = {k.lower(): v for k, v in answer.headers.items()} if answer.headers else {}
    except urllib.error.HTTPError as exc:
        detail = scrub(_error_detail(exc), secrets)
        raise HttpError(f"{doing}: HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else ""), where=where,
                        status=exc.code, detail=detail or str(exc.reason or "no details")) from None
    except TimeoutError:
        raise HttpError(f"{doing}: no answer within {timeout:g} s", where=where,
                        detail=f"no answer within {timeout:g} s") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = scrub(str(getattr(exc, "reason", exc)), secrets)
        raise HttpError(f"{doing}: {reason}", where=where, detail=reason) from None
    if len(raw) > max_bytes:
        raise HttpError(f"{doing}: the answer is larger than {_size(max_bytes)}", where=where,
                        detail=f"the answer is larger than {_size(max_bytes)}")
    return Response(status, raw, got, where)


def _error_detail(exc: urllib.error.HTTPError) -> str:
    """The message a REST API puts in its error body (GitHub `message` + `errors`, GitLab `message`/`error`)."""
    try:
        raw = exc.read(64 * 1024)
    except OSError:
        return ""
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return ""
    if not isinstance(doc, dict):
        return ""
    parts = [doc.get("message"), doc.get("error"), doc.get("error_description")]
    parts += [e.get("message") for e in doc.get("errors", []) if isinstance(e, dict)]
    text = "; ".join(str(p) if not isinstance(p, (dict, list)) else json.dumps(p) for p in parts if p)
    return " ".join(text.split())[:300]


def _size(n: int) -> str:
    return f"{n // 2**20} MiB" if n >= 2**20 else f"{n} bytes"

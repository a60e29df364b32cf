"""Content-addressed cache of engine results, one entry per (plan, guardrail).

Key = digest of (plan text, guardrail content digest, engine identity: tfguard + terraform-compliance
versions + recorder version). Exclusions are applied *after* the engine and after the cache, so an entry
holds the result before exclusions and stays valid when exclusions change. Entries hold only redacted
text (never a sensitive value). Errors are never cached. Writes are atomic (temp file + rename), so
concurrent runs at worst compute an entry twice.

Entries are sealed, because a cache directory is often shared (a CI cache restored from another branch)
and whoever can write it would otherwise choose the verdict:
- with a secret (`TFGUARD_CACHE_KEY`), the seal is an HMAC-SHA256 of the entry under that secret and the
  file name is an HMAC of the key: an entry cannot be forged, moved to another key or even found without
  the secret;
- without one, the seal is a plain SHA-256 of the entry: it catches corruption and hand edits, but anyone
  who recomputes it can forge an entry, so a reader that must not trust that (`enforce`) reads no entry.
An entry that does not parse, does not match its key or fails its seal is discarded, evaluated again and
reported (`failures`), never trusted."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from runner.errors import UsageError
from runner.fs import cache_root
from runner.model import Finding, Guardrail, Result, Status

ENTRY_VERSION = 3  # 3: findings say whether they are unknown
KEY_ENV = "TFGUARD_CACHE_KEY"
MIN_SECRET_BYTES = 16


@cache
def engine_identity() -> str:
    from importlib.metadata import PackageNotFoundError, version

    from runner import __version__
    from runner.engine.base import RECORDER_DIR

    try:
        tfc = version("terraform-compliance")
    except PackageNotFoundError:
        tfc = "unknown"
    recorder = hashlib.sha256(Path(RECORDER_DIR, "tfguard_recorder.py").read_bytes()).hexdigest()[:12]
    return (f"tfguard {__version__}; terraform-compliance {tfc}; recorder {recorder}; fixes {engine_fixes_digest()}; "
            f"entry {ENTRY_VERSION}")


def engine_fixes_digest() -> str:
    """Digest of tfguard's corrections of the engine and of what they read: a changed fix is a new engine."""
    from runner.engine.base import verdict_sources

    digest = hashlib.sha256()
    for path in verdict_sources():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def default_cache_dir() -> Path:
    return cache_root() / "results"


@dataclass(frozen=True)
class Failure:
    """An entry that was read and not trusted."""

    guardrail: str
    why: str


class ResultCache:
    """`secret`: the HMAC key; `trust_unkeyed`: read entries sealed without a secret (check, observe). A
    cache with neither reads nothing and only writes (what `enforce` gets without a secret)."""

    def __init__(self, directory: str | Path | None = None, secret: bytes | None = None,
                 trust_unkeyed: bool = True) -> None:
        self.directory = Path(directory) if directory else default_cache_dir()
        self.secret = secret
        self.reads = secret is not None or trust_unkeyed
        self.hits = 0
        self.misses = 0
        self.failures: list[Failure] = []

    @staticmethod
    def key(plan_digest: str, guardrail: Guardrail) -> str:
        text = f"{engine_identity()}\n{plan_digest}\n{guardrail.digest}"
        return hashlib.sha256(text.encode()).hexdigest()

    def _name(self, key: str) -> str:
        if self.secret is None:
            return key
        return hmac.new(self.secret, f"name\0{key}".encode(), hashlib.sha256).hexdigest()

    def _path(self, key: str) -> Path:
        name = self._name(key)
        return self.directory / name[:2] / f"{name}.json"

    def _seal(self, body: dict[str, Any]) -> dict[str, str]:
        text = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
        if self.secret is None:
            return {"kind": "sha256", "value": hashlib.sha256(text).hexdigest()}
        return {"kind": "hmac-sha256", "value": hmac.new(self.secret, text, hashlib.sha256).hexdigest()}

    def get(self, key: str, guardrail: Guardrail, workload: str) -> Result | None:
        result = self._read(key, guardrail, workload) if self.reads else None
        if result is None:
            self.misses += 1
        else:
            self.hits += 1
        return result

    def _read(self, key: str, guardrail: Guardrail, workload: str) -> Result | None:
        path = self._path(key)
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            why = self._untrusted(doc, key)
            result = None if why else _from_entry(doc, guardrail, workload)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            why, result = "it does not parse", None
        if why:
            self.failures.append(Failure(guardrail.id, why))
            with contextlib.suppress(OSError):
                path.unlink()
        return result

    def _untrusted(self, doc: Any, key: str) -> str:
        """Why this entry cannot be trusted for `key`, or "" when its seal holds."""
        if not isinstance(doc, dict) or not isinstance(doc.get("seal"), dict):
            return "it has no seal"
        body = {k: v for k, v in doc.items() if k != "seal"}
        expected = self._seal(body)
        if doc["seal"].get("kind") != expected["kind"]:
            return f"it is sealed {doc['seal'].get('kind')!r}, not {expected['kind']!r}"
        if not hmac.compare_digest(str(doc["seal"].get("value", "")), expected["value"]):
            return "its seal does not match its content"
        if body.get("key") != key:
            return "it was written for another key"
        return ""

    def put(self, key: str, result: Result) -> None:
        if result.status is Status.ERROR:
            return
        path = self._path(key)
        body = _to_entry(key, result)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({**body, "seal": self._seal(body)}), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def warning(self) -> str | None:
        """One line for the run's warnings when entries were not trusted."""
        if not self.failures:
            return None
        ids = sorted({f.guardrail for f in self.failures})
        shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        return (f"{len(self.failures)} result cache entr{'y' if len(self.failures) == 1 else 'ies'} failed "
                f"verification ({self.failures[0].why}; guardrails {shown}) in {self.directory}: discarded "
                "and evaluated again")


def secret_from_env(env: Mapping[str, str] | None = None) -> bytes | None:
    """The cache's HMAC key from TFGUARD_CACHE_KEY, or None; a key too short to be a secret is refused."""
    value = (os.environ if env is None else env).get(KEY_ENV, "")
    if not value:
        return None
    if len(value.encode()) < MIN_SECRET_BYTES:
        raise UsageError(f"{KEY_ENV} is too short to be a secret ({MIN_SECRET_BYTES} bytes at least)",
                         hint="use 32 random bytes, e.g. the output of `openssl rand -hex 32`")
    return value.encode()


def _to_entry(key: str, r: Result) -> dict[str, Any]:
    return {
        "key": key,
        "status": r.status.value,
        "messages": list(r.messages),
        "findings": [{"address": f.address, "message": f.message, "warning": f.warning, "unknown": f.unknown}
                     for f in r.findings],
    }


def _from_entry(doc: dict[str, Any], g: Guardrail, workload: str) -> Result | None:
    status = Status(doc["status"])
    if status is Status.ERROR:
        return None
    findings = tuple(
        Finding(g.id, workload, str(f["address"]), str(f["message"]), g.severity, warning=bool(f["warning"]),
                unknown=bool(f.get("unknown", False)))
        for f in doc["findings"]
    )
    return Result(g.id, workload, status, findings, tuple(str(m) for m in doc["messages"]))

"""Content-addressed cache of engine results, one entry per (plan, guardrail).

Key = digest of (plan text, guardrail content digest, engine identity: tfguard + terraform-compliance
versions + recorder version). Exclusions are applied *after* the engine and after the cache, so an entry
holds the result before exclusions and stays valid when exclusions change. Entries hold only redacted
text (never a sensitive value). Errors are never cached. Writes are atomic (temp file + rename), so
concurrent runs at worst compute an entry twice; an entry that does not parse or does not match its key
is ignored and rewritten, never trusted."""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from runner.fs import cache_root
from runner.model import Finding, Guardrail, Result, Status

ENTRY_VERSION = 1


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
    return f"tfguard {__version__}; terraform-compliance {tfc}; recorder {recorder}; entry {ENTRY_VERSION}"


def default_cache_dir() -> Path:
    return cache_root() / "results"


class ResultCache:
    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = Path(directory) if directory else default_cache_dir()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(plan_digest: str, guardrail: Guardrail) -> str:
        text = f"{engine_identity()}\n{plan_digest}\n{guardrail.digest}"
        return hashlib.sha256(text.encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str, guardrail: Guardrail, workload: str) -> Result | None:
        path = self._path(key)
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            result = _from_entry(doc, key, guardrail, workload)
        except FileNotFoundError:
            result = None
        except (OSError, ValueError, KeyError, TypeError):
            result = None  # corrupt: ignored here, rewritten by put()
        if result is None:
            self.misses += 1
        else:
            self.hits += 1
        return result

    def put(self, key: str, result: Result) -> None:
        if result.status is Status.ERROR:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(_to_entry(key, result)), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs time


def _to_entry(key: str, r: Result) -> dict[str, Any]:
    return {
        "key": key,
        "status": r.status.value,
        "messages": list(r.messages),
        "findings": [{"address": f.address, "message": f.message, "warning": f.warning} for f in r.findings],
    }


def _from_entry(doc: dict[str, Any], key: str, g: Guardrail, workload: str) -> Result | None:
    if doc.get("key") != key:
        return None
    status = Status(doc["status"])
    if status is Status.ERROR:
        return None
    findings = tuple(
        Finding(g.id, workload, str(f["address"]), str(f["message"]), g.severity, warning=bool(f["warning"]))
        for f in doc["findings"]
    )
    return Result(g.id, workload, status, findings, tuple(str(m) for m in doc["messages"]))

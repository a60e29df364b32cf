"""The one options record every formatter takes, beside the RunResult it renders.

Most formatters need nothing but the run; the dashboard also draws the ledger's history and the guardrails
pending activation, and counts days from today. Commands build one `ReportOptions` (raw records are
checked and normalised by `ReportOptions.build`) and pass it to `render` or `write_reports`; a formatter
reads the fields it uses and ignores the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from runner.errors import ConfigError
from runner.model import Status

HISTORY_STATUSES = frozenset({s.value for s in Status} | {"excluded"})


class HistoryPoint(NamedTuple):
    """One ledger record: the status of one guardrail on one workload on one date."""

    day: date
    guardrail: str
    workload: str
    status: str  # a Status value, or "excluded" (passed thanks to an exclusion)


@dataclass(frozen=True)
class ReportOptions:
    """history: the ledger's records, oldest first (empty: none was given).
    pending: guardrail id -> activation deadline (None: unknown); None derives it from the run.
    today: the day days-left and expiry are counted from; None asks the clock (TFGUARD_TODAY pins it)."""

    history: tuple[HistoryPoint, ...] = ()
    pending: Mapping[str, date | None] | None = None
    today: date | None = None

    @classmethod
    def build(cls, history: Iterable[Mapping[str, Any] | HistoryPoint] | None = None,
              pending: Mapping[str, date | str | None] | None = None, today: date | None = None) -> ReportOptions:
        """Options from raw records: history as `{"date", "guardrail", "workload", "status"}` mappings (the
        ledger's and `--history`'s shape) or HistoryPoints, pending deadlines as dates or "YYYY-MM-DD".
        Raises ConfigError naming the record that is wrong."""
        return cls(history=normalise_history(history),
                   pending=normalise_pending(pending) if pending is not None else None, today=today)


NO_OPTIONS = ReportOptions()


def _as_date(value: Any, where: str, seen: dict[Any, date]) -> date:
    if value in seen:
        return seen[value]
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value)[:10])
        except ValueError:
            raise ConfigError(f"{value!r} is not a YYYY-MM-DD date", where=where) from None
    seen[value] = day
    return day


def normalise_history(history: Iterable[Mapping[str, Any] | HistoryPoint] | None) -> tuple[HistoryPoint, ...]:
    out: list[HistoryPoint] = []
    dates: dict[Any, date] = {}  # a ledger repeats each date thousands of times: parse it once
    for i, rec in enumerate(history or ()):
        if isinstance(rec, HistoryPoint):
            out.append(rec)
            continue
        where = f"history record {i + 1}"
        try:
            gid, workload, status = rec["guardrail"], rec["workload"], rec["status"]
            raw_day = rec["date"] if "date" in rec else rec["day"]
        except (KeyError, TypeError):
            raise ConfigError("needs date, guardrail, workload and status", where=where) from None
        if not isinstance(status, str) or status not in HISTORY_STATUSES:
            raise ConfigError(f"unknown status {status!r}", where=where)
        out.append(HistoryPoint(_as_date(raw_day, where, dates), str(gid), str(workload), status))
    return tuple(out)


def normalise_pending(pending: Mapping[str, date | str | None]) -> dict[str, date | None]:
    return {str(gid): (None if d is None else _as_date(d, f"pending {gid}", {})) for gid, d in pending.items()}

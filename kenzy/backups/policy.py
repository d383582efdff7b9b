"""A site's backup policy: when backups are due, and which ones retention keeps.

Retention follows the usual grandfather-father-son rule, counted in UTC calendar periods
that hold a backup (as restic's and borg's ``--keep-*`` do), newest first:

- ``hourly``: the newest database-only backup of each of the last N hours (the RPO
  backups between two full ones);
- ``daily`` / ``weekly`` / ``monthly``: the newest *full* backup of each of the last N
  days, ISO weeks and months (a database-only backup cannot bring files back, so only
  full backups stand for a day, a week or a month);
- the newest backup and the newest full backup are always kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Literal, Protocol

from pydantic import BaseModel, Field

__all__ = ["BackupPolicy", "Dated", "due", "keep"]


class BackupPolicy(BaseModel):
    """How often a site is backed up and how long backups are kept."""

    database_minutes: int = Field(default=60, ge=5, description="A database backup when the last backup is this old (RPO).")
    full_hours: int = Field(default=24, ge=1, description="A full backup when the last full one is this old.")
    keep_hourly: int = Field(default=48, ge=0)
    keep_daily: int = Field(default=30, ge=0)
    keep_weekly: int = Field(default=8, ge=0)
    keep_monthly: int = Field(default=12, ge=0)


class Dated(Protocol):
    """What retention needs to know of a complete backup."""

    @property
    def backup_id(self) -> str: ...

    @property
    def kind(self) -> Literal["full", "database"]: ...

    @property
    def created_at(self) -> datetime: ...


def _newest_per_period(backups: Sequence[Dated], count: int, period: Callable[[datetime], Hashable]) -> set[str]:
    kept: set[str] = set()
    seen: set[Hashable] = set()
    for backup in backups:  # newest first
        if len(seen) >= count:
            break
        bucket = period(backup.created_at)
        if bucket not in seen:
            seen.add(bucket)
            kept.add(backup.backup_id)
    return kept


def keep(backups: Iterable[Dated], policy: BackupPolicy) -> set[str]:
    """The ids of the complete backups ``policy`` keeps; every other one has expired."""
    newest_first = sorted(backups, key=lambda b: b.created_at, reverse=True)
    full = [b for b in newest_first if b.kind == "full"]
    database = [b for b in newest_first if b.kind == "database"]
    kept = _newest_per_period(database, policy.keep_hourly, lambda t: (t.date(), t.hour))
    kept |= _newest_per_period(full, policy.keep_daily, lambda t: t.date())
    kept |= _newest_per_period(full, policy.keep_weekly, lambda t: t.isocalendar()[:2])
    kept |= _newest_per_period(full, policy.keep_monthly, lambda t: (t.year, t.month))
    kept |= {b.backup_id for b in (newest_first[:1] + full[:1])}
    return kept


# A run every few minutes must not slip a whole period because the last backup finished a
# few seconds after the scheduled minute: allow 5 % of the interval (at most 5 minutes).
def _slack(interval: timedelta) -> timedelta:
    return min(interval / 20, timedelta(minutes=5))


def due(policy: BackupPolicy, last_full: datetime | None, last_any: datetime | None,
        now: datetime) -> Literal["full", "database"] | None:
    """What ``kenzy backup run-due`` should run now: a full backup (which includes the
    database) when the last full one is too old, else a database backup when the last
    backup of any kind is older than the RPO, else nothing."""
    full_every = timedelta(hours=policy.full_hours)
    if last_full is None or now - last_full >= full_every - _slack(full_every):
        return "full"
    database_every = timedelta(minutes=policy.database_minutes)
    if last_any is None or now - last_any >= database_every - _slack(database_every):
        return "database"
    return None

"""The backup catalog: every backup run (running, complete or failed) and each site's
policy, in kenzy's SQLite state next to the sites.

The store stays the source of truth for what a backup holds (its manifest); the catalog is
what kenzy lists, schedules and prunes from, and where drills record their RTO.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from kenzy.backups.models import BackupInfo
from kenzy.backups.policy import BackupPolicy
from kenzy.store import Store

__all__ = ["Catalog"]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


class Catalog:
    """Backup records in ``store``'s database."""

    def __init__(self, store: Store) -> None:
        self._store = store

    async def start(self, info: BackupInfo) -> None:
        """Record a backup as running (it is not listed as complete until `finish`)."""
        await self._store.run(lambda c: c.execute(
            "INSERT INTO backups (id, subdomain, kind, status, created_at, record) VALUES (?, ?, ?, 'running', ?, ?)",
            (info.backup_id, info.subdomain, info.kind, info.created_at.isoformat(), info.model_dump_json()),
        ))

    async def save(self, info: BackupInfo) -> None:
        """Write the record's current state (complete, replicated, verified, ...)."""
        await self._store.run(lambda c: c.execute(
            "UPDATE backups SET status = ?, finished_at = COALESCE(finished_at, ?), record = ?, error = ? WHERE id = ?",
            (info.status, _now(), info.model_dump_json(), info.error, info.backup_id),
        ))

    async def fail(self, backup_id: str, error: str) -> None:
        def fn(conn: sqlite3.Connection) -> None:
            row = conn.execute("SELECT record FROM backups WHERE id = ?", (backup_id,)).fetchone()
            if row is None:
                return
            info = BackupInfo.model_validate_json(row["record"]).model_copy(update={"status": "failed", "error": error})
            conn.execute("UPDATE backups SET status = 'failed', finished_at = ?, record = ?, error = ? WHERE id = ?",
                         (_now(), info.model_dump_json(), error, backup_id))

        await self._store.run(fn)

    async def abandon_running(self, subdomain: str) -> int:
        """Mark the site's running backups as failed. Call it holding the site's lock: then
        nothing can still be running, so these were cut short (a killed process)."""
        running = [i for i in await self.list(subdomain, status="running")]
        for info in running:
            await self.fail(info.backup_id, "interrupted: the process stopped before the backup completed")
        return len(running)

    async def list(self, subdomain: str, *, status: str | None = "complete") -> list[BackupInfo]:
        """The site's backups with ``status`` (None: all), newest first."""
        def fn(conn: sqlite3.Connection) -> list[BackupInfo]:
            sql = "SELECT record, status, error FROM backups WHERE subdomain = ?"
            params: tuple[str, ...] = (subdomain,)
            if status is not None:
                sql += " AND status = ?"
                params += (status,)
            rows = conn.execute(sql + " ORDER BY created_at DESC, id DESC", params).fetchall()
            return [BackupInfo.model_validate_json(r["record"]).model_copy(update={"status": r["status"], "error": r["error"]})
                    for r in rows]

        return await self._store.run(fn)

    async def get(self, subdomain: str, backup_id: str) -> BackupInfo | None:
        return next((i for i in await self.list(subdomain, status=None) if i.backup_id == backup_id), None)

    async def remove(self, backup_ids: list[str]) -> None:
        await self._store.run(lambda c: c.executemany("DELETE FROM backups WHERE id = ?", [(i,) for i in backup_ids]))

    async def sites(self) -> list[str]:
        """Subdomains with backups in the catalog (sites that are gone included)."""
        rows = await self._store.run(lambda c: c.execute("SELECT DISTINCT subdomain FROM backups ORDER BY 1").fetchall())
        return [r[0] for r in rows]

    async def policy(self, subdomain: str, default: BackupPolicy) -> BackupPolicy:
        """The site's policy: ``default`` with the site's own settings over it."""
        row = await self._store.run(lambda c: c.execute(
            "SELECT policy FROM backup_policies WHERE subdomain = ?", (subdomain,)).fetchone())
        if row is None:
            return default
        return default.model_copy(update=BackupPolicy.model_validate_json(row[0]).model_dump(exclude_unset=True))

    async def set_policy(self, subdomain: str, policy: BackupPolicy) -> None:
        """Store the fields set on ``policy`` as the site's own (the rest follow the defaults)."""
        await self._store.run(lambda c: c.execute(
            "INSERT INTO backup_policies VALUES (?, ?) ON CONFLICT(subdomain) DO UPDATE SET policy = excluded.policy",
            (subdomain, policy.model_dump_json(exclude_unset=True)),
        ))

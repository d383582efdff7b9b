"""The state store: sites, a journal of steps and an audit log, in SQLite under ``KENZY_HOME``.

Every call runs in a worker thread with its own connection (WAL mode, busy timeout), so the
event loop never blocks and several processes can share the file.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread

from kenzy.models import Site, SiteCredentials, SiteState
from kenzy.vault import Vault

__all__ = ["JournalEntry", "Store"]

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sites (
    subdomain TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    record TEXT NOT NULL,
    secrets TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    subdomain TEXT NOT NULL,
    operation TEXT NOT NULL,
    step TEXT NOT NULL,
    state TEXT NOT NULL,
    seconds REAL,
    detail TEXT
);
CREATE TABLE IF NOT EXISTS backups (
    id TEXT PRIMARY KEY,
    subdomain TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    record TEXT,
    error TEXT
);
CREATE INDEX IF NOT EXISTS backups_site ON backups (subdomain, status, created_at);
CREATE TABLE IF NOT EXISTS backup_policies (
    subdomain TEXT PRIMARY KEY,
    policy TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    operation TEXT NOT NULL,
    subdomain TEXT,
    outcome TEXT NOT NULL,
    detail TEXT
);
"""

JournalEntry = dict[str, Any]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


class Store:
    """SQLite-backed state. Secrets are sealed with the `Vault` before they touch the disk."""

    def __init__(self, path: Path, vault: Vault) -> None:
        self.path = path
        self._vault = vault
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.row_factory = sqlite3.Row
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)
            self.path.chmod(0o600)
            self._ready = True
        return conn

    async def run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn`` on a fresh connection in a worker thread (the backup catalog uses it too)."""
        def work() -> T:
            conn = self._connect()
            try:
                return fn(conn)
            finally:
                conn.close()

        return await anyio.to_thread.run_sync(work)

    # sites ---------------------------------------------------------------------------------

    async def claim(self, site: Site, credentials: SiteCredentials) -> Site | None:
        """Insert ``site`` as creating, unless the subdomain exists: then return the existing one."""

        def fn(conn: sqlite3.Connection) -> Site | None:
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute(
                    "SELECT record FROM sites WHERE subdomain = ?", (site.subdomain,)
                ).fetchone()
                if row is not None:
                    return Site.model_validate_json(row["record"])
                conn.execute(
                    "INSERT INTO sites VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        site.subdomain,
                        site.status.value,
                        site.plan.fingerprint(),
                        site.model_dump_json(),
                        self._seal(credentials),
                        _now(),
                        _now(),
                    ),
                )
                return None
            finally:
                conn.execute("COMMIT")

        return await self.run(fn)

    async def set_status(self, subdomain: str, status: SiteState) -> Site:
        """Change a site's status and return the updated record."""

        def fn(conn: sqlite3.Connection) -> Site:
            row = conn.execute("SELECT record FROM sites WHERE subdomain = ?", (subdomain,)).fetchone()
            site = Site.model_validate_json(row["record"])
            site = site.model_copy(update={"status": status, "updated_at": datetime.now(timezone.utc)})
            conn.execute(
                "UPDATE sites SET status = ?, record = ?, updated_at = ? WHERE subdomain = ?",
                (status.value, site.model_dump_json(), _now(), subdomain),
            )
            return site

        return await self.run(fn)

    async def update_urls(self, subdomain: str, url: str, admin_url: str) -> Site:
        """Record the site's new URLs (after it moved to HTTPS)."""

        def fn(conn: sqlite3.Connection) -> Site:
            row = conn.execute("SELECT record FROM sites WHERE subdomain = ?", (subdomain,)).fetchone()
            site = Site.model_validate_json(row["record"]).model_copy(
                update={"url": url, "admin_url": admin_url, "updated_at": datetime.now(timezone.utc)})
            conn.execute("UPDATE sites SET record = ?, updated_at = ? WHERE subdomain = ?",
                         (site.model_dump_json(), _now(), subdomain))
            return site

        return await self.run(fn)

    async def get(self, subdomain: str) -> Site | None:
        """The site record, or None."""

        def fn(conn: sqlite3.Connection) -> Site | None:
            row = conn.execute("SELECT record FROM sites WHERE subdomain = ?", (subdomain,)).fetchone()
            return Site.model_validate_json(row["record"]) if row else None

        return await self.run(fn)

    async def list(self) -> list[Site]:
        """Every site, oldest first."""

        def fn(conn: sqlite3.Connection) -> list[Site]:
            rows = conn.execute("SELECT record FROM sites ORDER BY created_at, subdomain").fetchall()
            return [Site.model_validate_json(r["record"]) for r in rows]

        return await self.run(fn)

    async def credentials(self, subdomain: str) -> SiteCredentials | None:
        """The site's decrypted secrets, or None."""

        def fn(conn: sqlite3.Connection) -> str | None:
            row = conn.execute("SELECT secrets FROM sites WHERE subdomain = ?", (subdomain,)).fetchone()
            return row["secrets"] if row else None

        token = await self.run(fn)
        if token is None:
            return None
        data = json.loads(self._vault.decrypt(token, context=subdomain))
        return SiteCredentials.model_validate(data)

    async def delete(self, subdomain: str) -> None:
        """Forget a site."""
        await self.run(lambda c: c.execute("DELETE FROM sites WHERE subdomain = ?", (subdomain,)))

    def _seal(self, credentials: SiteCredentials) -> str:
        data = credentials.model_dump(mode="json")
        for key, value in credentials:
            if hasattr(value, "get_secret_value"):
                data[key] = value.get_secret_value()
        return self._vault.encrypt(json.dumps(data), context=credentials.subdomain)

    # journal and audit -------------------------------------------------------------------

    async def journal(
        self,
        subdomain: str,
        operation: str,
        step: str,
        state: str,
        *,
        seconds: float | None = None,
        detail: str | None = None,
    ) -> None:
        """Record one step of an operation (started, done, failed, undone)."""
        await self.run(
            lambda c: c.execute(
                "INSERT INTO journal (at, subdomain, operation, step, state, seconds, detail)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (_now(), subdomain, operation, step, state, seconds, detail),
            )
        )

    async def journal_for(self, subdomain: str) -> list[JournalEntry]:
        """The journal of one site, oldest first."""

        def fn(conn: sqlite3.Connection) -> list[JournalEntry]:
            rows = conn.execute(
                "SELECT * FROM journal WHERE subdomain = ? ORDER BY id", (subdomain,)
            ).fetchall()
            return [dict(r) for r in rows]

        return await self.run(fn)

    async def audit(
        self, operation: str, subdomain: str | None, outcome: str, *, detail: str | None = None
    ) -> None:
        """Append to the audit log (who did what to which site, and how it ended)."""
        import getpass

        actor = getpass.getuser()
        await self.run(
            lambda c: c.execute(
                "INSERT INTO audit (at, actor, operation, subdomain, outcome, detail)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (_now(), actor, operation, subdomain, outcome, detail),
            )
        )

    async def audit_log(self, limit: int = 100) -> list[JournalEntry]:
        """The most recent audit entries, newest first."""

        def fn(conn: sqlite3.Connection) -> list[JournalEntry]:
            rows = conn.execute("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
            return [dict(r) for r in rows]

        return await self.run(fn)

"""Databases and users in the private MariaDB, through the admin account, off the event loop."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread

from kenzy.errors import StackError
from kenzy.wordpress import PUBLISHED_QUERY

__all__ = ["MariaDBAdmin"]

T = TypeVar("T")
_IDENT = re.compile(r"^[a-z0-9_]{1,64}$")
MAX_USER_CONNECTIONS = 30


def _ident(name: str) -> str:
    if not _IDENT.match(name):  # identifiers come from kenzy.naming; this is a last guard
        raise StackError(f"refusing unsafe SQL identifier {name!r}")
    return name


class MariaDBAdmin:
    """Creates and drops one database and one user per site; each user sees its database only."""

    def __init__(self, socket: Path, password: str) -> None:
        self._socket = socket
        self._password = password

    def __repr__(self) -> str:
        return f"MariaDBAdmin(socket={self._socket})"

    async def _run(self, fn: Callable[[Any], T]) -> T:
        def work() -> T:
            import pymysql

            try:
                conn = pymysql.connect(
                    unix_socket=str(self._socket),
                    user="kenzy_admin",
                    password=self._password,
                    autocommit=True,
                    connect_timeout=10,
                )
            except pymysql.MySQLError as exc:
                raise StackError(
                    f"cannot reach MariaDB at {self._socket} (error {exc.args[0]}); run `kenzy stack up`"
                ) from None
            try:
                with conn.cursor() as cur:
                    return fn(cur)
            except pymysql.MySQLError as exc:
                # Only the server's error code: statements may hold passwords.
                raise StackError(f"MariaDB refused a statement (error {exc.args[0]})") from None
            finally:
                conn.close()

        return await anyio.to_thread.run_sync(work)

    async def ensure(self, name: str, password: str) -> None:
        """Create database ``name`` and user ``name`` with rights on it only (converges)."""
        db = _ident(name)

        def fn(cur: Any) -> None:
            cur.execute(f"CREATE DATABASE IF NOT EXISTS `{db}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
            cur.execute(f"CREATE USER IF NOT EXISTS '{db}'@'localhost' IDENTIFIED BY %s", (password,))
            cur.execute(
                f"ALTER USER '{db}'@'localhost' IDENTIFIED BY %s WITH MAX_USER_CONNECTIONS {MAX_USER_CONNECTIONS}",
                (password,),
            )
            cur.execute(f"GRANT ALL PRIVILEGES ON `{db}`.* TO '{db}'@'localhost'")

        await self._run(fn)

    async def drop(self, name: str) -> None:
        """Drop the database and the user; nothing to do when they are gone."""
        db = _ident(name)

        def fn(cur: Any) -> None:
            cur.execute(f"DROP DATABASE IF EXISTS `{db}`")
            cur.execute(f"DROP USER IF EXISTS '{db}'@'localhost'")

        await self._run(fn)

    async def exists(self, name: str) -> dict[str, bool]:
        """Whether the database and the user exist."""
        db = _ident(name)

        def fn(cur: Any) -> dict[str, bool]:
            cur.execute("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", (db,))
            has_db = cur.fetchone()[0] > 0
            cur.execute("SELECT COUNT(*) FROM mysql.user WHERE User = %s", (db,))
            return {"database": has_db, "db_user": cur.fetchone()[0] > 0}

        return await self._run(fn)

    async def published(self, name: str) -> list[tuple[int, str, str]]:
        """``(ID, post_type, post_title)`` of every published post, page and attachment of the
        site's database: what a restore drill compares."""
        db = _ident(name)

        def fn(cur: Any) -> list[tuple[int, str, str]]:
            cur.execute(f"USE `{db}`")
            cur.execute(PUBLISHED_QUERY)
            return [(int(row[0]), str(row[1]), str(row[2])) for row in cur.fetchall()]

        return await self._run(fn)

"""A site's data as backups see it: its database as SQL, and its ``wp-content`` files."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import anyio.to_thread

from kenzy.runtimes import site_files
from kenzy.runtimes.local import _proc
from kenzy.runtimes.local._files import own_tree
from kenzy.runtimes.local._layout import Layout
from kenzy.runtimes.local._services import StackContext

__all__ = ["dump_database", "list_content", "load_database", "replace_content"]


def _client_env(ctx: StackContext) -> dict[str, str]:
    # The password travels in the child's environment, never in argv.
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "MYSQL_PWD": ctx.mariadb_password}


async def dump_database(ctx: StackContext, database: str) -> bytes:
    """A consistent SQL dump of one database (``--single-transaction``: no locks on InnoDB)."""
    result = await _proc.run(
        ["mariadb-dump", f"--socket={ctx.layout.mariadb_socket}", "--user=kenzy_admin", "--single-transaction",
         "--quick", "--skip-lock-tables", "--default-character-set=utf8mb4", "--skip-dump-date", database],
        env=_client_env(ctx), what="mariadb-dump",
    )
    return result.stdout


async def load_database(ctx: StackContext, database: str, sql: bytes) -> None:
    """Replace the database's content with ``sql`` (the database is dropped and recreated)."""
    admin = ["mariadb", f"--socket={ctx.layout.mariadb_socket}", "--user=kenzy_admin"]
    recreate = f"DROP DATABASE IF EXISTS `{database}`; CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
    await _proc.run([*admin, "-e", recreate], env=_client_env(ctx), what="mariadb")
    await _proc.run([*admin, database], input=sql, env=_client_env(ctx), what="mariadb (restore)")


def list_content(layout: Layout, subdomain: str) -> Iterator[tuple[str, Path, int]]:
    """``(relative path, absolute path, mode)`` of every file in the site's ``wp-content``."""
    return site_files.walk(layout.site(subdomain).wp_content)


async def replace_content(layout: Layout, subdomain: str, files: dict[str, tuple[bytes, int]],
                          owner: str | None, web_group: str | None) -> None:
    """Make the site's ``wp-content`` exactly ``files``: built aside, then swapped in."""
    site = layout.site(subdomain)

    def swap() -> None:
        staging = site.root / ".restore"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(mode=0o750)
        for relative, (data, mode) in files.items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            os.chmod(target, mode)
        own_tree(staging, owner, web_group, file_mode=None)  # files keep their recorded modes
        old = site.root / ".replaced"
        shutil.rmtree(old, ignore_errors=True)
        os.replace(site.wp_content, old)
        os.replace(staging, site.wp_content)
        shutil.rmtree(old, ignore_errors=True)

    await anyio.to_thread.run_sync(swap)

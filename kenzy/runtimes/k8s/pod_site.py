"""`PodSite`: the one site a backup CronJob's pod serves, as the backup engine sees a site.

Inside the site's namespace there is no kenzy state and no local stack: the CronJob gives
the site in its environment (``KENZY_SITE``, ``KENZY_SITE_PLAN``, ``KENZY_SITE_URL``), the
database to dump (``KENZY_DB_HOST``/``_PORT`` or ``KENZY_DB_SOCKET``, ``KENZY_DB_NAME``,
``KENZY_DB_USER``, ``KENZY_DB_PASSWORD``) and ``wp-content`` as a read-only mount
(``KENZY_CONTENT_DIR``). It produces the same objects and manifests as a local site, so a
backup made in the cluster restores (or clones) anywhere.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread

from kenzy.errors import InvalidInput, SiteNotFound, StackError
from kenzy.models import Site, SitePlan, SiteState
from kenzy.runtimes import site_files

__all__ = ["PodSite"]

_REQUIRED = ("KENZY_SITE", "KENZY_SITE_PLAN", "KENZY_SITE_URL", "KENZY_DB_NAME", "KENZY_DB_USER", "KENZY_DB_PASSWORD")


@dataclass
class PodSite:
    """One site's database and files, reached from a pod in its namespace."""

    site: Site
    db_name: str
    db_user: str
    db_password: str
    content: Path
    db_host: str | None = None
    db_port: int = 3306
    db_socket: str | None = None

    def __repr__(self) -> str:
        return f"PodSite({self.site.subdomain}, db={self.db_name}@{self.db_socket or self.db_host})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> PodSite | None:
        """The site the environment describes, or None outside a backup pod (no ``KENZY_CONTENT_DIR``).

        Raises:
            InvalidInput: the pod's environment is incomplete or malformed (names what is wrong).
        """
        env = os.environ if environ is None else environ
        if not env.get("KENZY_CONTENT_DIR"):
            return None
        missing = [name for name in _REQUIRED if not env.get(name)]
        if not (env.get("KENZY_DB_HOST") or env.get("KENZY_DB_SOCKET")):
            missing.append("KENZY_DB_HOST (or KENZY_DB_SOCKET)")
        if missing:
            raise InvalidInput("environment", f"a backup pod needs {', '.join(missing)}")
        plan = SitePlan.model_validate_json(env["KENZY_SITE_PLAN"])
        if plan.subdomain != env["KENZY_SITE"]:
            raise InvalidInput("KENZY_SITE_PLAN", f"is the plan of {plan.subdomain!r}, not {env['KENZY_SITE']!r}")
        url = env["KENZY_SITE_URL"].rstrip("/")
        now = datetime.now(timezone.utc)
        site = Site(subdomain=plan.subdomain, business_name=plan.business_name, industry=plan.industry,
                    locale=plan.locale, url=url, admin_url=f"{url}/wp-admin/", status=SiteState.ACTIVE,
                    runtime="k8s", identifier=env["KENZY_DB_NAME"], plan=plan, created_at=now, updated_at=now)
        return cls(site=site, db_name=env["KENZY_DB_NAME"], db_user=env["KENZY_DB_USER"],
                   db_password=env["KENZY_DB_PASSWORD"], content=Path(env["KENZY_CONTENT_DIR"]),
                   db_host=env.get("KENZY_DB_HOST") or None, db_port=int(env.get("KENZY_DB_PORT") or 3306),
                   db_socket=env.get("KENZY_DB_SOCKET") or None)

    async def active_site(self, subdomain: str) -> Site:
        if subdomain != self.site.subdomain:
            raise SiteNotFound(subdomain)
        return self.site

    @asynccontextmanager
    async def site_lock(self, subdomain: str) -> AsyncIterator[None]:
        """Nothing to take: the CronJob runs one pod at a time (``concurrencyPolicy: Forbid``)."""
        yield

    def _where(self) -> list[str]:
        if self.db_socket:
            return [f"--socket={self.db_socket}"]
        return [f"--host={self.db_host}", f"--port={self.db_port}"]

    async def dump_database(self, subdomain: str) -> bytes:
        """A consistent dump of the site's database, over the network (password in the
        child's environment, never in argv)."""
        await self.active_site(subdomain)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "MYSQL_PWD": self.db_password}
        args = ["mariadb-dump", *self._where(), f"--user={self.db_user}", "--single-transaction", "--quick",
                "--skip-lock-tables", "--default-character-set=utf8mb4", "--skip-dump-date", self.db_name]
        try:
            result = await anyio.run_process(args, env=env, check=False)
        except FileNotFoundError:
            raise StackError("mariadb-dump is not installed in this image (apt-get install mariadb-client)") from None
        if result.returncode != 0:
            raise StackError(f"mariadb-dump failed (exit {result.returncode}): "
                             f"{result.stderr.decode(errors='replace').strip()[-300:]}")
        return bytes(result.stdout)

    async def published(self, subdomain: str) -> list[tuple[int, str, str]]:
        await self.active_site(subdomain)
        from kenzy.wordpress import PUBLISHED_QUERY

        def query() -> list[tuple[int, str, str]]:
            import pymysql

            where: dict[str, Any] = ({"unix_socket": self.db_socket} if self.db_socket
                                     else {"host": self.db_host, "port": self.db_port})
            try:
                conn = pymysql.connect(user=self.db_user, password=self.db_password, database=self.db_name,
                                       connect_timeout=10, **where)
            except pymysql.MySQLError as exc:
                raise StackError(f"cannot reach the site's database (error {exc.args[0]})") from None
            try:
                with conn.cursor() as cur:
                    cur.execute(PUBLISHED_QUERY)
                    return [(int(r[0]), str(r[1]), str(r[2])) for r in cur.fetchall()]
            finally:
                conn.close()

        return await anyio.to_thread.run_sync(query)

    async def content_files(self, subdomain: str) -> list[tuple[str, Path, int]]:
        await self.active_site(subdomain)
        if not self.content.is_dir():
            raise StackError(f"KENZY_CONTENT_DIR {self.content} is not mounted")
        return await anyio.to_thread.run_sync(lambda: list(site_files.walk(self.content)))

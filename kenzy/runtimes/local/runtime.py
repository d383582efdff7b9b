"""`LocalRuntime`: isolated WordPress sites on one machine, on kenzy's private stack."""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import anyio

from kenzy import naming, pipeline, wordpress
from kenzy.errors import SiteNotFound, StackError
from kenzy.models import Site, SiteCredentials, SitePlan, SiteState, SiteStatus
from kenzy.runtimes import records
from kenzy.runtimes.local import _files, _proc, _site_data, _unix
from kenzy.runtimes.local._layout import SitePaths
from kenzy.runtimes.local._mariadb import MariaDBAdmin
from kenzy.runtimes.local._redis import RedisAdmin
from kenzy.runtimes.local._services import StackContext
from kenzy.runtimes.local._stack import Stack
from kenzy.runtimes.local._templates import render, write_file
from kenzy.runtimes.local._tls import TlsMixin
from kenzy.settings import Settings
from kenzy.store import Store
from kenzy.vault import Vault

__all__ = ["DISABLED_FUNCTIONS", "LocalRuntime"]

logger = logging.getLogger(__name__)

DISABLED_FUNCTIONS = (
    "exec,passthru,shell_exec,system,proc_open,popen,proc_close,proc_get_status,proc_nice,"
    "proc_terminate,pcntl_exec,pcntl_fork,pcntl_signal,pcntl_waitpid,pcntl_wait,posix_kill,"
    "posix_setuid,posix_setgid,posix_setpgid,posix_setsid,dl,mail,putenv,"
    "apache_child_terminate,link,symlink"
)
"""Every function that starts or controls a process (``mail`` too: it runs sendmail)."""


class LocalRuntime(TlsMixin):
    """Provisions, inspects and destroys sites on the private stack under ``KENZY_HOME``."""

    name = "local"

    def __init__(self, settings: Settings, store: Store, vault: Vault) -> None:
        self.settings = settings
        self.store = store
        self.stack = Stack(settings, vault)
        self.layout = self.stack.layout

    # helpers ------------------------------------------------------------------------------

    def url(self, subdomain: str) -> str:
        port = self.settings.http_port
        suffix = "" if port == 80 else f":{port}"
        return f"http://{subdomain}.{self.settings.base_domain}{suffix}"

    def _admins(self, ctx: StackContext) -> tuple[MariaDBAdmin, RedisAdmin]:
        return (
            MariaDBAdmin(self.layout.mariadb_socket, ctx.mariadb_password),
            RedisAdmin(self.layout.redis_socket, ctx.redis_password),
        )

    # provisioning ---------------------------------------------------------------------------

    async def provision(
        self,
        plan: SitePlan,
        *,
        progress: pipeline.Progress | None = None,
        fault: pipeline.FaultHook | None = None,
    ) -> tuple[Site, bool]:
        """Create the site for ``plan``, or return it when it already exists with the same plan.

        Returns the site and whether this call created it.

        A failure rolls back everything created so far; running the same call again retries.

        Raises:
            SiteConflict: the subdomain is taken by a site with a different plan.
            ProvisionError: a step failed (and was rolled back).
            StackError / MissingPackages: the stack cannot start.
        """
        await self.stack.ensure_up()
        async with self.site_lock(plan.subdomain):
            existing = await self.store.get(plan.subdomain)
            if existing is not None:
                records.check_same_plan(existing, plan, runtime=self.name)
                if existing.status is SiteState.ACTIVE:
                    return existing, False
                # A crashed earlier attempt (the process died mid-way): clear it and start over.
                await self._teardown(existing.subdomain, existing.identifier)
                await self.store.delete(existing.subdomain)
            site, creds = records.new_record(plan, self.url(plan.subdomain), runtime=self.name)
            await self.store.claim(site, creds)
            await self.store.audit("provision_local", site.subdomain, "started")
            steps = self._steps(site, creds, self.stack.context())

            async def journal(step: str, state: str, seconds: float | None, detail: str | None) -> None:
                await self.store.journal(site.subdomain, "provision", step, state, seconds=seconds, detail=detail)

            try:
                await pipeline.run_steps(steps, journal=journal, progress=progress, fault=fault)
            except BaseException as exc:
                with anyio.CancelScope(shield=True):
                    await self.store.delete(site.subdomain)
                    await self.store.audit("provision_local", site.subdomain, "rolled back", detail=str(exc))
                raise
            site = await self.store.set_status(site.subdomain, SiteState.ACTIVE)
            await self.store.audit("provision_local", site.subdomain, "ok")
            return site, True

    def _steps(self, site: Site, creds: SiteCredentials, ctx: StackContext) -> list[pipeline.Step]:
        ident = site.identifier
        sub = site.subdomain
        paths = self.layout.site(sub)
        as_root = self.settings.is_root
        owner = ident if as_root else None
        mariadb, redis = self._admins(ctx)

        async def unix_user() -> None:
            if as_root:
                await _unix.ensure_site_user(ident, self.layout)

        async def unix_user_undo() -> None:
            if as_root:
                await _unix.delete_user(ident, self.layout)

        async def database() -> None:
            await mariadb.ensure(ident, creds.db_password.get_secret_value())

        async def redis_user() -> None:
            await redis.ensure(ident, creds.redis_password.get_secret_value())

        async def files() -> None:
            core = await _files.ensure_core(self.settings.wordpress_path, self.layout)
            config = render(
                "wp-config.php",
                subdomain=sub,
                db_name=ident,
                db_user=ident,
                db_password=creds.db_password.get_secret_value(),
                db_socket=self.layout.mariadb_socket,
                salts=wordpress.salts(),
                redis_socket=self.layout.redis_socket,
                redis_user=ident,
                redis_password=creds.redis_password.get_secret_value(),
                redis_prefix=f"{ident}:",
                force_ssl_admin=False,
            )
            await _files.install_site_files(
                core, paths, owner=owner, web_group=ctx.user, locale=site.locale,
                wordpress_path=self.settings.wordpress_path, wp_config=config,
            )

        async def php_pool() -> None:
            text = render(
                "pool.conf",
                name=ident,
                subdomain=sub,
                as_root=as_root,
                user=ident,
                group=ident,
                web_group=ctx.user,
                socket=self.layout.php_socket(ident),
                max_children=self.settings.php_max_children,
                root=paths.root,
                disable_functions=DISABLED_FUNCTIONS,
                memory_limit_mb=self.settings.php_memory_limit_mb,
            )
            write_file(self.layout.pool_conf(ident), text)
            await self._reload_php(ctx, wait_for=ident)

        async def php_pool_undo() -> None:
            conf = self.layout.pool_conf(ident)
            if conf.exists():
                conf.unlink()
                await self._reload_php(ctx)
            self.layout.php_socket(ident).unlink(missing_ok=True)

        async def install() -> None:
            await self._php(site, "install", {
                "title": site.business_name,
                "tagline": "",
                "admin_user": creds.admin_user,
                "admin_email": f"admin@{sub}.{self.settings.base_domain}",
                "admin_password": creds.admin_password.get_secret_value(),
                "locale": site.locale,
            })

        async def vhost() -> None:
            await self._write_vhost(site, ctx)

        async def vhost_undo() -> None:
            conf = self.layout.vhost_conf(sub)
            if conf.exists():
                conf.unlink()
                await self._reload_nginx(ctx)
            await anyio.to_thread.run_sync(lambda: shutil.rmtree(self.layout.cache_dir(sub), ignore_errors=True))
            await anyio.to_thread.run_sync(lambda: shutil.rmtree(self.layout.tls / sub, ignore_errors=True))
            await anyio.to_thread.run_sync(lambda: shutil.rmtree(self.layout.acme_webroot(sub), ignore_errors=True))

        async def verify() -> None:
            status, title = await self._fetch_home(sub, wait=15)
            if status != 200:
                raise StackError(f"the site answered HTTP {status} instead of 200")
            if title is None or site.business_name not in title:
                raise StackError(f"the home page title is {title!r}, not the business name")

        return [
            pipeline.Step("unix user", unix_user, unix_user_undo),
            pipeline.Step("database", database, lambda: mariadb.drop(ident)),
            pipeline.Step("redis user", redis_user, lambda: redis.drop(ident)),
            pipeline.Step("files", files, lambda: _files.remove_site_files(paths)),
            pipeline.Step("php pool", php_pool, php_pool_undo),
            pipeline.Step("wordpress install", install),
            pipeline.Step("vhost", vhost, vhost_undo),
            pipeline.Step("verify", verify),
        ]

    async def _write_vhost(self, site: Site, ctx: StackContext) -> None:
        """Render the site's server block (HTTPS when it has a certificate) and reload nginx."""
        sub = site.subdomain
        cache = self.layout.cache_dir(sub)
        cache.mkdir(parents=True, exist_ok=True)
        if ctx.user is not None:
            shutil.chown(cache, ctx.user, ctx.user)
        cert, key = self._tls_files(sub)
        https_port = self.settings.https_port
        text = render(
            "vhost.conf",
            subdomain=sub,
            business=re.sub(r"[\r\n]", " ", site.business_name),
            cache_dir=cache,
            zone=f"cache_{site.identifier}",
            bind=self.settings.bind_address,
            port=self.settings.http_port,
            host=f"{sub}.{self.settings.base_domain}",
            docroot=self.layout.site(sub).docroot,
            nginx_dir=self.layout.nginx_dir,
            php_socket=self.layout.php_socket(site.identifier),
            tls=cert.exists() and key.exists(),
            https_port=https_port,
            https_suffix="" if https_port == 443 else f":{https_port}",
            tls_cert=cert,
            tls_key=key,
            acme_webroot=self.layout.acme_webroot(sub),
        )
        write_file(self.layout.vhost_conf(sub), text)
        await self._reload_nginx(ctx)

    async def _php(self, site: Site, script: str, request: dict[str, Any]) -> dict[str, Any]:
        """Run ``kenzy/wordpress/php/<script>.php`` as the site's user, confined like its pool."""
        paths = self.layout.site(site.subdomain)
        result = await _proc.run(
            ["php", "-d", f"open_basedir={paths.root}/", "-d", f"disable_functions={DISABLED_FUNCTIONS}",
             "-d", "memory_limit=256M", "-d", f"sys_temp_dir={paths.tmp}", "-d", f"upload_tmp_dir={paths.tmp}",
             # Compiled scripts cached on disk in the site's tmp: WordPress loads ~3x faster.
             "-d", "opcache.enable_cli=1", "-d", f"opcache.file_cache={paths.tmp}",
             "-d", "opcache.file_cache_only=1", "-d", "opcache.validate_timestamps=1"],
            input=wordpress.php_script(script, {"docroot": str(paths.docroot), "url": site.url, **request}),
            user=site.identifier if self.settings.is_root else None,
            what=f"WordPress step {script!r}",
        )
        try:
            return wordpress.parse_result(result.stdout)
        except ValueError as exc:
            raise StackError(str(exc)) from None

    async def run_php(self, subdomain: str, script: str, request: dict[str, Any]) -> dict[str, Any]:
        """Run a kenzy PHP step inside an active site (ACF import, content, images).

        Raises:
            SiteNotFound: there is no such site.
            StackError: the step failed (its stderr is in the message).
        """
        site = await self.active_site(subdomain)
        await self.stack.ensure_up()
        return await self._php(site, script, request)

    async def active_site(self, subdomain: str) -> Site:
        """The record of an active site.

        Raises:
            SiteNotFound: no such site, or it is not active (being created or destroyed).
        """
        naming.validate_subdomain(subdomain)
        site = await self.store.get(subdomain)
        if site is None or site.status is not SiteState.ACTIVE:
            raise SiteNotFound(subdomain)
        return site

    async def write_site_file(self, subdomain: str, relative: str, data: bytes) -> Path:
        """Write ``data`` to ``wp-content/<relative>`` of the site, owned by the site's user."""
        site = await self.active_site(subdomain)
        content = self.layout.site(subdomain).wp_content
        target = (content / relative).resolve()
        if not target.is_relative_to(content.resolve()):
            raise StackError(f"refusing to write outside the site: {relative!r}")
        owner = site.identifier if self.settings.is_root else None

        def write() -> None:
            target.parent.mkdir(parents=True, exist_ok=True)
            if owner is not None:
                shutil.chown(target.parent, owner, self.stack.user)
            os.chmod(target.parent, _files.DIR_MODE)
            write_file(target, "", mode=0o640)
            target.write_bytes(data)
            if owner is not None:
                shutil.chown(target, owner, self.stack.user)

        await anyio.to_thread.run_sync(write)
        return target

    async def install_theme(self, subdomain: str) -> None:
        """Bring the site's copy of the kenzy theme up to date with this kenzy (keeps acf-json/)."""
        site = await self.active_site(subdomain)
        await anyio.to_thread.run_sync(
            _files.install_themes, self.layout.site(subdomain),
            site.identifier if self.settings.is_root else None, self.stack.user,
        )

    # site data, for backups -------------------------------------------------------------

    def site_lock(self, subdomain: str) -> AbstractAsyncContextManager[None]:
        """The site's exclusive lock (across processes): provisioning, destroying, backups,
        restores and pruning of one site never overlap."""
        return records.site_lock(self.settings, subdomain)

    async def published(self, subdomain: str) -> list[tuple[int, str, str]]:
        """``(ID, type, title)`` of the site's published posts, pages and attachments."""
        site = await self.active_site(subdomain)
        return await self._admins(self.stack.context())[0].published(site.identifier)

    async def dump_database(self, subdomain: str) -> bytes:
        """A consistent SQL dump of the site's database."""
        site = await self.active_site(subdomain)
        return await _site_data.dump_database(self.stack.context(), site.identifier)

    async def load_database(self, subdomain: str, sql: bytes) -> None:
        """Replace the site's database with ``sql`` and empty its object cache."""
        site = await self.active_site(subdomain)
        await _site_data.load_database(self.stack.context(), site.identifier, sql)
        await self._php(site, "cache_flush", {})  # Redis still holds the old values

    async def content_files(self, subdomain: str) -> list[tuple[str, Path, int]]:
        """``(path relative to wp-content, absolute path, mode)`` of every file of the site."""
        await self.active_site(subdomain)
        return await anyio.to_thread.run_sync(lambda: list(_site_data.list_content(self.layout, subdomain)))

    async def replace_content(self, subdomain: str, files: dict[str, tuple[bytes, int]]) -> None:
        """Make the site's ``wp-content`` exactly ``files`` (built aside, swapped in), then purge the page cache."""
        site = await self.active_site(subdomain)
        owner = site.identifier if self.settings.is_root else None
        await _site_data.replace_content(self.layout, subdomain, files, owner, self.stack.user)
        await self.purge_cache(subdomain)

    def site_paths(self, subdomain: str) -> SitePaths:
        """Where the site's files are."""
        return self.layout.site(subdomain)

    async def _reload_php(self, ctx: StackContext, *, wait_for: str | None = None) -> None:
        async with _proc.file_lock(self.layout.locks / "php-fpm.lock"):
            await self.stack.php.reload(ctx)
            if wait_for is not None:
                sock = self.layout.php_socket(wait_for)
                with anyio.fail_after(30):
                    while not sock.exists():
                        await anyio.sleep(0.02)

    async def _reload_nginx(self, ctx: StackContext) -> None:
        async with _proc.file_lock(self.layout.locks / "nginx.lock"):
            await self.stack.nginx.reload(ctx)

    async def _fetch_home(
        self, subdomain: str, *, wait: float = 0, https: bool = False
    ) -> tuple[int | None, str | None]:
        """GET / through nginx (127.0.0.1 with the site's Host: glibc does not resolve *.localhost)."""
        import httpx

        name = f"{subdomain}.{self.settings.base_domain}"
        port = self.settings.https_port if https else self.settings.http_port
        host = name if port in (80, 443) else f"{name}:{port}"
        address = "127.0.0.1" if self.settings.bind_address in {"0.0.0.0", "::"} else self.settings.bind_address
        base = f"{'https' if https else 'http'}://{address}:{port}"
        # Internal check of our own server: the certificate is checked by the ACME step, not here.
        client_options: dict[str, Any] = {"verify": False} if https else {}
        status: int | None = None
        title: str | None = None
        async with httpx.AsyncClient(base_url=base, headers={"Host": host}, timeout=10, trust_env=False,
                                     **client_options) as client:
            with anyio.move_on_after(max(wait, 10)):
                while True:
                    try:
                        resp = await client.get("/?kenzy-check=1", extensions={"sni_hostname": name})
                        status = resp.status_code
                        match = re.search(r"<title>(.*?)</title>", resp.text, re.S)
                        title = html.unescape(match.group(1)).strip() if match else None
                    except httpx.HTTPError:
                        status = None
                    if status == 200 or wait == 0:
                        break
                    await anyio.sleep(0.05)
        return status, title

    # teardown -------------------------------------------------------------------------------

    async def destroy(self, subdomain: str, *, progress: pipeline.Progress | None = None) -> Site:
        """Remove every resource of the site, then its record.

        Raises:
            SiteNotFound: there is no such site.
        """
        naming.validate_subdomain(subdomain)
        site = await self.store.get(subdomain)
        if site is None:
            raise SiteNotFound(subdomain)
        await self.stack.ensure_up()
        async with self.site_lock(subdomain):
            await self.store.set_status(subdomain, SiteState.DESTROYING)
            leftovers = await self._teardown(subdomain, site.identifier, progress=progress)
            if leftovers:
                await self.store.set_status(subdomain, SiteState.FAILED)
                await self.store.audit("destroy_site", subdomain, "partial", detail=", ".join(leftovers))
                raise StackError(
                    f"could not remove {', '.join(leftovers)} of {subdomain!r}; "
                    "see the journal and run destroy again"
                )
            await self.store.delete(subdomain)
            await self.store.audit("destroy_site", subdomain, "ok")
            return site

    async def _teardown(
        self, subdomain: str, ident: str, *, progress: pipeline.Progress | None = None
    ) -> list[str]:
        creds = await self.store.credentials(subdomain)
        site = await self.store.get(subdomain)
        assert creds is not None and site is not None
        steps = self._steps(site, creds, self.stack.context())

        async def journal(step: str, state: str, seconds: float | None, detail: str | None) -> None:
            await self.store.journal(subdomain, "destroy", step, state, seconds=seconds, detail=detail)

        return await pipeline.undo_steps(steps, journal=journal, progress=progress)

    # inspection -----------------------------------------------------------------------------

    async def resources(self, site: Site) -> dict[str, bool]:
        """Whether each resource of the site exists, checked against the real services."""
        ctx = self.stack.context()
        mariadb, redis = self._admins(ctx)
        ident = site.identifier
        checks = dict(await mariadb.exists(ident))
        checks["redis_user"] = await redis.exists(ident)
        if self.settings.is_root:
            checks["unix_user"] = _unix.user_exists(ident)
        checks["files"] = self.layout.site(site.subdomain).root.exists()
        checks["php_pool"] = self.layout.pool_conf(ident).exists()
        checks["vhost"] = self.layout.vhost_conf(site.subdomain).exists()
        checks["cache"] = self.layout.cache_dir(site.subdomain).exists()
        return checks

    async def status(self, subdomain: str) -> SiteStatus:
        """The site record with live checks: HTTP status, title, and each resource.

        Raises:
            SiteNotFound: there is no such site.
        """
        naming.validate_subdomain(subdomain)
        site = await self.store.get(subdomain)
        if site is None:
            raise SiteNotFound(subdomain)
        if not self.stack.is_up():
            return SiteStatus(site=site, http_status=None, title=None, checks={"stack": False})
        http_status, title = await self._fetch_home(subdomain, https=site.url.startswith("https://"))
        checks = {"stack": True, **await self.resources(site)}
        return SiteStatus(site=site, http_status=http_status, title=title, checks=checks)

    async def purge_cache(self, subdomain: str) -> None:
        """Empty the site's page cache (kenzy calls this whenever it changes the site)."""
        cache = self.layout.cache_dir(subdomain)

        def purge() -> None:
            if cache.is_dir():
                for child in cache.iterdir():
                    shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink(missing_ok=True)

        await anyio.to_thread.run_sync(purge)

"""The private stack: preflight checks, ``up``, ``down`` and ``status`` of the four daemons."""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import warnings

import anyio

from kenzy.errors import MissingPackages, StackError
from kenzy.models import ServiceState
from kenzy.runtimes.local import _proc, _unix
from kenzy.runtimes.local._layout import Layout
from kenzy.runtimes.local._services import SERVICES, Nginx, PhpFpm, StackContext
from kenzy.settings import Settings
from kenzy.vault import Vault, generate_password

__all__ = ["SharedStackWarning", "Stack"]

logger = logging.getLogger(__name__)

# Programs kenzy runs, and the Debian package each comes from.
REQUIRED = {
    "mariadbd": "mariadb-server",
    "mariadb-install-db": "mariadb-server",
    "redis-server": "redis-server",
    "php-fpm8.2": "php8.2-fpm",
    "php": "php8.2-cli",
    "nginx": "nginx-light",
}
PHP_MODULES = {"mysqli": "php8.2-mysql", "redis": "php8.2-redis"}


class SharedStackWarning(UserWarning):
    """kenzy runs without root: every site shares one unix user (weaker isolation)."""


class Stack:
    """Starts, stops and reports the stack under ``settings.home``."""

    def __init__(self, settings: Settings, vault: Vault) -> None:
        self.settings = settings
        self.layout = Layout(settings.home)
        self._vault = vault
        self.user: str | None = settings.stack_user if settings.is_root else None
        self.nginx = Nginx()
        self.php = PhpFpm()

    # configuration ------------------------------------------------------------------------

    def _admin_secrets(self) -> dict[str, str]:
        path = self.layout.stack_secrets
        if path.exists():
            return json.loads(self._vault.decrypt(path.read_text(), context="stack"))
        secrets = {"mariadb": generate_password(32), "redis": generate_password(32)}
        path.parent.mkdir(parents=True, exist_ok=True)
        from kenzy.runtimes.local._templates import write_file

        write_file(path, self._vault.encrypt(json.dumps(secrets), context="stack"), mode=0o600)
        return secrets

    def context(self) -> StackContext:
        """The per-stack facts the services and the site steps use."""
        from kenzy.dns.cloudflare_ranges import CLOUDFLARE_RANGES

        secrets = self._admin_secrets()
        trusted = (*(CLOUDFLARE_RANGES if self.settings.trust_cloudflare else ()), *self.settings.trusted_proxies)
        return StackContext(
            layout=self.layout,
            user=self.user,
            bind=self.settings.bind_address,
            port=self.settings.http_port,
            redis_maxmemory_mb=self.settings.redis_maxmemory_mb,
            mariadb_password=secrets["mariadb"],
            redis_password=secrets["redis"],
            real_ip_from=trusted,
            real_ip_header="CF-Connecting-IP" if self.settings.trust_cloudflare else "X-Forwarded-For",
        )

    # checks ---------------------------------------------------------------------------------

    def missing_packages(self) -> list[str]:
        """Debian packages whose programs are not installed, in install order."""
        missing = {pkg for prog, pkg in REQUIRED.items() if _proc.which(prog) is None}
        if not (self.settings.wordpress_path / "wp-settings.php").is_file():
            missing.add("wordpress")
        return sorted(missing)

    async def missing_php_modules(self) -> list[str]:
        result = await _proc.run(["php", "-m"], check=False)
        loaded = result.stdout.decode().lower().split()
        return sorted(pkg for mod, pkg in PHP_MODULES.items() if mod not in loaded)

    def _port_taken(self) -> bool:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((self.settings.bind_address, self.settings.http_port))
            except OSError:
                return True
        return False

    async def preflight(self) -> None:
        """Everything that can be checked before anything is started or written.

        Raises:
            MissingPackages: a program or WordPress is not installed (names the packages).
            StackError: the HTTP port is taken by another program.
        """
        missing = self.missing_packages()
        if not missing:
            missing = await self.missing_php_modules()
        if missing:
            raise MissingPackages(missing)
        ctx_pid = self.nginx.pid(self._light_context())
        if ctx_pid is None and self._port_taken():
            raise StackError(
                f"port {self.settings.http_port} on {self.settings.bind_address} is already taken by "
                "another program; stop it or set KENZY_HTTP_PORT to a free port"
            )

    def _light_context(self) -> StackContext:
        return StackContext(self.layout, self.user, self.settings.bind_address, self.settings.http_port, 0, "", "")

    # lifecycle ------------------------------------------------------------------------------

    def is_up(self) -> bool:
        """True when all four daemons are running (cheap: PID files and /proc only)."""
        ctx = self._light_context()
        return all(service.pid(ctx) is not None for service in SERVICES)

    async def up(self) -> list[ServiceState]:
        """Start whatever is not running (idempotent) and report each service."""
        await self.ensure_up()
        return await self.status()

    async def ensure_up(self) -> None:
        """Start whatever is not running; returns at once (PID checks only) when all are up."""
        if self.is_up():
            return
        if not self.settings.is_root:
            warnings.warn(
                "kenzy is not running as root: all sites share your unix user, so PHP of one site "
                "can read another's files (open_basedir still applies). Run as root for per-site users.",
                SharedStackWarning,
                stacklevel=2,
            )
        await self.preflight()
        async with _proc.file_lock(self.layout.locks / "stack.lock"):
            self._make_dirs()
            if self.user is not None:
                await _unix.ensure_system_user(self.user)
                for path in (self.layout.logs, self.layout.run):
                    shutil.chown(path, self.user, self.user)
            ctx = self.context()
            for service in SERVICES:
                await service.start(ctx)

    def _make_dirs(self) -> None:
        lay = self.layout
        lay.home.mkdir(parents=True, exist_ok=True)
        os.chmod(lay.home, 0o755 if self.settings.is_root else 0o711)
        for path, mode in (
            (lay.stack, 0o755),
            (lay.run, 0o755),
            (lay.logs, 0o750),
            (lay.sites, 0o711),
            (lay.core, 0o755),
            (lay.locks, 0o700),
        ):
            path.mkdir(parents=True, exist_ok=True)
            os.chmod(path, mode)

    async def down(self) -> list[ServiceState]:
        """Stop exactly the daemons kenzy started (by PID file), in reverse order."""
        ctx = self._light_context()
        for service in reversed(SERVICES):
            await service.stop(ctx)
        return await self.status()

    async def status(self) -> list[ServiceState]:
        """Each service with its version, PID and socket or port."""
        ctx = self._light_context()
        states: list[ServiceState | None] = [None] * len(SERVICES)

        async def one(index: int) -> None:
            states[index] = await SERVICES[index].state(ctx)

        async with anyio.create_task_group() as tg:
            for index in range(len(SERVICES)):
                tg.start_soon(one, index)
        return [state for state in states if state is not None]

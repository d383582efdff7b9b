"""The four daemons of the private stack, each started from config under ``KENZY_HOME``."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import socket
from dataclasses import dataclass
from pathlib import Path

import anyio

from kenzy.errors import StackError
from kenzy.models import ServiceState
from kenzy.runtimes.local import _proc
from kenzy.runtimes.local._layout import Layout
from kenzy.runtimes.local._templates import render, write_file

__all__ = ["SERVICES", "Service", "StackContext"]

STACK_POOL = "_kenzy"


@dataclass(frozen=True)
class StackContext:
    """What every service needs to know to configure and start itself."""

    layout: Layout
    user: str | None
    """Unix user the daemons run as (None: the current user, when not root)."""
    bind: str
    port: int
    redis_maxmemory_mb: int
    mariadb_password: str
    redis_password: str
    real_ip_from: tuple[str, ...] = ()
    """Proxy ranges whose forwarded client address nginx trusts (empty: none)."""
    real_ip_header: str = "X-Forwarded-For"


class Service:
    """One daemon: writes its config, starts it, reads its PID file, stops it."""

    name: str = ""
    binary: str = ""
    package: str = ""
    comm: str = ""
    stop_signal: int = signal.SIGTERM
    version_args: tuple[str, ...] = ("--version",)

    def pid_file(self, ctx: StackContext) -> Path:
        return ctx.layout.pid_file(self.name)

    def pid(self, ctx: StackContext) -> int | None:
        pid = _proc.read_pid(self.pid_file(ctx))
        return pid if _proc.pid_alive(pid, self.comm) else None

    def address(self, ctx: StackContext) -> str:
        raise NotImplementedError

    async def configure(self, ctx: StackContext) -> None:
        """Write config files (idempotent)."""

    async def launch(self, ctx: StackContext) -> None:
        raise NotImplementedError

    async def ready(self, ctx: StackContext) -> bool:
        return self.pid(ctx) is not None

    async def start(self, ctx: StackContext) -> None:
        """Start the daemon unless it already runs, and wait until it answers."""
        if self.pid(ctx) is not None:
            return
        await self.configure(ctx)
        await self.launch(ctx)
        with anyio.move_on_after(60):
            while not await self.ready(ctx):
                await anyio.sleep(0.05)
            return
        raise StackError(f"{self.name} did not become ready in 60 s; see {ctx.layout.logs}/")

    async def stop(self, ctx: StackContext) -> None:
        pid = self.pid(ctx)
        if pid is not None:
            await _proc.stop_pid(pid, self.comm, sig=self.stop_signal)
        self.pid_file(ctx).unlink(missing_ok=True)

    async def version(self) -> str | None:
        result = await _proc.run([self.binary, *self.version_args], check=False)
        text = (result.stdout + result.stderr).decode(errors="replace")
        match = re.search(r"(\d+\.\d+\.\d+)", text)
        return match.group(1) if match else None

    async def state(self, ctx: StackContext) -> ServiceState:
        pid = self.pid(ctx)
        return ServiceState(
            name=self.name,
            running=pid is not None,
            pid=pid,
            version=await self.version(),
            address=self.address(ctx),
        )


def _own(path: Path, user: str | None) -> None:
    if user is not None:
        shutil.chown(path, user, user)


def _socket_answers(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        try:
            sock.connect(str(path))
        except OSError:
            return False
    return True


class MariaDB(Service):
    name = "mariadb"
    binary = "mariadbd"
    package = "mariadb-server"
    comm = "mariadbd"

    def address(self, ctx: StackContext) -> str:
        return str(ctx.layout.mariadb_socket)

    def _conf(self, ctx: StackContext) -> Path:
        return ctx.layout.mariadb_dir / "my.cnf"

    async def configure(self, ctx: StackContext) -> None:
        lay = ctx.layout
        for d in (lay.mariadb_dir, lay.mariadb_dir / "tmp"):
            d.mkdir(parents=True, exist_ok=True)
            _own(d, ctx.user)
        text = render(
            "my.cnf",
            user=ctx.user,
            datadir=lay.mariadb_data,
            socket=lay.mariadb_socket,
            pid_file=self.pid_file(ctx),
            log_file=lay.logs / "mariadb.log",
            tmpdir=lay.mariadb_dir / "tmp",
        )
        write_file(self._conf(ctx), text)
        if not (lay.mariadb_data / "mysql").is_dir():
            lay.mariadb_data.mkdir(parents=True, exist_ok=True)
            _own(lay.mariadb_data, ctx.user)
            await _proc.run(
                [
                    "mariadb-install-db",
                    f"--defaults-file={self._conf(ctx)}",
                    "--skip-test-db",
                    "--auth-root-authentication-method=socket",
                ],
                what="mariadb-install-db",
            )

    async def launch(self, ctx: StackContext) -> None:
        # The admin account is (re)declared at every start from an init file only the
        # server can read, removed once the server answers.
        init = ctx.layout.mariadb_dir / "init.sql"
        pw = ctx.mariadb_password.replace("\\", "\\\\").replace("'", "\\'")
        write_file(
            init,
            "CREATE USER IF NOT EXISTS 'kenzy_admin'@'localhost';\n"
            f"ALTER USER 'kenzy_admin'@'localhost' IDENTIFIED BY '{pw}';\n"
            "GRANT ALL PRIVILEGES ON *.* TO 'kenzy_admin'@'localhost' WITH GRANT OPTION;\n",
            mode=0o600,
            owner=ctx.user,
        )
        log = open(ctx.layout.logs / "mariadb.out", "ab")  # noqa: SIM115 - handed to the daemon
        try:
            await anyio.open_process(
                [_proc.which("mariadbd") or "mariadbd", f"--defaults-file={self._conf(ctx)}", f"--init-file={init}"],
                stdin=None,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        finally:
            log.close()

    async def ready(self, ctx: StackContext) -> bool:
        """Ready once the admin account logs in (the init file runs after the socket opens)."""
        if self.pid(ctx) is None or not _socket_answers(ctx.layout.mariadb_socket):
            return False

        def login() -> bool:
            import pymysql

            try:
                pymysql.connect(
                    unix_socket=str(ctx.layout.mariadb_socket), user="kenzy_admin",
                    password=ctx.mariadb_password, connect_timeout=2,
                ).close()
            except pymysql.MySQLError:
                return False
            return True

        ok = await anyio.to_thread.run_sync(login)
        if ok:
            (ctx.layout.mariadb_dir / "init.sql").unlink(missing_ok=True)
        return ok


class Redis(Service):
    name = "redis"
    binary = "redis-server"
    package = "redis-server"
    comm = "redis-server"

    def address(self, ctx: StackContext) -> str:
        return str(ctx.layout.redis_socket)

    async def configure(self, ctx: StackContext) -> None:
        lay = ctx.layout
        lay.redis_dir.mkdir(parents=True, exist_ok=True)
        _own(lay.redis_dir, ctx.user)
        acl = lay.redis_dir / "users.acl"
        digest = hashlib.sha256(ctx.redis_password.encode()).hexdigest()
        admin = f"user kenzy-admin on #{digest} ~* &* +@all"
        lines = acl.read_text().splitlines() if acl.exists() else []
        kept = [ln for ln in lines if not ln.startswith(("user default ", "user kenzy-admin "))]
        write_file(
            acl,
            "\n".join(["user default off nopass resetchannels -@all", admin, *kept]) + "\n",
            mode=0o600,
            owner=ctx.user,
        )
        text = render(
            "redis.conf",
            socket=lay.redis_socket,
            pid_file=self.pid_file(ctx),
            log_file=lay.logs / "redis.log",
            dir=lay.redis_dir,
            acl_file=acl,
            maxmemory_mb=ctx.redis_maxmemory_mb,
        )
        write_file(lay.redis_dir / "redis.conf", text, owner=ctx.user)

    async def launch(self, ctx: StackContext) -> None:
        await _proc.run(
            ["redis-server", ctx.layout.redis_dir / "redis.conf"], user=ctx.user, what="redis-server"
        )

    async def ready(self, ctx: StackContext) -> bool:
        return self.pid(ctx) is not None and _socket_answers(ctx.layout.redis_socket)


class PhpFpm(Service):
    name = "php-fpm"
    binary = "php-fpm8.2"
    package = "php8.2-fpm"
    comm = "php-fpm"
    stop_signal = signal.SIGQUIT
    version_args = ("-v",)

    def address(self, ctx: StackContext) -> str:
        return str(ctx.layout.php_pools) + "/*.conf"

    def _conf(self, ctx: StackContext) -> Path:
        return ctx.layout.php_dir / "php-fpm.conf"

    async def configure(self, ctx: StackContext) -> None:
        lay = ctx.layout
        lay.php_pools.mkdir(parents=True, exist_ok=True)
        text = render(
            "php-fpm.conf", pid_file=self.pid_file(ctx), log_file=lay.logs / "php-fpm.log", pools=lay.php_pools
        )
        write_file(self._conf(ctx), text)
        # php-fpm refuses to start with zero pools: the stack keeps one idle pool of its own.
        pool = render(
            "pool.conf",
            name=STACK_POOL,
            subdomain="the stack itself (idle; php-fpm needs one pool)",
            as_root=ctx.user is not None,
            user=ctx.user,
            group=ctx.user,
            web_group=ctx.user,
            socket=lay.run / "php-_kenzy.sock",
            max_children=1,
            root=lay.stack / "idle",
            disable_functions="exec,passthru,shell_exec,system,proc_open,popen",
            memory_limit_mb=32,
        )
        (lay.stack / "idle").mkdir(parents=True, exist_ok=True)
        write_file(lay.pool_conf(STACK_POOL), pool)

    async def launch(self, ctx: StackContext) -> None:
        await _proc.run([self.binary, "--fpm-config", self._conf(ctx)], what="php-fpm")

    async def reload(self, ctx: StackContext) -> None:
        """Test the config, then USR2; the master re-execs with a new PID (read it again)."""
        await _proc.run([self.binary, "-t", "--fpm-config", self._conf(ctx)], what="php-fpm -t")
        old = self.pid(ctx)
        if old is None:
            await self.start(ctx)
            return
        os.kill(old, signal.SIGUSR2)
        with anyio.move_on_after(30):
            while True:
                await anyio.sleep(0.02)
                new = self.pid(ctx)
                if new is not None and new != old:
                    return
        raise StackError(f"php-fpm did not come back after reload; see {ctx.layout.logs}/php-fpm.log")


class Nginx(Service):
    name = "nginx"
    binary = "nginx"
    package = "nginx-light"
    comm = "nginx"
    stop_signal = signal.SIGQUIT
    version_args = ("-v",)

    def address(self, ctx: StackContext) -> str:
        return f"{ctx.bind}:{ctx.port}"

    def _args(self, ctx: StackContext) -> list[str]:
        lay = ctx.layout
        return ["nginx", "-p", str(lay.nginx_dir), "-c", str(lay.nginx_dir / "nginx.conf"), "-e", str(lay.logs / "nginx-error.log")]

    async def configure(self, ctx: StackContext) -> None:
        lay = ctx.layout
        for d in (lay.nginx_sites, lay.nginx_cache, lay.nginx_dir / "tmp"):
            d.mkdir(parents=True, exist_ok=True)
            _own(d, ctx.user)
        write_file(lay.nginx_dir / "fastcgi_params", render("fastcgi_params"))
        write_file(lay.nginx_dir / "security_headers.conf", render("security_headers"))
        text = render(
            "nginx.conf",
            user=ctx.user,
            group=ctx.user,
            pid_file=self.pid_file(ctx),
            logs=lay.logs,
            tmp=lay.nginx_dir / "tmp",
            bind=ctx.bind,
            port=ctx.port,
            sites=lay.nginx_sites,
            real_ip_from=ctx.real_ip_from,
            real_ip_header=ctx.real_ip_header,
        )
        write_file(lay.nginx_dir / "nginx.conf", text)
        await _proc.run([*self._args(ctx), "-t", "-q"], what="nginx -t")

    async def launch(self, ctx: StackContext) -> None:
        await _proc.run(self._args(ctx), what="nginx")

    async def reload(self, ctx: StackContext) -> None:
        """Test the config, then HUP the master (a bad config is reported, never loaded)."""
        await _proc.run([*self._args(ctx), "-t", "-q"], what="nginx -t")
        pid = self.pid(ctx)
        if pid is None:
            await self.start(ctx)
            return
        os.kill(pid, signal.SIGHUP)


SERVICES: tuple[Service, ...] = (MariaDB(), Redis(), PhpFpm(), Nginx())
"""In start order; stopped in reverse."""

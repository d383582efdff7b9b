"""The private stack: preflight errors change nothing; up is idempotent; down stops only ours."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import free_port, make_home, needs_root, needs_stack, site_client, stack_of
from kenzy.api import Kenzy
from kenzy.errors import MissingPackages, StackError
from kenzy.runtimes.local import _proc
from kenzy.settings import Settings

pytestmark = [pytest.mark.anyio, needs_stack]


async def test_up_is_idempotent_and_status_shows_each_service(kz: Kenzy) -> None:
    stack = kz.context.local.stack
    before = {s.name: s.pid for s in await stack.status()}
    started = time.perf_counter()
    states = await stack.up()
    elapsed = time.perf_counter() - started
    assert [s.name for s in states] == ["mariadb", "redis", "php-fpm", "nginx"]
    assert {s.name: s.pid for s in states} == before  # nothing restarted
    for s in states:
        assert s.running and s.pid and s.version and s.address
        assert Path(f"/proc/{s.pid}").exists()
    assert states[3].address == f"127.0.0.1:{kz.settings.http_port}"
    assert states[0].address.startswith(str(kz.settings.home))
    assert elapsed < 30  # sanity only; the benchmark measures it


async def test_everything_lives_under_home(kz: Kenzy) -> None:
    home = kz.settings.home
    for service in ("mariadb", "redis", "php-fpm", "nginx"):
        assert (home / "run" / f"{service}.pid").is_file()
    for conf in ("stack/mariadb/my.cnf", "stack/redis/redis.conf", "stack/php-fpm/php-fpm.conf",
                 "stack/nginx/nginx.conf"):
        assert (home / conf).is_file()
    cmdlines = {
        name: Path(f"/proc/{_proc.read_pid(home / 'run' / f'{name}.pid')}/cmdline").read_bytes()
        for name in ("mariadb", "php-fpm", "nginx")
    }
    assert str(home).encode() in cmdlines["mariadb"]
    assert str(home).encode() in cmdlines["php-fpm"]
    assert str(home).encode() in cmdlines["nginx"]


async def test_port_taken_by_another_program_is_refused_before_anything_starts() -> None:
    home = make_home("kenzy-port-")
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        stack = stack_of(Settings(home=home, http_port=port))
        with pytest.raises(StackError, match=f"port {port} .* already taken.*KENZY_HTTP_PORT"):
            await stack.up()
    assert not (home / "run").exists() and not (home / "stack" / "mariadb").exists()
    shutil.rmtree(home)


async def test_missing_packages_are_named_with_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    home = make_home("kenzy-missing-")
    stack = stack_of(Settings(home=home, http_port=free_port(), wordpress_path=home / "no-wp"))
    with pytest.raises(MissingPackages, match=r"wordpress.*apt-get install --no-install-recommends") as info:
        await stack.up()
    assert info.value.packages == ["wordpress"]
    empty = home / "empty-bin"
    empty.mkdir()
    monkeypatch.setattr(_proc, "_SEARCH_PATH", str(empty))
    with pytest.raises(MissingPackages) as info:
        await stack.up()
    assert set(info.value.packages) >= {"mariadb-server", "redis-server", "php8.2-fpm", "nginx-light", "wordpress"}
    assert not (home / "run").exists()
    shutil.rmtree(home)


async def test_a_second_stack_starts_and_down_stops_only_its_own(kz: Kenzy) -> None:
    settings = Settings(home=make_home("kenzy-second-"), http_port=free_port())
    second = stack_of(settings)
    ours_before = {s.name: s.pid for s in await kz.context.local.stack.status()}
    states = await second.up()
    pids = {s.name: s.pid for s in states}
    assert all(pids.values()) and not set(pids.values()) & set(ours_before.values())
    stopped = await second.down()
    assert not any(s.running for s in stopped)
    for pid in pids.values():
        assert not _proc.pid_alive(pid, "")
    assert {s.name: s.pid for s in await kz.context.local.stack.status()} == ours_before
    async with site_client(kz.settings, "anything") as client:
        assert (await client.get("/")).status_code == 404  # the session's nginx still answers
    await second.down()  # stopping a stopped stack is fine
    shutil.rmtree(settings.home)


@needs_root
async def test_without_root_sites_share_one_user_and_a_warning_is_printed() -> None:
    """A normal user runs its own stack and creates a site; kenzy warns about isolation."""
    user = "kenzytester"
    if subprocess.run(["id", user], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "--system", "--user-group", "--no-create-home", "--shell",
                        "/usr/sbin/nologin", user], check=True)
    probe = subprocess.run(["runuser", "-u", user, "--", sys.executable, "-c", "import kenzy"],
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip("the test user cannot read this Python environment")
    home = make_home("kenzy-nonroot-")
    shutil.chown(home, user, user)
    env = {"PATH": os.environ["PATH"], "KENZY_HOME": str(home), "KENZY_HTTP_PORT": str(free_port()),
           "HOME": str(home), "LANG": "C.UTF-8"}
    kenzy = ["runuser", "-u", user, "--", "env", *(f"{k}={v}" for k, v in env.items()),
             sys.executable, "-m", "kenzy"]
    try:
        created = subprocess.run([*kenzy, "create", "--name", "Loja Sem Root", "--industry", "beleza", "--json"],
                                 capture_output=True, text=True, timeout=300)
        assert created.returncode == 0, created.stderr
        assert "not running as root" in created.stderr and "share your unix user" in created.stderr
        import json

        site = json.loads(created.stdout)
        assert site["status"] == "active"
        owners = {Path(f"/proc/{_proc.read_pid(home / 'run' / f'{n}.pid')}").stat().st_uid
                  for n in ("mariadb", "redis", "php-fpm", "nginx")}
        import pwd

        assert owners == {pwd.getpwnam(user).pw_uid}
        settings = Settings(home=home, http_port=int(env["KENZY_HTTP_PORT"]))
        async with site_client(settings, site["subdomain"]) as client:
            resp = await client.get("/")
        assert resp.status_code == 200 and "Loja Sem Root" in resp.text
        destroyed = subprocess.run([*kenzy, "destroy", site["subdomain"], "--yes"], capture_output=True,
                                   text=True, timeout=120)
        assert destroyed.returncode == 0, destroyed.stderr
    finally:
        subprocess.run([*kenzy, "stack", "down"], capture_output=True, timeout=120)
        shutil.rmtree(home, ignore_errors=True)


async def test_forwarded_client_address_is_trusted_only_when_configured(kz: Kenzy) -> None:
    import json

    from kenzy.api import Kenzy as K

    probe = "<?php header('Content-Type: application/json'); echo json_encode(['ip' => $_SERVER['REMOTE_ADDR']]);"
    forged = {"X-Forwarded-For": "203.0.113.7", "CF-Connecting-IP": "203.0.113.8"}

    async def remote_addr(k: K, sub: str) -> str:
        site = await k.context.local.active_site(sub)
        docroot = k.context.local.layout.site(sub).docroot
        (docroot / "kenzy-ip.php").write_text(probe)
        if os.geteuid() == 0:
            shutil.chown(docroot / "kenzy-ip.php", site.identifier, k.settings.stack_user)
        async with site_client(k.settings, sub) as client:
            resp = await client.get("/kenzy-ip.php?x=1", headers=forged)
        return json.loads(resp.text)["ip"]

    plain = await kz.provision_local(business_name="Relojoaria Endereço Real", industry="beleza")
    assert await remote_addr(kz, plain.subdomain) == "127.0.0.1"  # forged headers ignored by default
    await kz.destroy_site(subdomain=plain.subdomain)

    settings = Settings(home=make_home("kenzy-proxy-"), http_port=free_port(), https_port=free_port(),
                        trusted_proxies=["127.0.0.1/32"])
    behind = K(settings)
    try:
        site = await behind.provision_local(business_name="Relojoaria Atrás do Proxy", industry="beleza")
        assert await remote_addr(behind, site.subdomain) == "203.0.113.7"
        conf = (settings.home / "stack" / "nginx" / "nginx.conf").read_text()
        assert "set_real_ip_from 127.0.0.1/32;" in conf and "real_ip_header X-Forwarded-For;" in conf
        await behind.destroy_site(subdomain=site.subdomain)
    finally:
        await behind.context.local.stack.down()
        shutil.rmtree(settings.home, ignore_errors=True)
    cloudflare = stack_of(Settings(home=make_home("kenzy-cf-"), trust_cloudflare=True)).context()
    assert "173.245.48.0/20" in cloudflare.real_ip_from and cloudflare.real_ip_header == "CF-Connecting-IP"
    shutil.rmtree(cloudflare.layout.home, ignore_errors=True)

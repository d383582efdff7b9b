"""Sites on the real stack: they serve, they are isolated, they are hardened, they go away."""

from __future__ import annotations

import os
import re
import shutil
import stat
import textwrap
from pathlib import Path

import anyio
import pymysql
import pytest
import redis.asyncio as aredis
import redis.exceptions

from conftest import needs_root, needs_stack, site_client
from kenzy.api import Kenzy
from kenzy.errors import SiteConflict
from kenzy.runtimes.local import _unix
from kenzy.tools.sites import ProvisionResult

pytestmark = [pytest.mark.anyio, needs_stack]


@pytest.fixture(scope="module")
async def two_sites(kz: Kenzy) -> tuple[ProvisionResult, ProvisionResult]:
    a = await kz.provision_local(business_name="Restaurante São João 🍕", industry="restaurante")
    b = await kz.provision_local(business_name="Joe's Law Office", industry="advocacia", locale="en_US")
    return a, b  # type: ignore[return-value]


def _title(text: str) -> str:
    import html

    match = re.search(r"<title>(.*?)</title>", text, re.S)
    assert match, text[:500]
    return html.unescape(match.group(1)).strip()


async def test_two_sites_serve_their_own_titles(kz: Kenzy, two_sites) -> None:  # type: ignore[no-untyped-def]
    a, b = two_sites
    assert a.created and a.subdomain == "restaurante-sao-joao"
    assert a.url == f"http://restaurante-sao-joao.localhost:{kz.settings.http_port}"
    for site, lang in ((a, "pt-BR"), (b, "en-US")):
        async with site_client(kz.settings, site.subdomain) as client:
            resp = await client.get("/")
        assert resp.status_code == 200
        assert _title(resp.text).startswith(site.business_name)
        assert f'lang="{lang}"' in resp.text


async def test_same_plan_returns_the_site_and_other_plan_conflicts(kz: Kenzy, two_sites) -> None:  # type: ignore[no-untyped-def]
    a, _ = two_sites
    again = await kz.provision_local(business_name=a.business_name, industry="restaurante")
    assert not again.created and again.identifier == a.identifier and again.created_at == a.created_at
    with pytest.raises(SiteConflict, match="already belongs"):
        await kz.provision_local(business_name=a.business_name, industry="saude")


async def test_status_and_list(kz: Kenzy, two_sites) -> None:  # type: ignore[no-untyped-def]
    a, _ = two_sites
    status = await kz.site_status(subdomain=a.subdomain)
    assert status.http_status == 200 and status.title.startswith(a.business_name)
    assert status.checks and all(status.checks.values()), status.checks
    listed = {s.subdomain for s in (await kz.list_sites()).sites}
    assert {a.subdomain, "joes-law-office"} <= listed


async def test_database_isolation(kz: Kenzy, two_sites) -> None:  # type: ignore[no-untyped-def]
    a, b = two_sites
    creds = await kz.credentials(a.subdomain)
    sock = str(kz.context.local.layout.mariadb_socket)

    def probe() -> tuple[list[str], int, int]:
        conn = pymysql.connect(unix_socket=sock, user=creds.db_user, password=creds.db_password.get_secret_value())
        with conn.cursor() as cur:
            cur.execute("SHOW DATABASES")
            dbs = sorted(r[0] for r in cur.fetchall())
            cur.execute(f"SELECT COUNT(*) FROM `{creds.db_name}`.wp_options")
            own = cur.fetchone()[0]
            try:
                cur.execute(f"SELECT option_value FROM `{b.identifier}`.wp_options LIMIT 1")
                denied = 0
            except pymysql.err.OperationalError as exc:
                denied = exc.args[0]
        conn.close()
        return dbs, own, denied

    dbs, own, denied = await anyio.to_thread.run_sync(probe)
    assert dbs == sorted(["information_schema", a.identifier])
    assert own > 10
    assert denied == 1142  # SELECT command denied


async def test_redis_isolation(kz: Kenzy, two_sites) -> None:  # type: ignore[no-untyped-def]
    a, b = two_sites
    creds_a = await kz.credentials(a.subdomain)
    creds_b = await kz.credentials(b.subdomain)
    sock = str(kz.context.local.layout.redis_socket)
    rb = aredis.Redis(unix_socket_path=sock, username=creds_b.redis_user,
                      password=creds_b.redis_password.get_secret_value())
    ra = aredis.Redis(unix_socket_path=sock, username=creds_a.redis_user,
                      password=creds_a.redis_password.get_secret_value())
    try:
        await rb.set(f"{b.identifier}:secret", "b-only")
        await ra.set(f"{a.identifier}:mine", "ok")
        assert await ra.get(f"{a.identifier}:mine") == b"ok"
        for attempt in (
            ra.get(f"{b.identifier}:secret"),
            ra.delete(f"{b.identifier}:secret"),
            ra.set(f"{b.identifier}:secret", "overwritten"),
            ra.scan(0),
            ra.keys("*"),
            ra.flushall(),
            ra.config_get("*"),
        ):
            with pytest.raises(redis.exceptions.NoPermissionError):
                await attempt
        assert await rb.get(f"{b.identifier}:secret") == b"b-only"
    finally:
        await ra.aclose()
        await rb.aclose()


async def test_object_cache_uses_the_site_prefix(kz: Kenzy, two_sites) -> None:  # type: ignore[no-untyped-def]
    a, _ = two_sites
    async with site_client(kz.settings, a.subdomain) as client:
        assert (await client.get("/?warm=1")).status_code == 200
    creds = await kz.credentials(a.subdomain)
    r = aredis.Redis(unix_socket_path=str(kz.context.local.layout.redis_socket),
                     username=creds.redis_user, password=creds.redis_password.get_secret_value())
    try:
        gen = int(await r.get(f"{a.identifier}:gen") or 0)
        assert gen >= 1  # WordPress flushed through the drop-in during install
        assert await r.exists(f"{a.identifier}:{gen}:options:alloptions")
    finally:
        await r.aclose()


def _probe_php(kz: Kenzy, subdomain: str, owner: str, code: str) -> str:
    """Drop a PHP file into a site's docroot (as its owner) and return its name."""
    docroot = kz.context.local.layout.site(subdomain).docroot
    name = f"kenzy-probe-{os.urandom(4).hex()}.php"
    path = docroot / name
    path.write_text("<?php\n" + textwrap.dedent(code))
    if os.geteuid() == 0:
        shutil.chown(path, owner, kz.settings.stack_user)
    path.chmod(0o640)
    return name


async def test_php_isolation_and_disabled_functions(kz: Kenzy, two_sites) -> None:  # type: ignore[no-untyped-def]
    a, b = two_sites
    layout = kz.context.local.layout
    own_config = layout.site(a.subdomain).wp_config
    other_config = layout.site(b.subdomain).wp_config
    name = _probe_php(kz, a.subdomain, a.identifier, f"""
        header('Content-Type: application/json');
        echo json_encode([
            'own' => @file_get_contents('{own_config}') !== false,
            'other' => @file_get_contents('{other_config}') !== false,
            'other_dir' => @scandir('{other_config.parent}') !== false,
            'etc' => @file_get_contents('/etc/passwd') !== false,
            'exec' => function_exists('exec'),
            'shell_exec' => function_exists('shell_exec'),
            'system' => function_exists('system'),
            'passthru' => function_exists('passthru'),
            'proc_open' => function_exists('proc_open'),
            'popen' => function_exists('popen'),
            'pcntl_exec' => function_exists('pcntl_exec'),
            'mail' => function_exists('mail'),
            'user' => function_exists('posix_geteuid') ? posix_getpwuid(posix_geteuid())['name'] : get_current_user(),
            'tmp' => sys_get_temp_dir(),
        ]);
    """)
    async with site_client(kz.settings, a.subdomain) as client:
        resp = await client.get(f"/{name}?nocache=1")
    (layout.site(a.subdomain).docroot / name).unlink()
    assert resp.status_code == 200, resp.text
    result = resp.json()
    assert result["own"] is True  # the probe works: it can read its own config
    assert result["other"] is False and result["other_dir"] is False and result["etc"] is False
    for fn in ("exec", "shell_exec", "system", "passthru", "proc_open", "popen", "pcntl_exec", "mail"):
        assert result[fn] is False, fn
    assert result["tmp"] == str(layout.site(a.subdomain).tmp)
    if os.geteuid() == 0:
        assert result["user"] == a.identifier


@needs_root
async def test_files_belong_to_the_site_user(kz: Kenzy, two_sites) -> None:  # type: ignore[no-untyped-def]
    import pwd

    a, b = two_sites
    paths = kz.context.local.layout.site(a.subdomain)
    st = paths.wp_config.stat()
    assert pwd.getpwuid(st.st_uid).pw_name == a.identifier
    assert stat.S_IMODE(st.st_mode) == 0o600
    assert stat.S_IMODE(paths.root.stat().st_mode) == 0o2750  # setgid: new files keep the web group
    assert paths.wp_config.parent == paths.docroot.parent  # above the docroot
    core_file = paths.docroot / "wp-settings.php"
    assert core_file.stat().st_uid == 0 and not core_file.stat().st_mode & 0o022  # core read-only
    assert _unix.user_exists(a.identifier) and _unix.user_exists(b.identifier)
    config = paths.wp_config.read_text()
    assert "DISALLOW_FILE_EDIT', true" in config
    salts = re.findall(r"define\( '(?:AUTH|NONCE)_KEY', '([^']+)' \)", config)
    other = kz.context.local.layout.site(b.subdomain).wp_config.read_text()
    assert len(salts) == 2 and all(len(s) == 64 and s not in other for s in salts)


async def test_hardening_over_http(kz: Kenzy, two_sites) -> None:  # type: ignore[no-untyped-def]
    a, _ = two_sites
    uploads = kz.context.local.layout.site(a.subdomain).wp_content / "uploads"
    (uploads / "evil.php").write_text("<?php echo 'ran';")
    async with site_client(kz.settings, a.subdomain) as client:
        home = await client.get("/")
        assert home.headers["x-frame-options"] == "SAMEORIGIN"
        assert home.headers["x-content-type-options"] == "nosniff"
        assert home.headers["referrer-policy"]
        assert "strict-transport-security" not in home.headers  # no TLS yet
        for path in ("/xmlrpc.php", "/?author=1", "/wp-json/wp/v2/users", "/?rest_route=/wp/v2/users",
                     "/readme.html", "/wp-content/uploads/evil.php", "/.git/config", "/.env",
                     "/wp-config.php", "/wp-includes/version.php"):
            resp = await client.get(path)
            assert resp.status_code == 403, path
            assert "ran" not in resp.text
        assert (await client.post("/xmlrpc.php", content="<x/>")).status_code == 403
        assert (await client.get("/wp-json/")).status_code == 200  # the rest of the API still works


async def test_login_rate_limit(kz: Kenzy, two_sites) -> None:  # type: ignore[no-untyped-def]
    _, b = two_sites
    async with site_client(kz.settings, b.subdomain) as client:
        codes = [(await client.get("/wp-login.php")).status_code for _ in range(40)]
    assert codes[0] == 200
    assert 429 in codes
    assert codes.count(200) <= 22  # burst of 20 (+ refill) at 100 requests/minute


async def test_page_cache_hit_bypass_and_purge(kz: Kenzy, two_sites) -> None:  # type: ignore[no-untyped-def]
    a, _ = two_sites
    await kz.context.local.purge_cache(a.subdomain)
    creds = await kz.credentials(a.subdomain)
    async with site_client(kz.settings, a.subdomain) as client:
        first = await client.get("/")
        second = await client.get("/")
        assert first.headers["x-cache"] in {"MISS", "EXPIRED"}
        assert second.headers["x-cache"] == "HIT"
        assert (await client.get("/?s=pizza")).headers["x-cache"] == "BYPASS"
        client.cookies.set("wordpress_test_cookie", "WP Cookie check")
        login = await client.post(
            "/wp-login.php",
            data={"log": creds.admin_user, "pwd": creds.admin_password.get_secret_value(),
                  "testcookie": "1", "redirect_to": "/wp-admin/"},
        )
        assert login.status_code == 302, login.text[:300]
        assert any(c.startswith("wordpress_logged_in_") for c in client.cookies)
        logged_in = await client.get("/")
        assert logged_in.headers["x-cache"] == "BYPASS"
        assert "wp-admin-bar" in logged_in.text or "admin-bar" in logged_in.text
    await kz.context.local.purge_cache(a.subdomain)
    async with site_client(kz.settings, a.subdomain) as client:
        assert (await client.get("/")).headers["x-cache"] in {"MISS", "EXPIRED"}


async def test_destroy_leaves_nothing(kz: Kenzy) -> None:
    site = await kz.provision_local(business_name="Pet Alegria Descartável", industry="petshop")
    runtime = kz.context.local
    layout = runtime.layout
    before = await runtime.resources(site)
    assert all(before.values()), before
    result = await kz.destroy_site(subdomain=site.subdomain)
    assert result.subdomain == site.subdomain
    after = await runtime.resources(site)
    assert not any(after.values()), after
    assert not layout.php_socket(site.identifier).exists()
    assert not Path(layout.vhost_conf(site.subdomain)).exists()
    assert await kz.context.store.get(site.subdomain) is None
    async with site_client(kz.settings, site.subdomain) as client:
        assert (await client.get("/")).status_code == 404  # default server: no such site
    if os.geteuid() == 0:
        import grp

        with pytest.raises(KeyError):
            grp.getgrnam(site.identifier)


@needs_root
async def test_another_home_never_adopts_or_deletes_a_sites_user(kz: Kenzy, two_sites) -> None:  # type: ignore[no-untyped-def]
    from kenzy.errors import StackError
    from kenzy.runtimes.local._layout import Layout

    a, _ = two_sites
    other = Layout(Path("/tmp/kenzy-another-home"))
    other.locks.mkdir(parents=True, exist_ok=True)
    try:
        with pytest.raises(StackError, match="does not belong to this kenzy home"):
            await _unix.ensure_site_user(a.identifier, other)
        await _unix.delete_user(a.identifier, other)
        assert _unix.user_exists(a.identifier)  # still there for the home that owns it
        async with site_client(kz.settings, a.subdomain) as client:
            assert (await client.get("/?still=1")).status_code == 200
    finally:
        shutil.rmtree(other.home, ignore_errors=True)

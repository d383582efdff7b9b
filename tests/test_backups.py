"""Backups on the filesystem store: round trip, incremental upload, and refusal of damaged data."""

from __future__ import annotations

import hashlib
import os
from typing import Any

import anyio
import pymysql
import pytest

from conftest import needs_stack
from kenzy.api import Kenzy
from kenzy.backups._sealing import BackupIntegrityError
from kenzy.errors import NotConfigured

pytestmark = [pytest.mark.anyio, needs_stack]


def _files(k: Kenzy, sub: str) -> dict[str, str]:
    content = k.context.local.layout.site(sub).wp_content
    return {str(p.relative_to(content)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(content.rglob("*")) if p.is_file()}


async def _rows(k: Kenzy, sub: str, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    creds = await k.credentials(sub)
    sock = str(k.context.local.layout.mariadb_socket)

    def query() -> list[tuple[Any, ...]]:
        conn = pymysql.connect(unix_socket=sock, user=creds.db_user, password=creds.db_password.get_secret_value(),
                               database=creds.db_name, autocommit=True)
        with conn.cursor() as cur:
            cur.execute(sql, args)
            rows = list(cur.fetchall())
        conn.close()
        return rows

    return await anyio.to_thread.run_sync(query)


async def _state(k: Kenzy, sub: str) -> tuple[Any, ...]:
    posts = await _rows(k, sub, "SELECT ID, post_title, post_status, post_type FROM wp_posts ORDER BY ID")
    options = await _rows(k, sub, "SELECT option_name, option_value FROM wp_options WHERE option_name NOT LIKE %s "
                                  "ORDER BY option_name", "\\_transient%")
    return posts, options, _files(k, sub)


@pytest.fixture(scope="module")
async def site(kz: Kenzy) -> Any:
    k = Kenzy(kz.settings.model_copy(update={"backup_store": "local"}))
    created = await k.provision_local(business_name="Confeitaria Cópia Segura", industry="restaurante")
    await k.fill_content(subdomain=created.subdomain)
    return k, created.subdomain


async def test_round_trip_restores_exactly(site: Any) -> None:
    k, sub = site
    before = await _state(k, sub)
    full = await k.backup(subdomain=sub)
    assert full.kind == "full" and full.objects > 20 and full.bytes_uploaded > 0
    uploads = k.context.local.layout.site(sub).wp_content / "uploads" / "kenzy"
    # Change the site: a new post, a changed option, a changed, a deleted and a new upload.
    await _rows(k, sub, "INSERT INTO wp_posts (post_title, post_content, post_excerpt, to_ping, pinged, "
                        "post_content_filtered, post_status, post_type) VALUES ('Novo', '', '', '', '', '', 'publish', 'post')")
    await _rows(k, sub, "UPDATE wp_options SET option_value = 'Mudado' WHERE option_name = 'blogname'")
    (uploads / "kenzy-logo.webp").write_bytes(b"changed")
    (uploads / "kenzy-hero-768x432.webp").unlink()
    (uploads / "extra.txt").write_text("new file")
    assert await _state(k, sub) != before
    listed = await k.list_backups(subdomain=sub)
    assert [b.backup_id for b in listed.backups][0] == full.backup_id
    restored = await k.restore(subdomain=sub, backup_id=full.backup_id)
    assert restored.backup_id == full.backup_id
    assert await _state(k, sub) == before  # rows and file hashes exactly as backed up
    status = await k.site_status(subdomain=sub)
    assert status.http_status == 200 and status.title.startswith("Confeitaria Cópia Segura")


async def test_incremental_uploads_only_what_changed(site: Any) -> None:
    k, sub = site
    first = await k.backup(subdomain=sub)
    uploads = k.context.local.layout.site(sub).wp_content / "uploads"
    (uploads / "one-megabyte.bin").write_bytes(os.urandom(1_000_000))
    second = await k.backup(subdomain=sub)
    assert second.bytes_uploaded < 1_200_000  # the new file (+ the small dump and manifest)
    assert second.bytes_total > first.bytes_total
    database_only = await k.backup(subdomain=sub, kind="database")
    assert database_only.objects == 1 and database_only.bytes_uploaded < 100_000
    (uploads / "one-megabyte.bin").unlink()


async def test_damaged_backups_are_refused_and_change_nothing(site: Any) -> None:
    k, sub = site
    good = await k.backup(subdomain=sub)
    before = await _state(k, sub)
    from kenzy.tools.backups import _engine

    manifest = await _engine(k.context).manifest(sub, good.backup_id)
    largest = max(manifest.files, key=lambda f: f.size)
    victim = k.settings.home / "backups" / "objects" / sub / largest.name
    original = victim.read_bytes()
    victim.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    with pytest.raises(BackupIntegrityError, match="damaged or was altered"):
        await k.restore(subdomain=sub, backup_id=good.backup_id)
    assert await _state(k, sub) == before
    victim.unlink()
    with pytest.raises(BackupIntegrityError, match="missing from the store"):
        await k.restore(subdomain=sub, backup_id=good.backup_id)
    assert await _state(k, sub) == before
    victim.write_bytes(original)
    import base64

    from pydantic import SecretStr

    stranger = Kenzy(k.settings.model_copy(update={"secret_key": SecretStr(base64.b64encode(os.urandom(32)).decode())}))
    with pytest.raises(BackupIntegrityError, match="master key"):
        await stranger.restore(subdomain=sub, backup_id=good.backup_id)
    with pytest.raises(BackupIntegrityError, match="no backup 'nope'"):
        await k.restore(subdomain=sub, backup_id="nope")
    assert await _state(k, sub) == before


async def test_not_configured_says_what_to_set(kz: Kenzy, site: Any) -> None:
    _, sub = site
    with pytest.raises(NotConfigured, match="KENZY_BACKUP_STORE=local"):
        await kz.backup(subdomain=sub)


async def test_cli_backup_list_restore(site: Any) -> None:
    import json
    import subprocess
    import sys

    k, sub = site
    env = {**os.environ, "KENZY_HOME": str(k.settings.home), "KENZY_HTTP_PORT": str(k.settings.http_port),
           "KENZY_STACK_USER": k.settings.stack_user, "KENZY_BACKUP_STORE": "local"}

    def cli(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kenzy", *args], env=env, capture_output=True, text=True,
                              input=input, timeout=120)

    made = json.loads(cli("backup", sub, "--json").stdout)
    listed = json.loads(cli("backups", sub, "--json").stdout)["backups"]
    assert listed[0]["backup_id"] == made["backup_id"]
    refused = cli("restore", sub, made["backup_id"], input="n\n")
    assert refused.returncode == 1 and "nothing was restored" in refused.stderr
    done = cli("restore", sub, made["backup_id"], "--yes", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["backup_id"] == made["backup_id"]
    missing = cli("restore", sub, "nope", "--yes")
    assert missing.returncode == 1 and "no backup 'nope'" in missing.stderr

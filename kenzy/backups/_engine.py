"""Backup and restore of one site on the local runtime, through an `ObjectStore`.

Layout in the store: ``keys/<site>`` (the wrapped data key), ``objects/<site>/<name>``
(sealed content, named by HMAC of its SHA-256: uploaded once), ``manifests/<site>/<id>``
(sealed manifest, written last: a backup is listed only once everything is durable).
A restore fetches and verifies every object before it changes anything.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timezone
from typing import Any, Literal

import anyio.to_thread
from pydantic import BaseModel

from kenzy.backups import ObjectStore
from kenzy.backups._sealing import BackupIntegrityError, SiteKey
from kenzy.vault import Vault

__all__ = ["BackupEngine", "BackupInfo", "Manifest"]


class ObjectRef(BaseModel):
    name: str
    sha256: str
    size: int


class FileRef(ObjectRef):
    path: str
    """Relative to ``wp-content``."""
    mode: int


class Manifest(BaseModel):
    """Everything one backup holds, with every object's SHA-256."""

    id: str
    subdomain: str
    kind: Literal["full", "database"]
    created_at: datetime
    database: ObjectRef
    files: list[FileRef] = []


class BackupInfo(BaseModel):
    """A completed backup, as listed."""

    backup_id: str
    subdomain: str
    kind: Literal["full", "database"]
    created_at: datetime
    objects: int
    bytes_total: int
    """Size of the content the backup describes (before compression)."""
    bytes_uploaded: int = 0
    """Sealed bytes this backup actually wrote (objects already stored are not uploaded again)."""
    seconds: float = 0.0


class BackupEngine:
    """Makes and restores backups of local sites."""

    def __init__(self, runtime: Any, store: ObjectStore, vault: Vault) -> None:
        self.runtime = runtime
        self.store = store
        self._vault = vault

    async def _key(self, subdomain: str, *, create: bool) -> SiteKey:
        name = f"keys/{subdomain}"
        if await self.store.exists(name):
            return SiteKey.unwrap(self._vault, subdomain, await self.store.get(name))
        if not create:
            raise BackupIntegrityError(f"no backup key for {subdomain!r} in the store")
        key = SiteKey.new()
        await self.store.put(name, key.wrap(self._vault, subdomain))
        return key

    async def _upload(self, subdomain: str, key: SiteKey, data: bytes) -> tuple[ObjectRef, int]:
        sha = hashlib.sha256(data).hexdigest()
        name = key.object_name(sha)
        path = f"objects/{subdomain}/{name}"
        if await self.store.exists(path):
            return ObjectRef(name=name, sha256=sha, size=len(data)), 0
        sealed = await anyio.to_thread.run_sync(key.seal, name, data)
        await self.store.put(path, sealed)
        return ObjectRef(name=name, sha256=sha, size=len(data)), len(sealed)

    async def backup(self, subdomain: str, kind: Literal["full", "database"] = "full") -> BackupInfo:
        """Back up the site's database (and, for ``full``, its files); return what was stored."""
        import time

        started = time.perf_counter()
        await self.runtime.active_site(subdomain)
        key = await self._key(subdomain, create=True)
        sql = await self.runtime.dump_database(subdomain)
        database, uploaded = await self._upload(subdomain, key, sql)
        files: list[FileRef] = []
        if kind == "full":
            for relative, path, mode in await self.runtime.content_files(subdomain):
                data = await anyio.to_thread.run_sync(path.read_bytes)
                ref, sent = await self._upload(subdomain, key, data)
                uploaded += sent
                files.append(FileRef(**ref.model_dump(), path=relative, mode=mode))
        now = datetime.now(timezone.utc)
        backup_id = f"{now:%Y%m%dT%H%M%S}Z-{secrets.token_hex(3)}"
        manifest = Manifest(id=backup_id, subdomain=subdomain, kind=kind, created_at=now, database=database, files=files)
        name = f"manifest:{backup_id}"
        sealed = key.seal(name, manifest.model_dump_json().encode())
        await self.store.put(f"manifests/{subdomain}/{backup_id}", sealed)
        return self._info(manifest, uploaded + len(sealed), time.perf_counter() - started)

    @staticmethod
    def _info(manifest: Manifest, uploaded: int = 0, seconds: float = 0.0) -> BackupInfo:
        return BackupInfo(
            backup_id=manifest.id, subdomain=manifest.subdomain, kind=manifest.kind, created_at=manifest.created_at,
            objects=1 + len(manifest.files), bytes_total=manifest.database.size + sum(f.size for f in manifest.files),
            bytes_uploaded=uploaded, seconds=seconds,
        )

    async def manifest(self, subdomain: str, backup_id: str) -> Manifest:
        key = await self._key(subdomain, create=False)
        try:
            sealed = await self.store.get(f"manifests/{subdomain}/{backup_id}")
        except KeyError:
            raise BackupIntegrityError(f"no backup {backup_id!r} of {subdomain!r}; `kenzy backups {subdomain}` lists them") from None
        # The manifest's own hash is recorded nowhere else: its authenticity comes from AES-GCM.
        try:
            plain = key.unseal(f"manifest:{backup_id}", sealed)
        except BackupIntegrityError:
            raise BackupIntegrityError(f"the manifest of backup {backup_id!r} is damaged or was altered") from None
        return Manifest.model_validate_json(plain)

    async def list(self, subdomain: str) -> list[BackupInfo]:
        """Complete backups of the site, newest first."""
        names = await self.store.keys(f"manifests/{subdomain}")
        infos = [self._info(await self.manifest(subdomain, n.rsplit("/", 1)[1])) for n in names]
        return sorted(infos, key=lambda i: i.created_at, reverse=True)

    async def _fetch(self, subdomain: str, key: SiteKey, ref: ObjectRef) -> bytes:
        try:
            sealed = await self.store.get(f"objects/{subdomain}/{ref.name}")
        except KeyError:
            raise BackupIntegrityError(f"backup object {ref.name[:12]}… is missing from the store") from None
        return await anyio.to_thread.run_sync(key.open, ref.name, sealed, ref.sha256)

    async def restore(self, subdomain: str, backup_id: str) -> BackupInfo:
        """Put the site back as the backup recorded it. Every object is fetched and verified
        first; any problem stops the restore before the site is touched.

        Raises:
            BackupIntegrityError: a missing or altered object, or the wrong master key.
        """
        import time

        started = time.perf_counter()
        await self.runtime.active_site(subdomain)
        manifest = await self.manifest(subdomain, backup_id)
        key = await self._key(subdomain, create=False)
        sql = await self._fetch(subdomain, key, manifest.database)
        files = {f.path: (await self._fetch(subdomain, key, f), f.mode) for f in manifest.files}
        await self.runtime.load_database(subdomain, sql)
        if manifest.kind == "full":
            await self.runtime.replace_content(subdomain, files)
        await self.runtime.purge_cache(subdomain)
        return self._info(manifest, 0, time.perf_counter() - started)

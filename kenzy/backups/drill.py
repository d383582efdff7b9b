"""Restoring into a new site (a clone), and restore drills that prove a backup works.

A clone is verified before anything is created: every object is fetched and checked first,
then the site is provisioned, filled from the backup and re-addressed (``rehome.php``); a
failure after that removes the half-made clone. A drill clones the latest backup into a
scratch site, checks it serves the same content, removes it and records the RTO.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import datetime, timezone
from urllib.parse import urlsplit

import anyio

from kenzy import naming
from kenzy.backups._engine import BackupEngine, LoadedBackup
from kenzy.backups.models import DrillReport, RestoreInfo
from kenzy.errors import BackupError, SiteConflict
from kenzy.models import Site

__all__ = ["drill", "restore_into"]


async def restore_into(engine: BackupEngine, source: str, backup_id: str, target: str) -> RestoreInfo:
    """Restore ``source``'s backup into a new site ``target`` (the source may be gone). With
    ``target == source`` this rebuilds a site that no longer exists under its own name.

    A database-only backup brings its database and the files of the full backup before it.

    Raises:
        SiteConflict: ``target`` exists already (nothing is overwritten).
        BackupIntegrityError: the backup is incomplete or altered; nothing was created.
    """
    started = time.perf_counter()
    site, loaded = await _clone(engine, source, backup_id, target)
    return RestoreInfo(backup_id=backup_id, subdomain=target, source=source, kind=loaded.manifest.kind, url=site.url,
                       store=loaded.store, objects=1 + len(loaded.manifest.files),
                       seconds=round(time.perf_counter() - started, 3))


async def _clone(engine: BackupEngine, source: str, backup_id: str, target: str) -> tuple[Site, LoadedBackup]:
    runtime = engine.runtime
    naming.validate_subdomain(target)
    if await runtime.store.get(target) is not None:
        if target == source:
            raise SiteConflict(f"{target!r} exists: restore it in place (without --into), or clone it under a new subdomain")
        raise SiteConflict(f"{target!r} exists already: a clone needs a new subdomain (or restore {target!r} itself)")
    loaded = await engine.load_point(source, backup_id)
    site, _ = await runtime.provision(loaded.manifest.plan.model_copy(update={"subdomain": target}))
    try:
        await engine.apply(target, loaded)
        await _rehome(runtime, site, loaded)
    except BaseException:
        with anyio.CancelScope(shield=True):
            await runtime.destroy(target)
        raise
    return site, loaded


async def _rehome(runtime: object, site: Site, loaded: LoadedBackup) -> None:
    creds = await runtime.store.credentials(site.subdomain)  # type: ignore[attr-defined]
    assert creds is not None
    await runtime.run_php(site.subdomain, "rehome", {  # type: ignore[attr-defined]
        "from": urlsplit(loaded.manifest.home).netloc, "to": urlsplit(site.url).netloc, "home": site.url,
        "admin_user": creds.admin_user, "admin_password": creds.admin_password.get_secret_value(),
    })
    await runtime.purge_cache(site.subdomain)  # type: ignore[attr-defined]


async def _fetch(url: str, path: str) -> tuple[int, bytes]:
    """GET ``path`` of a local site: to 127.0.0.1 with the site's Host header (glibc does not
    resolve ``*.localhost``)."""
    import httpx

    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    async with httpx.AsyncClient(verify=False, timeout=30) as client:
        answer = await client.get(f"{parts.scheme}://127.0.0.1:{port}{path}", headers={"Host": parts.netloc})
        return answer.status_code, answer.content


async def drill(engine: BackupEngine, subdomain: str) -> DrillReport:
    """Restore the site's latest backup into a scratch site, check it serves the same posts
    and uploads, remove it, and record the measured restore time (RTO) in the catalog.

    Raises:
        BackupError: the site has no complete backup.
    """
    backups = await engine.catalog.list(subdomain)
    if not backups:
        raise BackupError(f"{subdomain!r} has no complete backup to verify; run `kenzy backup {subdomain}` first")
    latest = backups[0]
    scratch = f"{subdomain[:48].rstrip('-')}-drill-{secrets.token_hex(3)}"
    started = time.perf_counter()
    site, loaded = await _clone(engine, subdomain, latest.backup_id, scratch)
    problems: list[str] = []
    try:
        status, _ = await _fetch(site.url, "/")
        rto = time.perf_counter() - started
        if status != 200:
            problems.append(f"the restored home page answered HTTP {status}")
        manifest = loaded.manifest
        published = await engine.runtime.published(scratch)
        if published != manifest.published:
            problems.append(f"published posts differ: {len(published)} restored, {len(manifest.published)} backed up")
        uploads = [f for f in loaded.manifest.files if f.path.startswith("uploads/")]
        for ref in uploads:
            code, body = await _fetch(site.url, f"/wp-content/{ref.path}")
            if code != 200 or hashlib.sha256(body).hexdigest() != ref.sha256:
                problems.append(f"uploads file {ref.path} is not served as backed up (HTTP {code})")
    finally:
        with anyio.CancelScope(shield=True):
            await engine.runtime.destroy(scratch)
    ok = not problems
    if ok:
        await engine.catalog.save(latest.model_copy(update={
            "verified_at": datetime.now(timezone.utc), "rto_seconds": round(rto, 3)}))
    return DrillReport(backup_id=latest.backup_id, subdomain=subdomain, scratch=scratch, ok=ok,
                       rto_seconds=round(rto, 3), http_status=status, posts_checked=len(manifest.published),
                       files_checked=len(uploads), problems=problems)

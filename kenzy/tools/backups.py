"""Backups, restores, drills, retention and scheduling of sites, in the configured stores."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from kenzy import naming
from kenzy.backups.models import BackupInfo, DrillReport, PruneReport, RestoreInfo
from kenzy.backups.policy import BackupPolicy
from kenzy.errors import KenzyError, NotConfigured, UsageError
from kenzy.tools._context import ToolContext
from kenzy.tools._registry import tool

if TYPE_CHECKING:
    from kenzy.backups._engine import BackupEngine
    from kenzy.backups.catalog import Catalog
    from kenzy.runtimes.k8s.pod_site import PodSite

__all__ = [
    "BackupInput", "BackupList", "DueReport", "ListBackupsInput", "PolicyInput", "PruneInput", "RestoreInput",
    "RunDueInput", "SiteBackupsRef", "backup", "backup_policy", "list_backups", "prune_backups", "restore",
    "run_due_backups", "verify_backup",
]


class SiteBackupsRef(BaseModel):
    """Names one site."""

    subdomain: str = Field(description="The site's subdomain.")


class BackupInput(SiteBackupsRef):
    """What to back up."""

    kind: Literal["full", "database"] = Field(default="full", description="full: database and files; database: only the database.")


class RestoreInput(SiteBackupsRef):
    """Which backup to restore, and where."""

    backup_id: str = Field(description="The backup to restore (from list_backups).")
    into: str | None = Field(default=None, description="Restore into this new subdomain (a clone) instead of replacing the site.")


class ListBackupsInput(SiteBackupsRef):
    """The site whose backups to list."""

    include_failed: bool = Field(default=False, description="Also list failed runs, with why they failed.")


class PruneInput(BaseModel):
    """Whose expired backups to remove."""

    subdomain: str | None = Field(default=None, description="One site; unset: every site with backups.")


class RunDueInput(BaseModel):
    """Which sites to look at; each site's policy says what is due."""

    subdomain: str | None = Field(default=None, description="Only this site; unset: every active site.")


class PolicyInput(SiteBackupsRef):
    """A site's backup policy; fields left unset keep their current value."""

    database_minutes: int | None = Field(default=None, ge=5, description="Database backup every N minutes (RPO).")
    full_hours: int | None = Field(default=None, ge=1, description="Full backup every N hours.")
    keep_hourly: int | None = Field(default=None, ge=0)
    keep_daily: int | None = Field(default=None, ge=0)
    keep_weekly: int | None = Field(default=None, ge=0)
    keep_monthly: int | None = Field(default=None, ge=0)


class BackupList(BaseModel):
    """A site's backups, newest first."""

    backups: list[BackupInfo]


class SitePolicy(BackupPolicy):
    """The policy one site follows."""

    subdomain: str


class DueReport(BaseModel):
    """What one `run_due_backups` pass did."""

    ran: list[BackupInfo] = []
    replicated: list[str] = []
    pruned: list[PruneReport] = []
    failed: list[str] = []
    """``site: reason`` for each site whose due backup failed (the others still ran)."""
    skipped: bool = False
    """Another run-due was still running; this one did nothing."""


IN_CLUSTER = ("its backups run in the cluster's CronJob (`kenzy backup run-due` in the site's namespace, "
              "with the store in the kenzy-backup Secret); see docs/kubernetes.md")


def default_policy(ctx: ToolContext) -> BackupPolicy:
    s = ctx.settings
    return BackupPolicy(database_minutes=s.backup_database_minutes, full_hours=s.backup_full_hours,
                        keep_hourly=s.backup_keep_hourly, keep_daily=s.backup_keep_daily,
                        keep_weekly=s.backup_keep_weekly, keep_monthly=s.backup_keep_monthly)


@asynccontextmanager
async def open_engine(ctx: ToolContext, runtime: Any = None, catalog: Catalog | None = None
                      ) -> AsyncIterator[BackupEngine]:
    """The backup engine over the configured stores (closed on exit), for the local runtime's
    sites and kenzy's catalog unless told otherwise.

    Raises:
        NotConfigured: backups are turned off (``KENZY_BACKUP_STORE=none``).
    """
    from kenzy.backups._engine import BackupEngine
    from kenzy.backups.catalog import Catalog
    from kenzy.backups.stores import open_store

    primary = open_store(ctx.settings.backup_store, ctx.settings)
    if primary is None:
        raise NotConfigured("backup store — set KENZY_BACKUP_STORE=local (or file:///path, or an s3:// URL)")
    secondary = open_store(ctx.settings.backup_secondary, ctx.settings, setting="KENZY_BACKUP_SECONDARY")
    engine = BackupEngine(ctx.local if runtime is None else runtime, primary, ctx.vault,
                          Catalog(ctx.store) if catalog is None else catalog, secondary=secondary,
                          concurrency=ctx.settings.backup_concurrency, progress=ctx.progress)
    try:
        yield engine
    finally:
        await engine.aclose()


@tool()
async def backup(ctx: ToolContext, args: BackupInput) -> BackupInfo:
    """Back up a site (its database, and for a full backup its files) to the backup store:
    compressed, encrypted, uploading only content the store does not have yet, and copied
    to the secondary store when one is configured."""
    await ctx.local_site(args.subdomain, IN_CLUSTER)
    async with open_engine(ctx) as engine:
        info = await engine.backup(args.subdomain, args.kind)
    await ctx.store.audit("backup", args.subdomain, "ok", detail=info.backup_id)
    return info


@tool()
async def list_backups(ctx: ToolContext, args: ListBackupsInput) -> BackupList:
    """List a site's complete backups, newest first (with failed runs when asked). For a site
    kenzy no longer has (deleted, or backed up by another kenzy), the store's backups."""
    from kenzy.backups.catalog import Catalog

    naming.validate_subdomain(args.subdomain)
    if await ctx.store.get(args.subdomain) is None:
        with suppress(NotConfigured):  # backups turned off: only the catalog's records
            async with open_engine(ctx) as engine:
                await engine.adopt(args.subdomain)  # learn what the store holds (a rebuilt machine, a pod's backups)
    backups = await Catalog(ctx.store).list(args.subdomain, status=None if args.include_failed else "complete")
    if not backups:
        await ctx.local_site(args.subdomain, IN_CLUSTER)  # a clear error for a site that never existed
    return BackupList(backups=backups)


@tool(destructive=True)
async def restore(ctx: ToolContext, args: RestoreInput) -> RestoreInfo:
    """Restore a site from one of its backups, replacing its current database and files; or,
    with `into`, into a new site under another subdomain (a clone), leaving the site as it
    is. A site that no longer exists (deleted, or backed up by another kenzy) is rebuilt
    from the backup under its own name. Every object is verified before anything changes.
    Confirm with the person first."""
    from kenzy.backups.drill import restore_into

    naming.validate_subdomain(args.subdomain)
    into = args.into or (args.subdomain if await ctx.store.get(args.subdomain) is None else None)
    async with open_engine(ctx) as engine:
        if into:
            info = await restore_into(engine, args.subdomain, args.backup_id, into)
        else:
            info = await _restore_in_place(ctx, engine, args)
    await ctx.store.audit("restore", info.subdomain, "ok", detail=f"{args.subdomain}/{args.backup_id}")
    return info


async def _restore_in_place(ctx: ToolContext, engine: BackupEngine, args: RestoreInput) -> RestoreInfo:
    import time

    site = await ctx.local_site(args.subdomain, IN_CLUSTER)
    started = time.perf_counter()
    async with ctx.local.site_lock(args.subdomain):
        loaded = await engine.load(args.subdomain, args.backup_id)
        await engine.apply(args.subdomain, loaded)
    return RestoreInfo(backup_id=args.backup_id, subdomain=args.subdomain, source=args.subdomain,
                       kind=loaded.manifest.kind, url=site.url, store=loaded.store,
                       objects=1 + len(loaded.manifest.files), seconds=round(time.perf_counter() - started, 3))


@tool()
async def verify_backup(ctx: ToolContext, args: SiteBackupsRef) -> DrillReport:
    """Restore drill: restore the site's latest backup into a scratch site, check it serves
    the same posts and uploaded files, remove the scratch site and record the restore time
    (RTO). The site itself is not touched."""
    from kenzy.backups.drill import drill

    await ctx.local_site(args.subdomain, IN_CLUSTER)
    async with open_engine(ctx) as engine:
        report = await drill(engine, args.subdomain)
    await ctx.store.audit("verify_backup", args.subdomain, "ok" if report.ok else "failed", detail=report.backup_id)
    return report


@tool(destructive=True)
async def prune_backups(ctx: ToolContext, args: PruneInput) -> DueReport:
    """Remove backups the retention policy has expired, and the stored objects no remaining
    backup uses. The newest complete backup of a site is always kept."""
    from kenzy.backups.catalog import Catalog

    catalog = Catalog(ctx.store)
    sites = [args.subdomain] if args.subdomain else await catalog.sites()
    report = DueReport()
    async with open_engine(ctx) as engine:
        for sub in sites:
            report.pruned.append(await engine.prune(sub, await catalog.policy(sub, default_policy(ctx))))
    return report


@tool()
async def run_due_backups(ctx: ToolContext, args: RunDueInput) -> DueReport:
    """Run the backups each site's policy says are due (by default a database backup hourly
    and a full backup daily), retry copies to the secondary store, then prune what expired.
    Safe to call from cron every few minutes: overlapping calls do nothing."""
    from kenzy.runtimes.local import _proc

    report = DueReport()
    try:
        async with _proc.file_lock(ctx.local.layout.locks / "backup-run-due.lock", wait=False):
            await run_due(ctx, report, only=args.subdomain)
    except BlockingIOError:
        report.skipped = True
    return report


async def run_due(ctx: ToolContext, report: DueReport, *, only: str | None = None, now: datetime | None = None) -> None:
    """One pass over the sites (``now`` lets a test walk a simulated calendar). In a backup
    CronJob's pod, the one site its environment describes (`PodSite`)."""
    from kenzy.models import SiteState
    from kenzy.runtimes.k8s.pod_site import PodSite

    pod = PodSite.from_env()
    if pod is not None:
        await _run_due_in_pod(ctx, report, pod, only, now)
        return
    async with open_engine(ctx) as engine:
        for site in await ctx.store.list():
            if site.status == SiteState.ACTIVE and site.runtime == "local" and only in (None, site.subdomain):
                policy = await engine.catalog.policy(site.subdomain, default_policy(ctx))
                await _run_due_site(engine, site.subdomain, policy, report, now)


async def _run_due_in_pod(ctx: ToolContext, report: DueReport, pod: PodSite, only: str | None,
                          now: datetime | None) -> None:
    """The pod has no kenzy state: a throw-away catalog learns the site's backups from the store."""
    import tempfile
    from pathlib import Path

    from kenzy.backups.catalog import Catalog
    from kenzy.store import Store

    sub = pod.site.subdomain
    if only not in (None, sub):
        raise UsageError(f"this backup pod serves {sub!r}, not {only!r}")
    with tempfile.TemporaryDirectory(prefix="kenzy-catalog-") as tmp:
        catalog = Catalog(Store(Path(tmp) / "catalog.db", ctx.vault))
        async with open_engine(ctx, runtime=pod, catalog=catalog) as engine:
            await engine.adopt(sub)
            await _run_due_site(engine, sub, default_policy(ctx), report, now)


async def _run_due_site(engine: BackupEngine, sub: str, policy: BackupPolicy, report: DueReport,
                        now: datetime | None) -> None:
    """What is due for one site, then copies to the secondary store, then pruning. A failure
    is recorded in ``report`` and does not stop the other sites."""
    from kenzy.backups.policy import due

    try:
        done = await engine.catalog.list(sub)
        last_full = next((b.created_at for b in done if b.kind == "full"), None)
        kind = due(policy, last_full, done[0].created_at if done else None, now or datetime.now(timezone.utc))
        if kind is not None:
            report.ran.append(await engine.backup(sub, kind, now=now))
        report.replicated += await engine.replicate_pending(sub)
        pruned = await engine.prune(sub, policy)
        if pruned.removed or pruned.objects_deleted:
            report.pruned.append(pruned)
    except KenzyError as exc:
        report.failed.append(f"{sub}: {exc}")


@tool()
async def backup_policy(ctx: ToolContext, args: PolicyInput) -> SitePolicy:
    """Show a site's backup schedule and retention, or change the fields given (the rest
    keep their values; unset ones follow the KENZY_BACKUP_* defaults)."""
    from kenzy.backups.catalog import Catalog

    await ctx.local_site(args.subdomain, IN_CLUSTER)
    catalog = Catalog(ctx.store)
    changes = args.model_dump(exclude={"subdomain"}, exclude_none=True)
    if changes:
        own = await catalog.policy(args.subdomain, BackupPolicy.model_construct())
        merged = {**own.model_dump(exclude_unset=True), **changes}
        await catalog.set_policy(args.subdomain, BackupPolicy(**merged))
    policy = await catalog.policy(args.subdomain, default_policy(ctx))
    return SitePolicy(subdomain=args.subdomain, **policy.model_dump())

"""Backups and restores of a site, in the configured object store."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from kenzy.backups._engine import BackupInfo
from kenzy.errors import NotConfigured
from kenzy.tools._context import ToolContext
from kenzy.tools._registry import tool

__all__ = ["BackupInput", "BackupList", "ListBackupsInput", "RestoreInput", "backup", "list_backups", "restore"]


class BackupInput(BaseModel):
    """What to back up."""

    subdomain: str = Field(description="The site's subdomain.")
    kind: Literal["full", "database"] = Field(default="full", description="full: database and files; database: only the database.")


class RestoreInput(BaseModel):
    """Which backup to restore."""

    subdomain: str = Field(description="The site's subdomain.")
    backup_id: str = Field(description="The backup to restore (from list_backups).")


class ListBackupsInput(BaseModel):
    """The site whose backups to list."""

    subdomain: str = Field(description="The site's subdomain.")


def _engine(ctx: ToolContext):  # type: ignore[no-untyped-def]
    from kenzy.backups._engine import BackupEngine
    from kenzy.backups.filesystem import FilesystemStore

    store = ctx.settings.backup_store
    if not store:
        raise NotConfigured("backup store — set KENZY_BACKUP_STORE=local (or an s3:// URL)")
    if store != "local":
        raise NotConfigured(f"backup store {store!r}: only 'local' is built so far (S3 comes with the backup issue)")
    return BackupEngine(ctx.local, FilesystemStore(ctx.settings.home / "backups"), ctx.vault)


class BackupList(BaseModel):
    """Complete backups, newest first."""

    backups: list[BackupInfo]


@tool()
async def backup(ctx: ToolContext, args: BackupInput) -> BackupInfo:
    """Back up a site (its database, and for a full backup its files) to the backup store:
    compressed, encrypted, uploading only content the store does not have yet."""
    await ctx.local.active_site(args.subdomain)
    info = await _engine(ctx).backup(args.subdomain, args.kind)
    await ctx.store.audit("backup", args.subdomain, "ok", detail=info.backup_id)
    return info


@tool()
async def list_backups(ctx: ToolContext, args: ListBackupsInput) -> BackupList:
    """List a site's complete backups, newest first."""
    await ctx.local.active_site(args.subdomain)
    return BackupList(backups=await _engine(ctx).list(args.subdomain))


@tool(destructive=True)
async def restore(ctx: ToolContext, args: RestoreInput) -> BackupInfo:
    """Restore a site from one of its backups, replacing its current database and files.
    Every object is verified before anything changes. Confirm with the person first."""
    await ctx.local.active_site(args.subdomain)
    info = await _engine(ctx).restore(args.subdomain, args.backup_id)
    await ctx.store.audit("restore", args.subdomain, "ok", detail=args.backup_id)
    return info

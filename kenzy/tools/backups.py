"""Backups and restores. The stores arrive with the backup issue; until a store is
configured the tools say exactly what to set."""

from __future__ import annotations

from typing import Literal, NoReturn

from pydantic import BaseModel, Field

from kenzy.errors import NotConfigured
from kenzy.tools._context import ToolContext
from kenzy.tools._registry import tool

__all__ = ["BackupInput", "BackupResult", "RestoreInput", "backup", "restore"]


class BackupInput(BaseModel):
    """What to back up."""

    subdomain: str = Field(description="The site's subdomain.")
    kind: Literal["full", "database"] = Field(default="full", description="full: database and files; database: only the database.")


class BackupResult(BaseModel):
    """A completed backup."""

    subdomain: str
    backup_id: str
    kind: str
    size_bytes: int


class RestoreInput(BaseModel):
    """Which backup to restore, and where."""

    subdomain: str = Field(description="The site's subdomain.")
    backup_id: str = Field(description="The backup to restore (from the backups list).")


def _no_store(ctx: ToolContext) -> NoReturn:
    if not ctx.settings.backup_store:
        raise NotConfigured("backup store — set KENZY_BACKUP_STORE (local or an s3:// URL)")
    raise NotConfigured(f"backup store {ctx.settings.backup_store!r} is not supported by this kenzy version")


@tool()
async def backup(ctx: ToolContext, args: BackupInput) -> BackupResult:
    """Back up a site (encrypted, compressed) to the configured backup store."""
    await ctx.local.active_site(args.subdomain)
    _no_store(ctx)


@tool(destructive=True)
async def restore(ctx: ToolContext, args: RestoreInput) -> BackupResult:
    """Restore a site from one of its backups, replacing its current content. Confirm with
    the person first."""
    await ctx.local.active_site(args.subdomain)
    _no_store(ctx)

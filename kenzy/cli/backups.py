"""``kenzy backup SITE``, ``kenzy backups SITE`` and ``kenzy restore SITE BACKUP_ID``."""

from __future__ import annotations

import typer

from kenzy.cli._console import err, out, print_json
from kenzy.cli.sites import call_tool

__all__ = ["backup", "backups", "restore"]


def backup(
    site: str = typer.Argument(..., help="The site's subdomain."),
    database_only: bool = typer.Option(False, "--database", help="Only the database."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Back up a site now."""
    result = call_tool("backup", {"subdomain": site, "kind": "database" if database_only else "full"}, quiet=True)
    if as_json:
        print_json(result)
        return
    out.print(f"[green]Backup {result.backup_id}[/] ({result.kind}): {result.objects} objects, "
              f"{result.bytes_total / 1e6:.1f} MB described, {result.bytes_uploaded / 1e6:.2f} MB uploaded "
              f"in {result.seconds:.1f} s", highlight=False)


def backups(
    site: str = typer.Argument(..., help="The site's subdomain."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List a site's backups, newest first."""
    result = call_tool("list_backups", {"subdomain": site}, quiet=True)
    if as_json:
        print_json(result)
        return
    for b in result.backups:
        out.print(f"{b.backup_id}  {b.kind:<8} {b.created_at:%Y-%m-%d %H:%M}  {b.objects} objects", highlight=False)


def restore(
    site: str = typer.Argument(..., help="The site's subdomain."),
    backup_id: str = typer.Argument(..., help="The backup to restore (kenzy backups SITE)."),
    yes: bool = typer.Option(False, "--yes", help="Confirm: the site's current content is replaced."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Restore a site from a backup (every object is verified before anything changes)."""
    if not yes and not typer.confirm(f"Replace {site}'s content with backup {backup_id}?", default=False, err=True):
        err.print("nothing was restored")
        raise typer.Exit(1)
    result = call_tool("restore", {"subdomain": site, "backup_id": backup_id}, quiet=True)
    if as_json:
        print_json(result)
        return
    out.print(f"[green]Restored[/] {site} from {result.backup_id} in {result.seconds:.1f} s", highlight=False)

"""``kenzy backup SITE|run-due|verify|prune|policy``, ``kenzy backups SITE`` and ``kenzy restore``."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from kenzy.cli._console import err, out, print_json
from kenzy.cli.sites import call_tool

__all__ = ["app", "backups", "restore"]


class _SiteOrCommand(TyperGroup):
    """``kenzy backup SITE`` backs the site up now; ``kenzy backup verify SITE`` and the other
    subcommands work as usual (a site named like a subcommand: ``kenzy backup now SITE``)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["now", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(cls=_SiteOrCommand, no_args_is_help=True,
                  help="Back a site up now (kenzy backup SITE), or run-due, verify, prune, policy.")


def _mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB"


@app.command("now")
def now(
    site: str = typer.Argument(..., help="The site's subdomain."),
    database_only: bool = typer.Option(False, "--database", help="Only the database."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Back up a site now (the same as kenzy backup SITE)."""
    result = call_tool("backup", {"subdomain": site, "kind": "database" if database_only else "full"}, quiet=True)
    if as_json:
        print_json(result)
        return
    out.print(f"[green]Backup {result.backup_id}[/] ({result.kind}): {result.objects} objects, "
              f"{result.bytes_total / 1e6:.1f} MB described, {_mb(result.bytes_uploaded)} uploaded "
              f"in {result.seconds:.1f} s", highlight=False)
    for warning in result.warnings:
        err.print(f"[yellow]warning:[/] {warning}", highlight=False)


@app.command("run-due")
def run_due(
    site: str = typer.Option(None, "--site", help="Only this site."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Run the backups each site's policy says are due, then prune; for cron (every few minutes)."""
    result = call_tool("run_due_backups", {"subdomain": site}, quiet=True)
    if as_json:
        print_json(result)
    elif result.skipped:
        out.print("another run-due is still running; nothing done")
    else:
        for b in result.ran:
            out.print(f"{b.subdomain}: {b.kind} backup {b.backup_id}, {_mb(b.bytes_uploaded)} uploaded", highlight=False)
        for p in result.pruned:
            out.print(f"{p.subdomain}: pruned {len(p.removed)} backups, {p.objects_deleted} objects", highlight=False)
        if not (result.ran or result.pruned):
            out.print("nothing was due")
    for failure in result.failed:
        err.print(f"[bold red]failed:[/] {failure}", highlight=False)
    if result.failed:
        raise typer.Exit(1)


@app.command("verify")
def verify(
    site: str = typer.Argument(None, help="The site's subdomain; every site on this machine with a backup when "
                                          "omitted (for a weekly cron)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Restore drill: restore the latest backup into a scratch site, check it, remove it, record the RTO."""
    from kenzy.errors import KenzyError

    if site is not None:
        sites = [site]
    else:
        listed = call_tool("list_sites", {}, quiet=True).sites
        sites = [s.subdomain for s in listed if s.runtime == "local" and s.status == "active"]
    reports: list[Any] = []
    failed = False
    for sub in sites:
        try:
            result = call_tool("verify_backup", {"subdomain": sub}, quiet=True)
        except KenzyError as exc:
            if site is not None:
                raise
            err.print(f"{sub}: [yellow]no drill[/]: {exc}", highlight=False)  # e.g. no backup yet
            continue
        reports.append(result)
        failed |= not result.ok
        if not as_json and result.ok:
            out.print(f"[green]{sub}: backup {result.backup_id} verified[/]: restored and serving in "
                      f"{result.rto_seconds:.1f} s (RTO); {result.posts_checked} posts and {result.files_checked} "
                      "uploads checked", highlight=False)
        for problem in result.problems:
            err.print(f"[bold red]{sub}: drill failed:[/] {problem}", highlight=False)
    if as_json:
        print_json(reports[0] if site is not None else reports)
    if failed:
        raise typer.Exit(1)


@app.command("prune")
def prune(
    site: str = typer.Argument(None, help="One site; every site with backups when omitted."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Remove expired backups (per the retention policy) and objects nothing references."""
    result = call_tool("prune_backups", {"subdomain": site}, quiet=True)
    if as_json:
        print_json(result)
        return
    for p in result.pruned:
        out.print(f"{p.subdomain}: kept {len(p.kept)}, removed {len(p.removed)} backups and "
                  f"{p.objects_deleted} objects", highlight=False)


@app.command("policy")
def policy(
    site: str = typer.Argument(..., help="The site's subdomain."),
    database_minutes: int = typer.Option(None, "--database-every", help="Minutes between database backups (RPO)."),
    full_hours: int = typer.Option(None, "--full-every", help="Hours between full backups."),
    keep_hourly: int = typer.Option(None, "--hourly", help="Keep one backup for each of the last N hours."),
    keep_daily: int = typer.Option(None, "--daily", help="Keep one full backup for each of the last N days."),
    keep_weekly: int = typer.Option(None, "--weekly", help="... weeks."),
    keep_monthly: int = typer.Option(None, "--monthly", help="... months."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show a site's backup schedule and retention, or change it."""
    result = call_tool("backup_policy", {
        "subdomain": site, "database_minutes": database_minutes, "full_hours": full_hours, "keep_hourly": keep_hourly,
        "keep_daily": keep_daily, "keep_weekly": keep_weekly, "keep_monthly": keep_monthly}, quiet=True)
    if as_json:
        print_json(result)
        return
    out.print(f"{site}: database every {result.database_minutes} min, full every {result.full_hours} h; keep "
              f"{result.keep_hourly} hourly, {result.keep_daily} daily, {result.keep_weekly} weekly, "
              f"{result.keep_monthly} monthly", highlight=False)


def backups(
    site: str = typer.Argument(..., help="The site's subdomain."),
    include_failed: bool = typer.Option(False, "--all", help="Also failed runs."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List a site's backups, newest first."""
    result = call_tool("list_backups", {"subdomain": site, "include_failed": include_failed}, quiet=True)
    if as_json:
        print_json(result)
        return
    for b in result.backups:
        extra = f"  verified, RTO {b.rto_seconds:.1f} s" if b.rto_seconds is not None else ""
        if b.status != "complete":
            extra = f"  [red]{b.status}[/]: {b.error}"
        elif b.replicated is False:
            extra += "  [yellow]not yet on the secondary store[/]"
        out.print(f"{b.backup_id}  {b.kind:<8} {b.created_at:%Y-%m-%d %H:%M}  {b.objects} objects{extra}", highlight=False)


def restore(
    site: str = typer.Argument(..., help="The site's subdomain."),
    backup_id: str = typer.Argument(..., help="The backup to restore (kenzy backups SITE)."),
    into: str = typer.Option(None, "--into", help="Restore into this new subdomain (a clone); the site is left as it is."),
    yes: bool = typer.Option(False, "--yes", help="Confirm: the site's current content is replaced."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Restore a site from a backup (every object is verified before anything changes)."""
    question = (f"Create {into} from {site}'s backup {backup_id}?" if into
                else f"Replace {site}'s content with backup {backup_id}?")
    if not yes and not typer.confirm(question, default=False, err=True):
        err.print("nothing was restored")
        raise typer.Exit(1)
    result = call_tool("restore", {"subdomain": site, "backup_id": backup_id, "into": into}, quiet=True)
    if as_json:
        print_json(result)
        return
    out.print(f"[green]Restored[/] {result.subdomain} from {result.backup_id} in {result.seconds:.1f} s: "
              f"{result.url}", highlight=False)

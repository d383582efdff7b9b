"""Site commands: create, sites, status, credentials, destroy. Each calls one tool."""

from __future__ import annotations

from typing import Any

import typer

from kenzy.cli._console import err, out, print_json, progress

__all__ = ["register"]


def call_tool(name: str, arguments: dict[str, Any], *, title: str = "", quiet: bool = False) -> Any:
    """Run one tool with a progress display; the CLI's only way into kenzy."""
    import anyio

    from kenzy.tools import ToolContext, call

    with progress(title or name, quiet=quiet) as report:
        ctx = ToolContext(progress=report)
        return anyio.run(call, name, arguments, ctx)


def create(
    sentence: str = typer.Argument(None, help="The request in your words, e.g. \"Crie um site para o Restaurante do João em Campinas\"."),
    name: str = typer.Option(None, "--name", help="The business's name (instead of a sentence)."),
    industry: str = typer.Option(None, "--industry", help="Industry blueprint, with --name: restaurante, advocacia, saude, ..."),
    subdomain: str = typer.Option("", "--subdomain", help="Subdomain; derived from the name when omitted."),
    locale: str = typer.Option(None, "--locale", help="pt_BR or en_US."),
    city: str = typer.Option(None, "--city", help="City the business serves."),
    template: str = typer.Option(None, "--template", help="One of the blueprint's templates."),
    option: list[str] = typer.Option(None, "--option", "-o", help="key=value or a flag: whatsapp=..., pix=..., ifood, delivery, ..."),
    empty: bool = typer.Option(False, "--empty", help="Only provision: no blueprint, copy or images."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask before creating."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the plan and stop."),
    as_json: bool = typer.Option(False, "--json", help="Print the site record (or, with --dry-run, the plan) as JSON."),
) -> None:
    """Create a site from a sentence (or from --name and --industry), write its content, print its URL."""
    import anyio

    from kenzy.cli.content import parse_options, show_fill
    from kenzy.planner import PlanDraft

    if sentence:
        plan: PlanDraft = call_tool("plan_site", {"request": sentence}, quiet=True)
    elif name is not None and industry is not None:
        plan = PlanDraft(business_name=name, industry=industry, subdomain=subdomain or None, city=city,
                         language=locale or "pt_BR", template=template)
    else:
        err.print("give a sentence, or --name and --industry")
        raise typer.Exit(2)
    updates = {k: v for k, v in {"subdomain": subdomain or None, "city": city, "template": template,
                                 "language": locale}.items() if v}
    plan = plan.model_copy(update={**updates, "options": {**plan.options, **parse_options(option)}})
    if plan.missing:
        err.print("kenzy needs to know more:", highlight=False)
        for question in plan.missing:
            err.print(f"  • {question}", highlight=False, markup=False)
        raise typer.Exit(2)
    if dry_run:
        print_json(plan) if as_json else _show_plan(plan)
        return
    if sentence and not yes and not as_json:  # kenzy read a sentence: show what it understood
        _show_plan(plan)
        if not typer.confirm("Create this site?", default=True, err=True):
            err.print("nothing was created")
            raise typer.Exit(1)
    from kenzy.api import Kenzy

    with progress(f"Creating {plan.business_name}", quiet=as_json) as report:
        k = Kenzy(progress=report)
        if empty:
            site = anyio.run(call_plan, k, plan)
        else:
            site = anyio.run(k.create, plan)
    if as_json:
        print_json(site)
        return
    verb = "Created" if site.created else "Already exists:"
    out.print(f"[green]{verb}[/] {site.business_name}")
    out.print("  runs on: Kubernetes" if site.runtime == "k8s" else "  runs on: this machine", highlight=False)
    if not empty:
        out.print(f"  headline: {site.headline}", highlight=False)
        for note in site.skipped:
            out.print(f"  skipped {note}", highlight=False, markup=False)
    out.print(f"  site:  {site.url}/")
    out.print(f"  admin: {site.admin_url} (user {site.admin_user})")
    out.print(f"  password: kenzy credentials {site.subdomain}")


async def call_plan(k: Any, plan: Any) -> Any:
    """Provision only (``--empty``). On Kubernetes the content Job still installs and fills the site."""
    if k.settings.kube_configured:
        return await k.provision_k8s(plan.to_site_plan())
    return await k.provision_local(plan.to_site_plan())


def _show_plan(plan: Any) -> None:
    from rich.table import Table

    table = Table("plan", "", show_header=False)
    for key in ("business_name", "industry", "subdomain", "city", "language", "template"):
        table.add_row(key, str(getattr(plan, key) or "-"))
    table.add_row("options", ", ".join(f"{k}={v}" if v is not True else k for k, v in plan.options.items()) or "-")
    err.print(table)


def plan(
    sentence: str = typer.Argument(..., help="The request in your words."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
) -> None:
    """Show the plan kenzy makes from a sentence (creates nothing)."""
    result = call_tool("plan_site", {"request": sentence}, quiet=True)
    if as_json:
        print_json(result)
        return
    _show_plan(result)
    for question in result.missing:
        out.print(f"  ? {question}", highlight=False, markup=False)


def sites(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the sites."""
    result = call_tool("list_sites", {}, quiet=True)
    if as_json:
        print_json(result.sites)
        return
    from rich.table import Table

    table = Table("subdomain", "business", "industry", "status", "url")
    for s in result.sites:
        table.add_row(s.subdomain, s.business_name, s.industry, s.status.value, s.url)
    out.print(table)


def status(
    site: str = typer.Argument(..., help="The site's subdomain."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show a site's record, whether it answers, and each of its resources."""
    result = call_tool("site_status", {"subdomain": site}, quiet=True)
    if as_json:
        print_json(result)
        return
    s = result.site
    out.print(f"[bold]{s.business_name}[/] ({s.industry}) — {s.status.value}")
    out.print(f"  url: {s.url}/  → HTTP {result.http_status or 'unreachable'}, title {result.title!r}")
    for check, ok in result.checks.items():
        out.print(f"  {'[green]✓[/]' if ok else '[red]✗[/]'} {check}")
    if result.last_backup is not None:
        b = result.last_backup
        drill = f", drill RTO {b.rto_seconds:.1f} s" if b.rto_seconds is not None else ""
        out.print(f"  last backup: {b.backup_id} ({b.kind}, {b.created_at:%Y-%m-%d %H:%M} UTC{drill})", highlight=False)
    elif s.runtime == "local":
        out.print("  last backup: none yet (kenzy backup SITE)", highlight=False)


def credentials(
    site: str = typer.Argument(..., help="The site's subdomain."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show a site's admin, database and Redis credentials (the only command that does)."""
    import anyio

    from kenzy.api import Kenzy

    creds = anyio.run(Kenzy().credentials, site)
    data = {k: (v.get_secret_value() if hasattr(v, "get_secret_value") else v) for k, v in creds}
    if as_json:
        print_json(data)
        return
    for key, value in data.items():
        out.print(f"{key}: {value}", highlight=False)


def destroy(
    site: str = typer.Argument(..., help="The site's subdomain."),
    yes: bool = typer.Option(False, "--yes", help="Confirm: the site and its data are deleted for good."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Delete a site and everything it owns."""
    if not yes:
        if not typer.confirm(f"Delete {site} and all its data for good?", default=False, err=True):
            err.print("nothing was deleted")
            raise typer.Exit(1)
    result = call_tool("destroy_site", {"subdomain": site}, title=f"Destroying {site}", quiet=as_json)
    if as_json:
        print_json(result)
        return
    out.print(f"[green]Destroyed[/] {result.subdomain}: {', '.join(result.removed)}")


def register(app: typer.Typer) -> None:
    """Add the site commands to ``app``."""
    app.command("create")(create)
    app.command("plan")(plan)
    app.command("sites")(sites)
    app.command("status")(status)
    app.command("credentials")(credentials)
    app.command("destroy")(destroy)

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
    name: str = typer.Option(..., "--name", help="The business's name (becomes the site title)."),
    industry: str = typer.Option(..., "--industry", help="Industry blueprint: restaurante, advocacia, saude, ..."),
    subdomain: str = typer.Option("", "--subdomain", help="Subdomain; derived from the name when omitted."),
    locale: str = typer.Option("pt_BR", "--locale", help="pt_BR or en_US."),
    city: str = typer.Option(None, "--city", help="City the business serves."),
    template: str = typer.Option(None, "--template", help="One of the blueprint's templates."),
    option: list[str] = typer.Option(None, "--option", "-o", help="key=value or a flag: whatsapp=..., pix=..., ifood, delivery, ..."),
    empty: bool = typer.Option(False, "--empty", help="Only provision: no blueprint, copy or images."),
    as_json: bool = typer.Option(False, "--json", help="Print the site record as JSON."),
) -> None:
    """Create an isolated WordPress site, write its content, and print its URL."""
    from kenzy.cli.content import parse_options, show_fill

    args = {"business_name": name, "industry": industry, "subdomain": subdomain, "locale": locale,
            "city": city, "template": template, "options": parse_options(option)}
    site = call_tool("provision_local", args, title=f"Creating {name}", quiet=as_json)
    filled = None
    if not empty:
        filled = call_tool("fill_content", {"subdomain": site.subdomain}, title=f"Writing {name}", quiet=as_json)
    if as_json:
        print_json(site)
        return
    verb = "Created" if site.created else "Already exists:"
    out.print(f"[green]{verb}[/] {site.business_name}")
    if filled is not None:
        show_fill(filled)
    out.print(f"  site:  {site.url}/")
    out.print(f"  admin: {site.admin_url} (user {site.admin_user})")
    out.print(f"  password: kenzy credentials {site.subdomain}")


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
    app.command("sites")(sites)
    app.command("status")(status)
    app.command("credentials")(credentials)
    app.command("destroy")(destroy)

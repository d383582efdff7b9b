"""``kenzy dns SITE`` and ``kenzy certs list|renew``: names and certificates."""

from __future__ import annotations

import typer

from kenzy.cli._console import err, out, print_json
from kenzy.cli.sites import call_tool

__all__ = ["certs", "dns"]

certs = typer.Typer(help="List and renew the sites' TLS certificates.", no_args_is_help=True)


def dns(
    site: str = typer.Argument(..., help="The site's subdomain."),
    no_proxy: bool = typer.Option(False, "--no-proxy", help="Cloudflare: do not put the site behind the CDN."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Publish the site's name (and www) at the configured DNS provider."""
    result = call_tool("set_dns", {"subdomain": site, "proxied": False if no_proxy else None}, quiet=True)
    if as_json:
        print_json(result)
        return
    out.print(f"[green]Published[/] {result.fqdn} at {result.provider}")
    for record in result.records:
        out.print(f"  {record}", highlight=False)


@certs.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Each site with its certificate's expiry (or none)."""
    import anyio

    from kenzy.tls.acme import not_after
    from kenzy.tools import ToolContext

    ctx = ToolContext()
    rows = []
    for site in anyio.run(ctx.store.list):
        pem = ctx.local.certificate(site.subdomain)
        rows.append({"subdomain": site.subdomain, "url": site.url,
                     "not_after": not_after(pem).isoformat() if pem else None})
    if as_json:
        print_json({"certificates": rows})
        return
    for row in rows:
        out.print(f"{row['subdomain']:<32} {row['not_after'] or 'no certificate'}  {row['url']}", highlight=False)


@certs.command("renew")
def renew(
    force: bool = typer.Option(False, "--force", help="Renew every certificate, even with more than 30 days left."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Renew the sites' certificates with fewer than 30 days left (safe to run from cron).
    Sites without a certificate are left alone: `issue_certificate` (or `kenzy create`) makes the first."""
    from kenzy.errors import KenzyError

    sites = call_tool("list_sites", {}, quiet=True).sites
    results, failed = [], 0
    for site in sites:
        if not site.url.startswith("https://"):
            continue
        try:
            results.append(call_tool("issue_certificate", {"subdomain": site.subdomain, "only_if_expiring": not force},
                                     quiet=True))
        except KenzyError as exc:
            failed += 1
            err.print(f"{site.subdomain}: {exc}", highlight=False, markup=False)
    if as_json:
        print_json({"certificates": [r.model_dump(mode="json") for r in results]})
    else:
        for r in results:
            out.print(f"{r.subdomain}: {'renewed' if r.renewed else 'kept'} until {r.not_after:%Y-%m-%d}", highlight=False)
    if failed:
        raise typer.Exit(1)

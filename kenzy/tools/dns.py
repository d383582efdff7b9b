"""DNS: publish a site's name (and ``www``) at the configured provider, and take it down."""

from __future__ import annotations

import ipaddress
from typing import Any

from pydantic import BaseModel, Field

from kenzy.dns import DnsProvider, DnsRecord, RecordType, provider_for
from kenzy.dns import _names as names
from kenzy.errors import NotConfigured
from kenzy.settings import Settings
from kenzy.tools._context import ToolContext
from kenzy.tools._registry import tool

__all__ = ["DnsResult", "SetDnsInput", "dns_provider", "remove_site_records", "set_dns", "site_records"]


class SetDnsInput(BaseModel):
    """The site whose name to publish."""

    subdomain: str = Field(description="The site's subdomain.")
    proxied: bool | None = Field(default=None, description="Cloudflare: put the site behind its CDN (default: KENZY_DNS_PROXIED).")


class DnsResult(BaseModel):
    """The records that now exist for the site."""

    subdomain: str
    fqdn: str
    provider: str
    records: list[str]
    """``name TYPE content`` for each record."""


def dns_provider(settings: Settings) -> DnsProvider:
    """The configured provider.

    Raises:
        NotConfigured: no provider, or its API settings are missing.
    """
    if not settings.dns_provider:
        raise NotConfigured("DNS provider — set KENZY_DNS_PROVIDER (powerdns or cloudflare) and KENZY_DNS_API_KEY")
    if settings.dns_api_key is None:
        raise NotConfigured(f"{settings.dns_provider} API key — set KENZY_DNS_API_KEY")
    key = settings.dns_api_key.get_secret_value()
    options: dict[str, Any]
    if settings.dns_provider == "powerdns":
        if not settings.dns_api_url:
            raise NotConfigured("PowerDNS API URL — set KENZY_DNS_API_URL (e.g. http://127.0.0.1:8081)")
        options = {"api_url": settings.dns_api_url, "api_key": key}
    else:
        options = {"api_token": key, "proxied": settings.dns_proxied}
        if settings.dns_api_url:
            options["base_url"] = settings.dns_api_url
    return provider_for(settings.dns_provider, **options)


def site_records(fqdn: str, target: str) -> list[tuple[str, RecordType, list[DnsRecord]]]:
    """The record sets a site needs: its name pointing at ``target``, and ``www`` at its name."""
    try:
        address = ipaddress.ip_address(target)
        rtype: RecordType = "A" if address.version == 4 else "AAAA"
    except ValueError:
        rtype, target = "CNAME", names.normalize(target)
    www = f"www.{fqdn}"
    return [
        (fqdn, rtype, [DnsRecord(name=fqdn, type=rtype, content=target)]),
        (www, "CNAME", [DnsRecord(name=www, type="CNAME", content=fqdn)]),
    ]


async def remove_site_records(settings: Settings, subdomain: str) -> None:
    """Delete the site's records (``destroy_site`` calls this when DNS is configured)."""
    provider = dns_provider(settings)
    try:
        fqdn = names.normalize(f"{subdomain}.{settings.base_domain}")
        for name, rtype, _ in site_records(fqdn, settings.dns_target):
            await provider.delete(name, rtype)
    finally:
        await provider.aclose()


@tool()
async def set_dns(ctx: ToolContext, args: SetDnsInput) -> DnsResult:
    """Publish the site's name at the DNS provider: an A/AAAA or CNAME record to the
    configured target, plus www. Idempotent: running it again leaves exactly one set.
    Needs a DNS provider (PowerDNS or Cloudflare) to be configured."""
    site = await ctx.local.active_site(args.subdomain)
    fqdn = names.normalize(f"{names.label(site.subdomain)}.{ctx.settings.base_domain}")
    provider = dns_provider(ctx.settings)
    try:
        await provider.zone_for(fqdn)
        published = []
        for name, rtype, records in site_records(fqdn, ctx.settings.dns_target):
            if args.proxied is not None:
                records = [r.model_copy(update={"proxied": args.proxied}) for r in records]
            await provider.replace(name, rtype, records)
            published += [f"{r.name} {r.type} {r.content}" for r in records]
    finally:
        await provider.aclose()
    await ctx.store.audit("set_dns", site.subdomain, "ok", detail=", ".join(published))
    return DnsResult(subdomain=site.subdomain, fqdn=fqdn, provider=provider.name, records=published)

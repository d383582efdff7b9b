"""DNS and TLS: publish a site's name. The providers arrive with the DNS issue; until a
provider is configured the tool says exactly what to set."""

from __future__ import annotations

from pydantic import BaseModel, Field

from kenzy.errors import NotConfigured
from kenzy.tools._context import ToolContext
from kenzy.tools._registry import tool

__all__ = ["DnsResult", "SetDnsInput", "set_dns"]


class SetDnsInput(BaseModel):
    """The site whose name to publish."""

    subdomain: str = Field(description="The site's subdomain.")
    proxied: bool = Field(default=True, description="Put the site behind the provider's CDN where it has one.")


class DnsResult(BaseModel):
    """The records that now exist for the site."""

    subdomain: str
    fqdn: str
    records: list[str]


@tool()
async def set_dns(ctx: ToolContext, args: SetDnsInput) -> DnsResult:
    """Publish the site's subdomain in DNS (A/AAAA or CNAME plus www) and issue its TLS
    certificate. Needs a DNS provider (PowerDNS or Cloudflare) to be configured."""
    await ctx.local.active_site(args.subdomain)
    if not ctx.settings.dns_provider:
        raise NotConfigured("DNS provider — set KENZY_DNS_PROVIDER (powerdns or cloudflare) and its API settings")
    raise NotConfigured(f"DNS provider {ctx.settings.dns_provider!r} is not supported by this kenzy version")

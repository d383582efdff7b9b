"""TLS: issue (or renew) a site's certificate through ACME and serve it over HTTPS."""

from __future__ import annotations

import datetime

from pydantic import BaseModel, Field

from kenzy.dns import _names as names
from kenzy.errors import NotConfigured
from kenzy.settings import Settings
from kenzy.tools._context import ToolContext
from kenzy.tools._registry import tool
from kenzy.tools.dns import dns_provider

__all__ = ["CertificateInput", "CertificateResult", "acme_issuer", "issue_certificate"]

RENEW_BEFORE = datetime.timedelta(days=30)


class CertificateInput(BaseModel):
    """The site to secure."""

    subdomain: str = Field(description="The site's subdomain.")
    only_if_expiring: bool = Field(default=False, description="Renew only when fewer than 30 days are left (for cron).")


class CertificateResult(BaseModel):
    """The site's certificate after the call."""

    subdomain: str
    domains: list[str]
    not_after: datetime.datetime
    url: str
    renewed: bool
    """False when the certificate had more than 30 days left and was kept."""


def acme_issuer(settings: Settings) -> object:
    """The configured ACME issuer.

    Raises:
        NotConfigured: no ACME server is set.
    """
    from kenzy.tls.acme import DIRECTORIES, AcmeIssuer

    if not settings.acme_server:
        raise NotConfigured("ACME server — set KENZY_ACME_SERVER (production, staging or a directory URL)")
    url = DIRECTORIES.get(settings.acme_server, settings.acme_server)
    return AcmeIssuer(url, settings.home / "tls" / "acme", email=settings.acme_email, ca_bundle=settings.acme_ca_bundle)


@tool()
async def issue_certificate(ctx: ToolContext, args: CertificateInput) -> CertificateResult:
    """Get a TLS certificate for the site (and www) from the ACME server, proving the name
    through DNS-01 at the DNS provider (or HTTP-01 through the site itself), then serve the
    site over HTTPS (HTTP redirects, HSTS). Needs an ACME server, and set_dns's provider for
    DNS-01. A failed challenge leaves the site as it was."""
    from kenzy.tls.acme import not_after

    site = await ctx.local_site(args.subdomain, "cert-manager issues its certificate for the Ingress "
                                "(ClusterIssuer KENZY_K8S_CLUSTER_ISSUER); nothing to do here")
    fqdn = names.normalize(f"{names.label(site.subdomain)}.{ctx.settings.base_domain}")
    domains = [fqdn, f"www.{fqdn}"]
    current = ctx.local.certificate(site.subdomain)
    if args.only_if_expiring and current is not None:
        expires = not_after(current)
        if expires - datetime.datetime.now(datetime.timezone.utc) > RENEW_BEFORE:
            return CertificateResult(subdomain=site.subdomain, domains=domains, not_after=expires, url=site.url,
                                     renewed=False)
    issuer = acme_issuer(ctx.settings)
    ctx.report("proving the name to the ACME server", 1, 2)
    if ctx.settings.acme_challenge == "http-01":
        cert = await issuer.issue(domains, webroot=ctx.local.acme_webroot(site.subdomain))  # type: ignore[attr-defined]
    else:
        provider = dns_provider(ctx.settings)
        try:
            cert = await issuer.issue(domains, provider)  # type: ignore[attr-defined]
        finally:
            await provider.aclose()
    ctx.report("switching the site to HTTPS", 2, 2)
    site = await ctx.local.enable_tls(site.subdomain, cert.fullchain_pem, cert.key_pem)
    await ctx.store.audit("issue_certificate", site.subdomain, "ok", detail=f"until {cert.not_after.isoformat()}")
    return CertificateResult(subdomain=site.subdomain, domains=domains, not_after=cert.not_after, url=site.url,
                             renewed=True)

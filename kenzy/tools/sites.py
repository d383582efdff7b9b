"""Site lifecycle tools on the local runtime: provision, inspect, list, destroy."""

from __future__ import annotations

from pydantic import BaseModel, Field

from kenzy import naming
from kenzy.errors import SiteNotFound
from kenzy.models import LastBackup, Site, SitePlan, SiteStatus
from kenzy.tools._context import ToolContext
from kenzy.tools._registry import tool

__all__ = [
    "DestroySiteInput",
    "DestroySiteResult",
    "ListSitesInput",
    "ProvisionLocalInput",
    "ProvisionResult",
    "SiteList",
    "SiteRef",
    "destroy_site",
    "list_sites",
    "provision_local",
    "site_status",
]


class ProvisionLocalInput(SitePlan):
    """The plan of the site to create on this machine."""


class ProvisionResult(Site):
    """The site record, plus whether this call created it."""

    created: bool
    """False when the site already existed with the same plan and was returned as it is."""
    credentials_hint: str
    """How a person gets the admin password (it is never part of a tool result)."""


class SiteRef(BaseModel):
    """Names one site."""

    subdomain: str = Field(description="The site's subdomain, as `list_sites` shows it.")


class ListSitesInput(BaseModel):
    """No arguments."""


class SiteList(BaseModel):
    """Every site kenzy manages."""

    sites: list[Site]


class DestroySiteInput(SiteRef):
    """The site to remove, with everything it owns."""


class DestroySiteResult(BaseModel):
    """What was removed."""

    subdomain: str
    removed: list[str]
    """The resources that were removed."""


@tool()
async def provision_local(ctx: ToolContext, args: ProvisionLocalInput) -> ProvisionResult:
    """Create an isolated WordPress site on this machine and return its URLs.

    The site gets its own unix user, database, Redis user, PHP-FPM pool and nginx server
    block, and is served at http://<subdomain>.localhost:<port>. Calling it again with the
    same plan returns the existing site; a different plan for a taken subdomain is an error.
    A failure rolls back everything it created.
    """
    plan = SitePlan.model_validate(args.model_dump())
    site, created = await ctx.local.provision(plan, progress=ctx.progress)
    return ProvisionResult(
        **site.model_dump(),
        created=created,
        credentials_hint=f"run `kenzy credentials {site.subdomain}` to see the admin password",
    )


@tool()
async def site_status(ctx: ToolContext, args: SiteRef) -> SiteStatus:
    """Report one site: its record, whether its home page answers (HTTP status and title),
    and whether each of its resources exists (database, users, pool, vhost, files). For a
    site on Kubernetes: its namespace, each workload's readiness and the Ingress."""
    naming.validate_subdomain(args.subdomain)
    site = await ctx.store.get(args.subdomain)
    if site is None:
        raise SiteNotFound(args.subdomain)
    if site.runtime == "k8s":
        return await ctx.k8s.status(site)
    from kenzy.backups.catalog import Catalog

    status = await ctx.local.status(args.subdomain)
    newest = next(iter(await Catalog(ctx.store).list(args.subdomain)), None)
    if newest is not None:
        status.last_backup = LastBackup(backup_id=newest.backup_id, kind=newest.kind, created_at=newest.created_at,
                                        rto_seconds=newest.rto_seconds)
    return status


@tool()
async def list_sites(ctx: ToolContext, args: ListSitesInput) -> SiteList:
    """List every site kenzy manages, with its URL and status."""
    return SiteList(sites=await ctx.store.list())


@tool(destructive=True)
async def destroy_site(ctx: ToolContext, args: DestroySiteInput) -> DestroySiteResult:
    """Delete a site for good: its database and DB user, unix user, PHP-FPM pool, nginx
    server block, page cache, files, Redis user and keys, and its record (on Kubernetes: its
    namespace with everything in it, volumes included). Cannot be undone; confirm with the
    person first."""
    naming.validate_subdomain(args.subdomain)
    found = await ctx.store.get(args.subdomain)
    if found is None:
        raise SiteNotFound(args.subdomain)
    if found.runtime == "k8s":
        ctx.k8s.client()  # NotConfigured before anything is removed
    removed = []
    if ctx.settings.dns_provider:
        from kenzy.tools.dns import remove_site_records

        await remove_site_records(ctx.settings, args.subdomain)
        removed.append("dns records")
    if found.runtime == "k8s":
        site = await ctx.k8s.destroy(args.subdomain, progress=ctx.progress)
        removed.append(f"namespace {ctx.k8s.namespace(site.subdomain)}")
    else:
        site = await ctx.local.destroy(args.subdomain, progress=ctx.progress)
        removed += ["vhost", "page cache", "php pool", "files", "redis user", "database", "db user"]
        if ctx.settings.is_root:
            removed.append("unix user")
    return DestroySiteResult(subdomain=site.subdomain, removed=[*removed, "record"])

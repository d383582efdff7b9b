"""Sites on Kubernetes, one namespace each (`kenzy.runtimes.k8s`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kenzy.errors import NotConfigured
from kenzy.models import Site, SitePlan
from kenzy.tools._context import ToolContext
from kenzy.tools._registry import tool
from kenzy.tools.sites import ProvisionLocalInput, ProvisionResult

__all__ = ["ProvisionK8sInput", "ProvisionK8sResult", "provision_k8s"]


class ProvisionK8sInput(ProvisionLocalInput):
    """The plan of the site to create on the configured Kubernetes cluster."""


class ProvisionK8sResult(ProvisionResult):
    """The site record, and where it runs on the cluster."""

    namespace: str
    objects: int
    """Objects applied (server-side apply, field manager ``kenzy``)."""
    content_job: str | None = None
    """The Job that installs WordPress, imports the blueprint and writes the copy (only when
    this call created the site: a repeated call leaves the content as it is)."""
    headline: str | None = None
    """The hero title the writer produced for the content Job."""


@tool()
async def provision_k8s(ctx: ToolContext, args: ProvisionK8sInput) -> ProvisionK8sResult:
    """Create the site on the configured Kubernetes cluster, in its own namespace (network
    policy, quota, MariaDB, Redis, PHP-FPM + nginx, autoscaler, Ingress with a cert-manager
    certificate), served at https://<subdomain>.<base domain>. The blueprint import and the
    written copy run in the cluster as a Job, so import_acf and fill_content are not needed
    after it. Waits until the site is rolled out. Calling it again with the same plan returns
    the existing site; a different plan for a taken subdomain is an error. A failure removes
    the namespace. Needs a cluster to be configured; otherwise use provision_local."""
    if not ctx.settings.kube_configured:
        from kenzy.runtimes.k8s.runtime import NOT_CONFIGURED

        raise NotConfigured(NOT_CONFIGURED)
    from kenzy.tools.content import FillContentInput, compose_content

    plan = SitePlan.model_validate(args.model_dump())
    headline: list[str] = []

    async def content(site: Site) -> tuple[Mapping[str, Any], Mapping[str, bytes]]:
        ctx.report("writing the copy and making the images", 1, 1)
        composed = await compose_content(ctx, site, FillContentInput(subdomain=site.subdomain))
        headline.append(composed.values.get("hero_titulo", ""))
        return composed.request, composed.files()

    done = await ctx.k8s.provision(plan, content=content, progress=ctx.progress)
    return ProvisionK8sResult(
        **done.site.model_dump(),
        created=done.created,
        credentials_hint=f"run `kenzy credentials {done.site.subdomain}` to see the admin password",
        namespace=done.namespace,
        objects=done.objects,
        content_job=done.content_job,
        headline=headline[0] if headline else None,
    )

"""Sites on Kubernetes, one namespace each. The runtime arrives with the Kubernetes issue;
until a cluster is configured the tool says exactly what to set."""

from __future__ import annotations

from kenzy.errors import NotConfigured
from kenzy.tools._context import ToolContext
from kenzy.tools._registry import tool
from kenzy.tools.sites import ProvisionLocalInput, ProvisionResult

__all__ = ["ProvisionK8sInput", "provision_k8s"]


class ProvisionK8sInput(ProvisionLocalInput):
    """The plan of the site to create on the configured Kubernetes cluster."""


@tool()
async def provision_k8s(ctx: ToolContext, args: ProvisionK8sInput) -> ProvisionResult:
    """Create the site on Kubernetes (its own namespace, database, cache, PHP-FPM and
    nginx, autoscaled). Needs a cluster to be configured; otherwise use provision_local."""
    if not ctx.settings.kube_context:
        raise NotConfigured("Kubernetes cluster — set KENZY_KUBE_CONTEXT (a kubeconfig context)")
    raise NotConfigured(f"Kubernetes context {ctx.settings.kube_context!r}: the Kubernetes runtime is not in this kenzy version")

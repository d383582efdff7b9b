"""`K8sRuntime`: sites on Kubernetes, one namespace each — provision, converge, inspect, destroy.

Provisioning renders the site (`render_site`), validates it offline, claims the record, then
applies it with server-side apply (Namespace first) and waits for the rollout, as two
`pipeline` steps: a failure deletes the namespace and the record. Secrets are stable: the
passwords are the stored `SiteCredentials`, the MariaDB root password and WordPress's salts
are derived from kenzy's key (`Vault.derive`), so every apply of a site sends the same values.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timezone
from functools import cached_property
from typing import TYPE_CHECKING, Any

import anyio

from kenzy import naming, pipeline
from kenzy.errors import KubeError, NotConfigured, SiteNotFound
from kenzy.models import Site, SiteCredentials, SitePlan, SiteState, SiteStatus
from kenzy.runtimes import records
from kenzy.runtimes.k8s.manifests import namespace_for, render_site
from kenzy.runtimes.k8s.options import K8sOptions, K8sSecrets
from kenzy.settings import Settings
from kenzy.store import Store
from kenzy.vault import Vault

if TYPE_CHECKING:
    from kenzy.runtimes.k8s.client import KubeClient

__all__ = ["NOT_CONFIGURED", "ContentMaker", "K8sRuntime", "Provisioned", "is_content"]

NOT_CONFIGURED = ("Kubernetes cluster — set KENZY_KUBE_CONTEXT (a kubeconfig context) or KENZY_KUBE_CONFIG, "
                  "KENZY_KUBE_HOST with KENZY_KUBE_TOKEN, or KENZY_KUBE_IN_CLUSTER=true")

ContentMaker = Callable[[Site], Awaitable[tuple[Mapping[str, Any], Mapping[str, bytes]]]]
"""Writes a new site's content: returns the ``content`` step's request for the content Job,
and the image files it refers to, by name."""

Manifests = list[dict[str, Any]]


@dataclass(frozen=True)
class Provisioned:
    """What `K8sRuntime.provision` did."""

    site: Site
    created: bool
    """False when the site existed with the same plan (its objects were applied again)."""
    namespace: str
    objects: int
    """Objects applied."""
    content_job: str | None
    """The Job that installs WordPress and writes the content (None: not part of this apply)."""


def is_content(manifest: Mapping[str, Any]) -> bool:
    """The content Job and its ConfigMap (written once at creation, then by ``fill_content``)."""
    labels = manifest["metadata"].get("labels") or {}
    return manifest["kind"] in {"ConfigMap", "Job"} and labels.get("app.kubernetes.io/component") == "content"


def _job_name(manifests: Manifests) -> str | None:
    return next((m["metadata"]["name"] for m in manifests if m["kind"] == "Job" and is_content(m)), None)


class K8sRuntime:
    """Provisions, inspects and destroys sites on the configured cluster."""

    name = "k8s"

    def __init__(self, settings: Settings, store: Store, vault: Vault) -> None:
        self.settings = settings
        self.store = store
        self.vault = vault

    @cached_property
    def options(self) -> K8sOptions:
        return K8sOptions.from_settings(self.settings)

    def url(self, subdomain: str) -> str:
        """``https://<subdomain>.<base domain>`` (cert-manager issues the Ingress's certificate)."""
        return f"{'https' if self.options.tls else 'http'}://{subdomain}.{self.settings.base_domain}"

    def namespace(self, subdomain: str) -> str:
        return namespace_for(subdomain, self.options.namespace_prefix)

    def client(self) -> KubeClient:
        """A client for the configured cluster (use ``async with``).

        Raises:
            NotConfigured: no cluster is configured.
        """
        if not self.settings.kube_configured:
            raise NotConfigured(NOT_CONFIGURED)
        from kenzy.runtimes.k8s.client import KubeClient

        return KubeClient.from_settings(self.settings)

    def secrets(self, site: Site, credentials: SiteCredentials) -> K8sSecrets:
        """The site's secret values, the same on every call: stored passwords, and the root
        password and salts derived from kenzy's key, the subdomain and the record's creation time
        (a site created again under the same name gets new ones)."""
        born = site.created_at.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        context = f"k8s/{site.subdomain}/{born}"
        return K8sSecrets.from_credentials(credentials, lambda name, size: self.vault.derive(f"{context}/{name}", size))

    def manifests(self, site: Site, credentials: SiteCredentials,
                  content: Mapping[str, Any] | None = None, uploads: Mapping[str, bytes] | None = None) -> Manifests:
        """The site's objects with their real secret values, validated offline.

        Raises:
            ManifestInvalid: an option renders an invalid object; nothing was applied.
        """
        from kenzy.runtimes.k8s.validation import validate

        objects = render_site(site.plan, self.options, self.secrets(site, credentials), reveal_secrets=True,
                              content=content, uploads=uploads)
        validate(objects)
        return objects

    async def _credentials(self, subdomain: str) -> SiteCredentials:
        creds = await self.store.credentials(subdomain)
        if creds is None:
            raise SiteNotFound(subdomain)
        return creds

    # provisioning ---------------------------------------------------------------------------

    async def provision(self, plan: SitePlan, *, content: ContentMaker | None = None,
                        progress: pipeline.Progress | None = None) -> Provisioned:
        """Create the site for ``plan`` on the cluster and wait until it is rolled out; for an
        existing site with the same plan, apply its objects again (a no-op when nothing drifted).

        ``content`` is called once, for a new site; its request goes into the content Job.

        Raises:
            NotConfigured: no cluster is configured.
            SiteConflict: the subdomain is taken by another plan or by a site on another runtime.
            ManifestInvalid: the options render an invalid object (nothing was created).
            ProvisionError: applying or the rollout failed; the namespace and record were removed.
            KubeError: re-applying an existing site failed (the site stays as it was).
        """
        async with self.client() as kube, records.site_lock(self.settings, plan.subdomain):
            existing = await self.store.get(plan.subdomain)
            if existing is not None:
                records.check_same_plan(existing, plan, runtime=self.name)
                if existing.status is SiteState.ACTIVE:
                    return await self._converge(kube, existing, progress)
                await self._remove(kube, existing.subdomain)  # a crashed earlier attempt: start over
            site, creds = records.new_record(plan, self.url(plan.subdomain), runtime=self.name)
            request, uploads = await content(site) if content is not None else (None, None)
            manifests = self.manifests(site, creds, request, uploads)
            await self.store.claim(site, creds)
            await self.store.audit("provision_k8s", site.subdomain, "started")
            await self._create(kube, site, manifests, progress)
            site = await self.store.set_status(site.subdomain, SiteState.ACTIVE)
            await self.store.audit("provision_k8s", site.subdomain, "ok")
            return Provisioned(site, True, self.namespace(site.subdomain), len(manifests), _job_name(manifests))

    async def _create(self, kube: KubeClient, site: Site, manifests: Manifests,
                      progress: pipeline.Progress | None) -> None:
        namespace = self.namespace(site.subdomain)

        async def apply() -> None:
            await kube.apply(manifests, progress=progress)

        async def apply_undo() -> None:
            await kube.delete_namespace(namespace, wait=True)

        async def rollout() -> None:
            await kube.wait_rollout(namespace, progress=progress)

        async def journal(step: str, state: str, seconds: float | None, detail: str | None) -> None:
            await self.store.journal(site.subdomain, "provision", step, state, seconds=seconds, detail=detail)

        steps = [pipeline.Step("apply", apply, apply_undo), pipeline.Step("rollout", rollout)]
        try:
            await pipeline.run_steps(steps, journal=journal, progress=progress)
        except BaseException as exc:
            with anyio.CancelScope(shield=True):
                await self.store.delete(site.subdomain)
                await self.store.audit("provision_k8s", site.subdomain, "rolled back", detail=str(exc))
            raise

    async def _converge(self, kube: KubeClient, site: Site, progress: pipeline.Progress | None) -> Provisioned:
        """Apply an existing site's objects again, without its content Job: the content was
        written at creation and may since have been edited by the customer."""
        manifests = [m for m in self.manifests(site, await self._credentials(site.subdomain)) if not is_content(m)]
        namespace = self.namespace(site.subdomain)
        await kube.apply(manifests, progress=progress)
        await kube.wait_rollout(namespace, progress=progress)
        await self.store.audit("provision_k8s", site.subdomain, "unchanged")
        return Provisioned(site, False, namespace, len(manifests), None)

    async def apply_content(self, site: Site, content: Mapping[str, Any], uploads: Mapping[str, bytes] | None = None, *,
                            progress: pipeline.Progress | None = None) -> str:
        """Apply a new content Job (and its ConfigMap) for ``content``; return the Job's name.
        The same content names the same Job, so applying it twice runs it once."""
        objects = [m for m in self.manifests(site, await self._credentials(site.subdomain), content, uploads)
                   if is_content(m)]
        async with self.client() as kube:
            await kube.apply(objects, progress=progress)
        job = _job_name(objects)
        assert job is not None
        await self.store.audit("fill_content", site.subdomain, "applied", detail=job)
        return job

    # teardown and inspection ----------------------------------------------------------------

    async def _remove(self, kube: KubeClient, subdomain: str) -> None:
        await kube.delete_namespace(self.namespace(subdomain), wait=True)
        await self.store.delete(subdomain)

    async def destroy(self, subdomain: str, *, progress: pipeline.Progress | None = None) -> Site:
        """Delete the site's namespace (everything in it, volumes included), wait until it is
        gone, then forget the site.

        Raises:
            SiteNotFound: there is no such site.
            NotConfigured: no cluster is configured.
            KubeError: the namespace could not be deleted (the record is kept, marked failed).
        """
        naming.validate_subdomain(subdomain)
        site = await self.store.get(subdomain)
        if site is None:
            raise SiteNotFound(subdomain)
        async with self.client() as kube, records.site_lock(self.settings, subdomain):
            await self.store.set_status(subdomain, SiteState.DESTROYING)
            if progress is not None:
                progress(f"delete namespace {self.namespace(subdomain)}", 1, 1)
            try:
                await self._remove(kube, subdomain)
            except KubeError as exc:
                await self.store.set_status(subdomain, SiteState.FAILED)
                await self.store.audit("destroy_site", subdomain, "failed", detail=str(exc))
                raise
        await self.store.audit("destroy_site", subdomain, "ok")
        return site

    async def status(self, site: Site) -> SiteStatus:
        """The record with the cluster's view: the namespace, each workload's readiness and
        whether the Ingress serves the site's host."""
        async with self.client() as kube:
            found = await kube.status(self.namespace(site.subdomain))
        host = f"{site.subdomain}.{self.settings.base_domain}"
        checks = {"namespace": found.exists and found.phase == "Active",
                  **{f"{w.kind.lower()}/{w.name}": w.ready for w in found.workloads},
                  "ingress": host in found.ingress_hosts}
        return SiteStatus(site=site, checks=checks, summary=found.summary)

"""The Python API: every registered tool as an async method of `Kenzy`.

    import kenzy
    async with kenzy.Kenzy() as k:
        site = await k.provision_local(business_name="Pizzaria Bella", industry="restaurante")
        print(site.url)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel

from kenzy.errors import InvalidInput, NotConfigured, UsageError
from kenzy.models import SiteCredentials
from kenzy.pipeline import Progress
from kenzy.planner import PlanDraft
from kenzy.settings import Settings
from kenzy.tools import REGISTRY, ToolContext, call
from kenzy.tools.sites import ProvisionResult

__all__ = ["CreatedSite", "Kenzy"]


class CreatedSite(ProvisionResult):
    """A site made from a request: its record (with the plan), and what was skipped."""

    headline: str
    """The hero title the writer produced."""
    skipped: list[str]
    """Steps left out because they are not configured, each with what to set."""


class Kenzy:
    """A handle on one kenzy installation (one ``KENZY_HOME``). Tools are its methods."""

    def __init__(self, settings: Settings | None = None, *, progress: Progress | None = None) -> None:
        self.context = ToolContext(settings, progress=progress)

    async def __aenter__(self) -> Kenzy:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    @property
    def settings(self) -> Settings:
        return self.context.settings

    def __getattr__(self, name: str) -> Callable[..., Awaitable[BaseModel]]:
        spec = REGISTRY.get(name)
        if spec is None:
            raise AttributeError(f"kenzy has no tool named {name!r}")

        async def method(arguments: BaseModel | dict[str, Any] | None = None, /, **kwargs: Any) -> BaseModel:
            return await call(name, arguments if arguments is not None else kwargs, self.context)

        method.__name__ = name
        method.__doc__ = spec.description
        return method

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *REGISTRY})

    async def create(
        self, request: str | PlanDraft, *, confirm: Callable[[PlanDraft], bool] | None = None
    ) -> CreatedSite:
        """Make a site from a sentence: plan, provision, import the blueprint, write the content,
        then DNS, a certificate and a backup when they are configured. Deterministic; no agent
        involved. With a Kubernetes cluster configured the site goes there (`provision_k8s`:
        its content Job imports and writes, cert-manager and the backup CronJob do the rest);
        ``CreatedSite.runtime`` says where it went.

        Raises:
            InvalidInput: the request is empty, too long, or lacks something essential (the
                message asks the questions).
            UsageError: ``confirm`` returned False; nothing was created.
        """
        plan = request if isinstance(request, PlanDraft) else await self.plan_site(request=request)
        assert isinstance(plan, PlanDraft)
        if not plan.complete:
            raise InvalidInput("request", " ".join(plan.missing))
        if confirm is not None and not confirm(plan):
            raise UsageError("cancelled: nothing was created")
        site_plan = plan.to_site_plan()
        if self.settings.kube_configured:  # the content Job writes the copy; cert-manager and the CronJob do the rest
            site = await self.provision_k8s(site_plan)
            headline: str = site.headline or ""  # type: ignore[attr-defined]
            after: tuple[str, ...] = ("set_dns",)
        else:
            site = await self.provision_local(site_plan)
            await self.import_acf(subdomain=site.subdomain)
            headline = (await self.fill_content(subdomain=site.subdomain)).headline  # type: ignore[attr-defined]
            after = ("set_dns", "issue_certificate", "backup")
        skipped = []
        for step in after:
            try:
                await call(step, {"subdomain": site.subdomain}, self.context)
            except NotConfigured as exc:
                skipped.append(f"{step}: {exc}")
        record = await self.context.store.get(site.subdomain) or site  # the URL changes with HTTPS
        fields = site.model_dump(include=set(ProvisionResult.model_fields))
        return CreatedSite(**{**fields, "url": record.url, "admin_url": record.admin_url},  # type: ignore[attr-defined]
                           headline=headline, skipped=skipped)

    async def credentials(self, subdomain: str) -> SiteCredentials:
        """The site's secrets. Deliberately not a tool: secrets never reach a model or MCP.

        Raises:
            SiteNotFound: there is no such site.
        """
        from kenzy.errors import SiteNotFound

        creds = await self.context.store.credentials(subdomain)
        if creds is None:
            raise SiteNotFound(subdomain)
        return creds

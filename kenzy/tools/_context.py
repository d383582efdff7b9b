"""`ToolContext`: what every tool receives (settings, state, runtimes), built lazily."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from kenzy.pipeline import Progress
from kenzy.settings import Settings

if TYPE_CHECKING:
    from kenzy.models import Site
    from kenzy.runtimes.k8s.runtime import K8sRuntime
    from kenzy.runtimes.local.runtime import LocalRuntime
    from kenzy.store import Store
    from kenzy.vault import Vault

__all__ = ["ToolContext"]


class ToolContext:
    """Settings plus the state store and runtimes, created on first use."""

    def __init__(
        self, settings: Settings | None = None, *, progress: Progress | None = None, writer_model: Any = None
    ) -> None:
        self.settings = settings if settings is not None else Settings()
        self.progress = progress
        self.writer_model = writer_model
        """A pydantic-ai model object for the content writer (overrides ``settings.model``)."""

    @cached_property
    def vault(self) -> Vault:
        from kenzy.vault import Vault

        key = self.settings.secret_key.get_secret_value() if self.settings.secret_key else None
        return Vault.from_settings(key, self.settings.secret_key_path)

    @cached_property
    def store(self) -> Store:
        from kenzy.store import Store

        return Store(self.settings.state_path, self.vault)

    @cached_property
    def local(self) -> LocalRuntime:
        from kenzy.runtimes.local.runtime import LocalRuntime

        return LocalRuntime(self.settings, self.store, self.vault)

    @cached_property
    def k8s(self) -> K8sRuntime:
        from kenzy.runtimes.k8s.runtime import K8sRuntime

        return K8sRuntime(self.settings, self.store, self.vault)

    async def local_site(self, subdomain: str, why: str) -> Site:
        """The record of an active site on this machine, for tools that work on its files,
        database or web server.

        Raises:
            SiteNotFound: no such active site.
            UsageError: the site runs on Kubernetes; ``why`` says what happens there instead.
        """
        from kenzy.errors import UsageError

        site = await self.local.active_site(subdomain)
        if site.runtime != "local":
            raise UsageError(f"{subdomain!r} runs on Kubernetes: {why}")
        return site

    def report(self, step: str, index: int, total: int) -> None:
        """Forward progress to whoever listens (the CLI's display, MCP progress notifications)."""
        if self.progress is not None:
            self.progress(step, index, total)

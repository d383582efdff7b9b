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

from kenzy.models import SiteCredentials
from kenzy.pipeline import Progress
from kenzy.settings import Settings
from kenzy.tools import REGISTRY, ToolContext, call

__all__ = ["Kenzy"]


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

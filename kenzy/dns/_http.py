"""HTTP plumbing shared by the DNS providers: one client, retries with backoff, errors mapped."""

from __future__ import annotations

import logging
import random
from typing import Any

import anyio
import httpx

from kenzy.errors import ProviderError

__all__ = ["ApiClient", "NotFound", "RateLimited", "Unavailable"]

logger = logging.getLogger(__name__)


class NotFound(ProviderError):
    """The provider has no such object."""


class RateLimited(ProviderError):
    """The provider asked to slow down (HTTP 429) and retries ran out."""


class Unavailable(ProviderError):
    """The provider is down or unreachable (5xx, network) and retries ran out."""


class ApiClient:
    """An httpx client for one provider API. Safe methods and 429s are retried with backoff.

    ``retry_unsafe`` also retries non-idempotent calls after a 5xx (for APIs whose writes are
    idempotent, like PowerDNS's PATCH of whole RRsets).
    """

    def __init__(
        self, provider: str, base_url: str, *, headers: dict[str, str], retries: int = 4,
        backoff: float = 0.2, timeout: float = 15, retry_unsafe: bool = False, transport: Any = None,
    ) -> None:
        self.provider = provider
        self._retries = retries
        self._backoff = backoff
        self._retry_unsafe = retry_unsafe
        self._client = httpx.AsyncClient(base_url=base_url, headers=headers, timeout=timeout, trust_env=False,
                                         transport=transport)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send a request; return the response of a 2xx, else raise the mapped `ProviderError`."""
        safe = method in {"GET", "HEAD", "PUT", "DELETE"} or self._retry_unsafe
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._client.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                if attempt <= self._retries and safe:
                    await anyio.sleep(self._backoff * 2 ** (attempt - 1))
                    continue
                raise Unavailable(self.provider, None, f"cannot reach the API ({type(exc).__name__})") from None
            status = response.status_code
            if status < 400:
                return response
            detail = response.text[:300]
            if status == 429 and attempt <= self._retries:
                delay = _retry_after(response) or self._backoff * 2 ** (attempt - 1)
                logger.info("%s: rate limited, retrying in %.2f s", self.provider, delay)
                await anyio.sleep(min(delay, 30))
                continue
            if status >= 500 and safe and attempt <= self._retries:
                await anyio.sleep(self._backoff * 2 ** (attempt - 1) * (0.5 + random.random()))  # jitter
                continue
            if status == 404:
                raise NotFound(self.provider, status, detail)
            if status == 429:
                raise RateLimited(self.provider, status, detail)
            if status >= 500:
                raise Unavailable(self.provider, status, detail)
            raise ProviderError(self.provider, status, detail)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None

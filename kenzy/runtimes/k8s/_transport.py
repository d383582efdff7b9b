"""One request to the Kubernetes API: retries with backoff, and errors mapped to `KubeError`s.

Transport is kubernetes-asyncio's own ``ApiClient.call_api`` (aiohttp underneath) rather than
httpx with the loaded ``Configuration``: the library then applies everything a kubeconfig can
say — client certificates, CA data, ``tls-server-name``, ``proxy-url``, and the token refresh
hooks of exec plugins and in-cluster service accounts — exactly as kubectl-compatible clients
do, where an httpx port would have to re-implement each of them. kenzy only adds retries, the
error mapping and request counting. (aiohttp ties this module to the asyncio backend of anyio.)
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio

from kenzy.errors import (
    KubeAuthError,
    KubeConflict,
    KubeError,
    KubeInvalid,
    KubeNotFound,
    KubeUnavailable,
)

if TYPE_CHECKING:
    from kubernetes_asyncio.client import ApiClient, Configuration

__all__ = ["APPLY_PATCH", "KubeTransport", "RetryPolicy", "error_for"]

logger = logging.getLogger(__name__)

APPLY_PATCH = "application/apply-patch+yaml"
"""Content type of a server-side apply (JSON is valid YAML, so the body is sent as JSON)."""

_ANSWERS = dict.fromkeys((200, 201, 202), "object")
"""Decode these answers as plain JSON (no generated model classes)."""
_ERRORS: Mapping[int, type[KubeError]] = {400: KubeInvalid, 401: KubeAuthError, 403: KubeAuthError,
                                          404: KubeNotFound, 409: KubeConflict, 422: KubeInvalid}


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries for 429, 5xx and network errors: exponential backoff with jitter,
    or the server's ``Retry-After`` (the API's priority-and-fairness sends one with 429)."""

    attempts: int = 5
    """Requests in all, the first included."""
    backoff: float = 0.5
    """Seconds before the first retry; doubled each time."""
    max_delay: float = 30.0
    """No single wait is longer than this, whatever ``Retry-After`` says."""

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (from 1)."""
        try:
            asked = float(retry_after) if retry_after is not None else None
        except ValueError:
            asked = None  # an HTTP date: rare from the API server; fall back to backoff
        if asked is not None and asked >= 0:
            return min(asked, self.max_delay)
        return min(self.backoff * 2 ** (attempt - 1) * random.uniform(0.5, 1.5), self.max_delay)


def error_for(status: int, body: str | bytes | None, target: str | None) -> KubeError:
    """The `KubeError` for an error answer, carrying the ``message`` of its ``Status`` body."""
    message = ""
    try:
        payload = json.loads(body) if body else None
    except ValueError:
        payload = None
    if isinstance(payload, dict) and payload.get("kind") == "Status":
        message = str(payload.get("message") or payload.get("reason") or "")
    if not message:
        message = body.decode(errors="replace") if isinstance(body, bytes) else (body or "")
        message = message.strip()[:300] or "no details in the answer"
    if status in {401, 403}:
        problem = "the credentials were rejected" if status == 401 else "the credentials lack the RBAC rights"
        message = f"{problem} ({message})"
    cls = _ERRORS.get(status, KubeUnavailable if status == 429 or status >= 500 else KubeError)
    return cls(status, message, target=target)


class KubeTransport:
    """Sends JSON requests with the connection's authentication; counts every request sent."""

    def __init__(self, configuration: Configuration, *, where: str, retry: RetryPolicy,
                 request_timeout: float = 30) -> None:
        self._configuration = configuration
        self._where = where
        self._retry = retry
        self._timeout = request_timeout
        self._api: ApiClient | None = None
        self.requests = 0
        """HTTP requests sent so far, retries included."""

    async def aclose(self) -> None:
        if self._api is not None:
            api, self._api = self._api, None
            await api.close()

    def _client(self) -> ApiClient:
        if self._api is None:
            from kubernetes_asyncio.client import ApiClient

            self._api = ApiClient(self._configuration)
            self._api.user_agent = "kenzy"
        return self._api

    async def request(self, method: str, path: str, *, target: str | None = None,
                      query: Mapping[str, str] | None = None, body: Any = None,
                      content_type: str = "application/json") -> dict[str, Any]:
        """Send one request (with retries) and return the decoded JSON answer.

        Raises:
            KubeError: the matching subclass for the final answer; `KubeUnavailable` when
                retries ran out on 429, 5xx or network errors.
        """
        import aiohttp
        from kubernetes_asyncio.client.exceptions import ApiException

        api = self._client()
        for attempt in range(1, self._retry.attempts + 1):
            self.requests += 1
            try:
                answer = await api.call_api(
                    path, method, query_params=list((query or {}).items()), body=body,
                    header_params={"Accept": "application/json", "Content-Type": content_type},
                    auth_settings=["BearerToken"], response_types_map=_ANSWERS,
                    _return_http_data_only=True, _request_timeout=self._timeout)
                return answer if isinstance(answer, dict) else {}
            except ApiException as exc:
                status = int(exc.status or 0)
                if (status == 429 or status >= 500) and attempt < self._retry.attempts:
                    retry_after = exc.headers.get("Retry-After") if exc.headers else None
                    await self._pause(method, path, attempt, f"HTTP {status}", retry_after)
                    continue
                raise error_for(status, exc.body, target) from None
            except (aiohttp.ClientError, TimeoutError) as exc:
                if attempt < self._retry.attempts:
                    await self._pause(method, path, attempt, type(exc).__name__, None)
                    continue
                raise KubeUnavailable(None, f"cannot reach the API at {self._where} ({type(exc).__name__})",
                                      target=target) from exc
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _pause(self, method: str, path: str, attempt: int, why: str, retry_after: str | None) -> None:
        delay = self._retry.delay(attempt, retry_after)
        logger.info("kubernetes: %s %s got %s; retry %d in %.2f s (Retry-After: %s)",
                    method, path, why, attempt, delay, retry_after)
        await anyio.sleep(delay)

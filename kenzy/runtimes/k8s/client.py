"""`KubeClient`: apply a site's manifests with server-side apply, wait for the rollout, read
readiness, delete the site's namespace.

Usage::

    async with KubeClient.from_settings(settings) as kube:
        await kube.apply(manifests, progress=progress)
        await kube.wait_rollout("site-acme", progress=progress)

Applying is one ``PATCH`` per object (``Content-Type: application/apply-patch+yaml``,
``fieldManager=kenzy``, ``force=true``), Namespaces first. Server-side apply is idempotent:
the API server merges the manifest into the object, so re-applying the same manifests sends
the same requests and changes nothing (no ``resourceVersion`` or ``generation`` bump), and
kenzy needs no read-before-write. kubernetes-asyncio loads on first use, not on import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

import anyio
from pydantic import BaseModel

from kenzy.errors import KubeNotFound, KubeTimeout
from kenzy.runtimes.k8s import _kinds
from kenzy.runtimes.k8s._connection import KubeConnection, load_configuration
from kenzy.runtimes.k8s._readiness import KubeSiteStatus, WorkloadStatus, workload_status
from kenzy.runtimes.k8s._transport import APPLY_PATCH, KubeTransport, RetryPolicy

if TYPE_CHECKING:
    from kenzy.pipeline import Progress
    from kenzy.settings import Settings

__all__ = ["AppliedObject", "KubeClient", "KubeConnection", "KubeSiteStatus", "RetryPolicy", "WorkloadStatus"]

FIELD_MANAGER = "kenzy"
_WORKLOADS: tuple[tuple[Literal["Deployment", "StatefulSet"], str], ...] = (
    ("StatefulSet", "statefulsets"), ("Deployment", "deployments"))


class AppliedObject(BaseModel):
    """One object as the API server holds it after the apply."""

    kind: str
    namespace: str | None
    name: str
    uid: str | None = None
    resource_version: str | None = None
    """Unchanged by a re-apply that changes nothing."""
    generation: int | None = None


class KubeClient:
    """An async client for one cluster; use ``async with`` (or call `aclose`)."""

    def __init__(self, connection: KubeConnection, *, retry: RetryPolicy | None = None,
                 rollout_timeout: float = 300, poll_interval: float = 2.0, request_timeout: float = 30,
                 ) -> None:
        self.connection = connection
        self.rollout_timeout = rollout_timeout
        """Default seconds for `wait_rollout` and `delete_namespace`."""
        self.poll_interval = poll_interval
        self._retry = retry or RetryPolicy()
        self._request_timeout = request_timeout
        self._transport: KubeTransport | None = None
        self._lock = anyio.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> KubeClient:
        """A client for the connection the ``KENZY_KUBE_*`` settings describe (loaded on first use)."""
        kwargs.setdefault("rollout_timeout", settings.kube_rollout_timeout)
        return cls(KubeConnection.from_settings(settings), **kwargs)

    async def __aenter__(self) -> KubeClient:
        await self._connect()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._transport is not None:
            transport, self._transport = self._transport, None
            await transport.aclose()

    @property
    def requests(self) -> int:
        """HTTP requests sent so far (retries included)."""
        return self._transport.requests if self._transport is not None else 0

    async def _connect(self) -> KubeTransport:
        """Load the configuration once (a kubeconfig may run an exec plugin).

        Raises:
            KubeConfigError: no usable configuration.
        """
        async with self._lock:
            if self._transport is None:
                configuration = await load_configuration(self.connection)
                self._transport = KubeTransport(configuration, where=self.connection.describe(),
                                                retry=self._retry, request_timeout=self._request_timeout)
            return self._transport

    async def _request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        return await (await self._connect()).request(method, path, **kwargs)

    async def apply(self, manifests: Iterable[Mapping[str, Any]], *,
                    progress: Progress | None = None) -> list[AppliedObject]:
        """Server-side apply every manifest, Namespaces first; return the objects as stored.

        Raises:
            InvalidInput: a manifest is malformed or of a kind kenzy does not know; nothing was sent.
            KubeError: the API refused an object (the message names it); earlier objects stay applied.
        """
        planned = _kinds.plan_apply(manifests)
        # force=true: kenzy is the owner of what it renders. Without it, a field last set by
        # someone else (kubectl edit, an old kenzy with another manager name) turns the apply
        # into a 409 conflict instead of converging; the HPA's replicas stay unowned because
        # kenzy's Deployment manifests leave them out.
        query = {"fieldManager": FIELD_MANAGER, "force": "true"}
        applied = []
        for index, (ref, manifest) in enumerate(planned, start=1):
            if progress is not None:
                progress(f"apply {ref}", index, len(planned))
            stored = await self._request("PATCH", ref.path, target=str(ref), query=query, body=dict(manifest),
                                         content_type=APPLY_PATCH)
            meta = stored.get("metadata") or {}
            applied.append(AppliedObject(kind=ref.kind, namespace=ref.namespace, name=ref.name,
                                         uid=meta.get("uid"), resource_version=meta.get("resourceVersion"),
                                         generation=meta.get("generation")))
        return applied

    async def workloads(self, namespace: str) -> list[WorkloadStatus]:
        """Rollout state of every StatefulSet and Deployment in ``namespace`` (two list requests)."""
        found = []
        for kind, plural in _WORKLOADS:
            listing = await self._request("GET", _kinds.collection_path("apps/v1", plural, namespace))
            found += [workload_status(kind, item) for item in listing.get("items") or []]
        return found

    async def wait_rollout(self, namespace: str, *, timeout: float | None = None,
                           progress: Progress | None = None) -> list[WorkloadStatus]:
        """Poll until every Deployment and StatefulSet in ``namespace`` is rolled out.

        ``progress(step, ready, total)`` is called whenever the count of ready workloads changes.

        Raises:
            KubeTimeout: not rolled out within ``timeout`` seconds (default: ``rollout_timeout``);
                the message names each workload still waiting and why.
        """
        timeout = self.rollout_timeout if timeout is None else timeout
        last: list[WorkloadStatus] | None = None
        reported: tuple[int, int] | None = None
        with anyio.move_on_after(timeout):
            while True:
                last = await self.workloads(namespace)
                waiting = [w for w in last if not w.ready]
                count = (len(last) - len(waiting), len(last))
                if progress is not None and count != reported:
                    names = ", ".join(w.name for w in waiting)
                    progress(f"rollout: waiting for {names}" if waiting else "rollout done", *count)
                    reported = count
                if not waiting:
                    return last
                await anyio.sleep(self.poll_interval)
        pending = "; ".join(str(w) for w in last if not w.ready) if last is not None else "no status read yet"
        raise KubeTimeout(None, f"rollout in namespace {namespace} not finished after {timeout:g} s: "
                                f"{pending}", target=f"Namespace {namespace}")

    async def delete_namespace(self, name: str, *, wait: bool = True, timeout: float | None = None) -> bool:
        """Delete a namespace and everything in it (foreground propagation); by default wait
        until it is gone. Return False when it did not exist.

        Raises:
            KubeTimeout: still there after ``timeout`` seconds (default: ``rollout_timeout``);
                the message carries the namespace's phase and conditions (stuck finalizers).
        """
        timeout = self.rollout_timeout if timeout is None else timeout
        target, path = f"Namespace {name}", _kinds.namespace_path(name)
        try:
            deleted = await self._request("DELETE", path, target=target,
                                          query={"propagationPolicy": "Foreground"})
        except KubeNotFound:
            return False
        if not wait:
            return True
        uid = (deleted.get("metadata") or {}).get("uid")
        last = deleted
        with anyio.move_on_after(timeout):
            while True:
                try:
                    last = await self._request("GET", path, target=target)
                except KubeNotFound:
                    return True
                if uid and (last.get("metadata") or {}).get("uid") != uid:
                    return True  # gone, and already created anew by someone else
                await anyio.sleep(self.poll_interval)
        status = last.get("status") or {}
        conditions = "; ".join(str(c["message"]) for c in status.get("conditions") or [] if c.get("message"))
        raise KubeTimeout(None, f"namespace {name} still {status.get('phase', 'present')} after {timeout:g} s"
                                + (f": {conditions}" if conditions else ""), target=target)

    async def status(self, namespace: str) -> KubeSiteStatus:
        """Readiness of a site's namespace: phase, workloads ready, ingress hosts and addresses."""
        try:
            ns = await self._request("GET", _kinds.namespace_path(namespace), target=f"Namespace {namespace}")
        except KubeNotFound:
            return KubeSiteStatus(namespace=namespace, exists=False)
        ingress_path = _kinds.collection_path("networking.k8s.io/v1", "ingresses", namespace)
        hosts, addresses = [], []
        for item in (await self._request("GET", ingress_path)).get("items") or []:
            rules = (item.get("spec") or {}).get("rules") or []
            hosts += [rule["host"] for rule in rules if rule.get("host")]
            for entry in ((item.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []:
                addresses += [entry[key] for key in ("ip", "hostname") if entry.get(key)]
        return KubeSiteStatus(namespace=namespace, exists=True, phase=(ns.get("status") or {}).get("phase"),
                              workloads=await self.workloads(namespace), ingress_hosts=hosts,
                              ingress_addresses=addresses)

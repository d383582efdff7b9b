"""Is a workload rolled out? The rules ``kubectl rollout status`` uses, as pure functions.

Deployment: the controller has seen the latest spec (``observedGeneration >= generation``),
every replica runs the new template (``updatedReplicas``), no old replica is left
(``replicas``), and ``readyReplicas``/``availableReplicas`` reach the desired count.
StatefulSet: seen, ``readyReplicas`` reach the desired count, and for rolling updates
``currentRevision == updateRevision`` (every pod runs the new revision). A Deployment whose
``Progressing`` condition says ``ProgressDeadlineExceeded`` says so in ``waiting_for``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, computed_field

__all__ = ["KubeSiteStatus", "WorkloadStatus", "workload_status"]


class WorkloadStatus(BaseModel):
    """Rollout state of one Deployment or StatefulSet."""

    kind: Literal["Deployment", "StatefulSet"]
    name: str
    desired: int
    """``spec.replicas`` (the HPA may change it)."""
    ready_replicas: int
    ready: bool
    """Rolled out: the latest spec runs on ``desired`` ready replicas."""
    waiting_for: str | None = None
    """What is still pending when not ready (``"1 of 2 updated replicas available"``)."""

    def __str__(self) -> str:
        state = "ready" if self.ready else f"waiting: {self.waiting_for}"
        return f"{self.kind} {self.name} {self.ready_replicas}/{self.desired} ({state})"


class KubeSiteStatus(BaseModel):
    """Readiness of one site's namespace, for ``site_status``."""

    namespace: str
    exists: bool
    phase: str | None = None
    """``Active`` or ``Terminating``."""
    workloads: list[WorkloadStatus] = []
    ingress_hosts: list[str] = []
    ingress_addresses: list[str] = []
    """Load-balancer IPs or host names the ingress controller published."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ready(self) -> bool:
        """The namespace is active and every workload is rolled out."""
        return self.exists and self.phase == "Active" and all(w.ready for w in self.workloads)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def summary(self) -> str:
        """``"2/3 workloads ready"``, or why there is nothing to count."""
        if not self.exists:
            return f"namespace {self.namespace} does not exist"
        done = sum(w.ready for w in self.workloads)
        phase = f" ({self.phase})" if self.phase != "Active" else ""
        return f"{done}/{len(self.workloads)} workloads ready{phase}"


def _count(status: Mapping[str, Any], key: str) -> int:
    return int(status.get(key) or 0)  # the API omits zero counts


def _deployment_waits(desired: int, status: Mapping[str, Any]) -> str | None:
    updated = _count(status, "updatedReplicas")
    if updated < desired:
        return f"{updated} of {desired} replicas updated"
    if _count(status, "replicas") > updated:
        return f"{_count(status, 'replicas') - updated} old replicas pending termination"
    if _count(status, "availableReplicas") < desired:
        return f"{_count(status, 'availableReplicas')} of {desired} updated replicas available"
    if _count(status, "readyReplicas") < desired:
        return f"{_count(status, 'readyReplicas')} of {desired} replicas ready"
    return None


def _statefulset_waits(desired: int, spec: Mapping[str, Any], status: Mapping[str, Any]) -> str | None:
    if _count(status, "readyReplicas") < desired:
        return f"{_count(status, 'readyReplicas')} of {desired} pods ready"
    rolling = (spec.get("updateStrategy") or {}).get("type", "RollingUpdate") == "RollingUpdate"
    if rolling and status.get("currentRevision") != status.get("updateRevision"):
        return f"pods moving to revision {status.get('updateRevision')}"
    return None


def workload_status(kind: Literal["Deployment", "StatefulSet"], obj: Mapping[str, Any]) -> WorkloadStatus:
    """Evaluate one object as read from the API (list items carry no ``kind``, hence the argument)."""
    metadata, spec, status = obj.get("metadata") or {}, obj.get("spec") or {}, obj.get("status") or {}
    desired = 1 if spec.get("replicas") is None else int(spec["replicas"])
    if _count(status, "observedGeneration") < _count(metadata, "generation"):
        waiting: str | None = "the controller has not seen the latest spec yet"
    elif kind == "Deployment":
        waiting = _deployment_waits(desired, status)
        stalled = [c for c in status.get("conditions") or [] if c.get("reason") == "ProgressDeadlineExceeded"]
        if waiting and stalled:
            waiting += f"; progress deadline exceeded: {stalled[0].get('message')}"
    else:
        waiting = _statefulset_waits(desired, spec, status)
    return WorkloadStatus(kind=kind, name=str(metadata.get("name")), desired=desired,
                          ready_replicas=_count(status, "readyReplicas"), ready=waiting is None,
                          waiting_for=waiting)

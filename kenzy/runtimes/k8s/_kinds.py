"""The kinds kenzy applies: their REST paths, scope and apply order, as data.

A manifest maps to ``/api/v1/...`` (the core group) or ``/apis/<group>/<version>/...``, then
``namespaces/<ns>/`` for namespaced kinds, then the lower-case plural and the name. The table
holds what cannot be derived (plural, scope, group) so kenzy needs no discovery round trips.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from kenzy.errors import InvalidInput

__all__ = ["KINDS", "Kind", "ObjectRef", "collection_path", "namespace_path", "plan_apply"]


@dataclass(frozen=True)
class Kind:
    """One resource type: its API group, plural, scope and place in the apply order."""

    group: str
    plural: str
    namespaced: bool
    order: int
    """Lower goes first: the Namespace, then policies and quotas (so pods are admitted with the
    LimitRange defaults), then config, storage, workloads, and what points at workloads."""


KINDS: Mapping[str, Kind] = {
    "Namespace": Kind("", "namespaces", False, 0),
    "NetworkPolicy": Kind("networking.k8s.io", "networkpolicies", True, 10),
    "ResourceQuota": Kind("", "resourcequotas", True, 11),
    "LimitRange": Kind("", "limitranges", True, 12),
    "ServiceAccount": Kind("", "serviceaccounts", True, 20),
    "Role": Kind("rbac.authorization.k8s.io", "roles", True, 21),
    "RoleBinding": Kind("rbac.authorization.k8s.io", "rolebindings", True, 22),
    "Secret": Kind("", "secrets", True, 30),
    "ConfigMap": Kind("", "configmaps", True, 31),
    "PersistentVolumeClaim": Kind("", "persistentvolumeclaims", True, 32),
    "Service": Kind("", "services", True, 40),
    "StatefulSet": Kind("apps", "statefulsets", True, 50),
    "Deployment": Kind("apps", "deployments", True, 51),
    "HorizontalPodAutoscaler": Kind("autoscaling", "horizontalpodautoscalers", True, 60),
    "PodDisruptionBudget": Kind("policy", "poddisruptionbudgets", True, 61),
    "Job": Kind("batch", "jobs", True, 70),
    "CronJob": Kind("batch", "cronjobs", True, 71),
    "Ingress": Kind("networking.k8s.io", "ingresses", True, 80),
}


def _prefix(api_version: str) -> str:
    return f"/api/{api_version}" if "/" not in api_version else f"/apis/{api_version}"


def collection_path(api_version: str, plural: str, namespace: str | None = None) -> str:
    """``/apis/apps/v1/namespaces/site-a/deployments`` (or the cluster-scoped form)."""
    scope = f"/namespaces/{quote(namespace, safe='')}" if namespace is not None else ""
    return f"{_prefix(api_version)}{scope}/{plural}"


def namespace_path(name: str) -> str:
    """``/api/v1/namespaces/<name>``."""
    return f"{collection_path('v1', 'namespaces')}/{quote(name, safe='')}"


@dataclass(frozen=True)
class ObjectRef:
    """Where one manifest lives: its kind, namespace (None: cluster-scoped), name and REST path."""

    kind: str
    namespace: str | None
    name: str
    path: str
    order: int

    def __str__(self) -> str:
        return f"{self.kind} {self.namespace}/{self.name}" if self.namespace else f"{self.kind} {self.name}"

    @classmethod
    def of(cls, manifest: Mapping[str, Any]) -> ObjectRef:
        """The reference of a manifest, checked before anything is sent.

        Raises:
            InvalidInput: a field is missing, the kind is unknown, or its apiVersion has the wrong group.
        """
        api_version, kind = manifest.get("apiVersion"), manifest.get("kind")
        metadata = manifest.get("metadata") or {}
        name, namespace = metadata.get("name"), metadata.get("namespace")
        if not (isinstance(api_version, str) and isinstance(kind, str) and isinstance(name, str) and name):
            raise InvalidInput("manifest", f"apiVersion, kind, metadata.name are required: {kind!r}/{name!r}")
        spec = KINDS.get(kind)
        if spec is None:
            raise InvalidInput("manifest", f"kenzy does not apply kind {kind!r}; it knows {', '.join(KINDS)}")
        group = api_version.rpartition("/")[0]
        if group != spec.group:
            raise InvalidInput("manifest", f"{kind} {name}: {api_version!r} is not in group {spec.group!r}")
        if spec.namespaced != bool(namespace):
            state = "needs" if spec.namespaced else "must not have"
            raise InvalidInput("manifest", f"{kind} {name} {state} metadata.namespace")
        base = collection_path(api_version, spec.plural, namespace if spec.namespaced else None)
        return cls(kind, namespace, name, f"{base}/{quote(name, safe='')}", spec.order)


def plan_apply(manifests: Iterable[Mapping[str, Any]]) -> Sequence[tuple[ObjectRef, Mapping[str, Any]]]:
    """Check every manifest and order them: Namespaces first, then by `Kind.order` (stable).

    Raises:
        InvalidInput: a manifest is malformed or appears twice; nothing has been sent.
    """
    planned = [(ObjectRef.of(manifest), manifest) for manifest in manifests]
    seen: set[str] = set()
    for ref, _ in planned:
        if ref.path in seen:
            raise InvalidInput("manifest", f"{ref} appears twice")
        seen.add(ref.path)
    return sorted(planned, key=lambda item: item[0].order)

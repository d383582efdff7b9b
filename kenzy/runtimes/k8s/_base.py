"""The namespace and what bounds it: Pod Security labels, quota, default limits, Secrets, PVCs."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from kenzy.runtimes.k8s._quantity import cpu_text, memory_text, parse_quantity
from kenzy.runtimes.k8s._site import SiteSpec
from kenzy.runtimes.k8s.options import SALT_NAMES

__all__ = ["limit_range", "namespace", "pod_templates", "pvcs", "resource_quota", "secrets"]


def namespace(spec: SiteSpec) -> dict[str, Any]:
    level = spec.options.pod_security
    labels = {
        **spec.site_labels,
        "pod-security.kubernetes.io/enforce": level,
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
    }
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {
        "name": spec.namespace, "labels": labels,
        "annotations": {"kenzy.dev/business-name": spec.plan.business_name, "kenzy.dev/host": spec.host},
    }}


def limit_range(spec: SiteSpec) -> dict[str, Any]:
    """Defaults for any container that names no resources, and the most one may ask."""
    limits, requests, tier = spec.options.container_limits, spec.options.container_requests, spec.options.tier_spec
    biggest = max((tier.database_storage, tier.content_storage), key=parse_quantity)
    return {"apiVersion": "v1", "kind": "LimitRange", "metadata": spec.meta("limits"), "spec": {"limits": [
        {"type": "Container", "default": limits.model_dump(), "defaultRequest": requests.model_dump(),
         "max": limits.model_dump()},
        {"type": "PersistentVolumeClaim", "max": {"storage": biggest}},
    ]}}


def pod_templates(objects: Iterable[dict[str, Any]]) -> Iterable[tuple[dict[str, Any], dict[str, Any]]]:
    """``(object, pod template)`` for every object that makes pods."""
    for obj in objects:
        spec = obj.get("spec") or {}
        if obj["kind"] in {"Deployment", "StatefulSet", "Job"}:
            yield obj, spec["template"]
        elif obj["kind"] == "CronJob":
            yield obj, spec["jobTemplate"]["spec"]["template"]


def resource_quota(spec: SiteSpec, objects: list[dict[str, Any]]) -> dict[str, Any]:
    """The namespace's ceiling: every pod at full scale, plus one web pod of rollout surge."""
    totals = {key: Decimal(0) for key in ("requests.cpu", "requests.memory", "limits.cpu", "limits.memory")}
    pods = 0
    for obj, template in pod_templates(objects):
        count = spec.options.replica_ceiling + 1 if obj["kind"] == "Deployment" and obj["metadata"]["name"] == "wordpress" else 1
        pods += count
        for c in template["spec"]["containers"]:
            for section in ("requests", "limits"):
                for resource, value in c["resources"][section].items():
                    totals[f"{section}.{resource}"] += parse_quantity(value) * count
    tier = spec.options.tier_spec
    storage = parse_quantity(tier.database_storage) + parse_quantity(tier.content_storage)
    hard = {key: cpu_text(value) if key.endswith("cpu") else memory_text(value) for key, value in totals.items()}
    hard.update({"pods": str(pods), "persistentvolumeclaims": "2", "requests.storage": memory_text(storage),
                 "services.loadbalancers": "0", "services.nodeports": "0"})
    return {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": spec.meta("quota"), "spec": {"hard": hard}}


def secrets(spec: SiteSpec) -> list[dict[str, Any]]:
    """The site's Secrets; values are placeholders unless the spec reveals them."""
    s = spec.secrets

    def secret(name: str, component: str, data: dict[str, str]) -> dict[str, Any]:
        return {"apiVersion": "v1", "kind": "Secret", "metadata": spec.meta(name, component), "type": "Opaque",
                "stringData": data}

    salts = {name.lower().replace("_", "-"): spec.secret(s.salts[name]) for name in SALT_NAMES}
    return [
        secret("mariadb", "mariadb", {"password": spec.secret(s.db_password),
                                      "root-password": spec.secret(s.db_root_password)}),
        secret("redis", "redis", {"password": spec.secret(s.redis_password),
                                  "redis.conf": f"requirepass {spec.secret(s.redis_password)}\n"}),
        secret("wordpress", "web", {"admin-password": spec.secret(s.admin_password), **salts}),
    ]


def pvcs(spec: SiteSpec) -> list[dict[str, Any]]:
    """MariaDB's data (one writer) and ``wp-content`` (shared by every web replica)."""
    tier = spec.options.tier_spec

    def claim(name: str, component: str, mode: str, size: str) -> dict[str, Any]:
        body: dict[str, Any] = {"accessModes": [mode], "resources": {"requests": {"storage": size}}}
        if spec.options.storage_class:
            body["storageClassName"] = spec.options.storage_class
        return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": spec.meta(name, component),
                "spec": body}

    return [
        claim("mariadb-data", "mariadb", "ReadWriteOnce", tier.database_storage),
        claim("wp-content", "web", spec.options.content_access_mode, tier.content_storage),
    ]

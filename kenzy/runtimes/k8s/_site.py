"""`SiteSpec`: everything the object builders share about one site (names, labels, host)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from kenzy import naming
from kenzy.models import SitePlan
from kenzy.runtimes.k8s.options import K8sOptions, K8sSecrets

__all__ = ["COMPONENTS", "MANAGED_BY", "SiteSpec", "namespace_for"]

MANAGED_BY = {"app.kubernetes.io/managed-by": "kenzy"}
COMPONENTS = ("web", "mariadb", "redis", "content", "backup")
"""Pod roles: the ``app.kubernetes.io/component`` label every pod carries."""

WEB_PORT = 8080
DOCROOT = "/var/www/html"
"""Where the official image keeps WordPress; ``wp-content`` is the PVC under it."""
REDACTED = "<redacted: kenzy render k8s --reveal-secrets>"


def namespace_for(subdomain: str, prefix: str = "kz-") -> str:
    """The site's namespace: ``<prefix><subdomain>``, cut with a hash suffix past 63 characters."""
    naming.validate_subdomain(subdomain)
    name = prefix + subdomain
    if len(name) <= 63:
        return name
    digest = hashlib.sha256(subdomain.encode()).hexdigest()[:8]
    return f"{name[:54].rstrip('-')}-{digest}"


@dataclass(frozen=True)
class SiteSpec:
    """One site as the builders see it; `secret` returns a value or the redaction placeholder."""

    plan: SitePlan
    options: K8sOptions
    secrets: K8sSecrets
    reveal: bool

    @cached_property
    def namespace(self) -> str:
        return namespace_for(self.plan.subdomain, self.options.namespace_prefix)

    @property
    def subdomain(self) -> str:
        return self.plan.subdomain

    @cached_property
    def identifier(self) -> str:
        """Database and database user name, as on the local runtime."""
        return naming.identifier(self.plan.subdomain)

    @property
    def host(self) -> str:
        return f"{self.plan.subdomain}.{self.options.base_domain}"

    @property
    def url(self) -> str:
        return f"{'https' if self.options.tls else 'http'}://{self.host}"

    @cached_property
    def site_labels(self) -> dict[str, str]:
        return {
            **MANAGED_BY,
            "app.kubernetes.io/part-of": "kenzy",
            "app.kubernetes.io/instance": self.plan.subdomain,
            "kenzy.dev/industry": self.plan.industry,
        }

    def selector(self, component: str) -> dict[str, str]:
        """The labels that select one component's pods (stable: never change them)."""
        return {"app.kubernetes.io/instance": self.plan.subdomain, "app.kubernetes.io/component": component}

    def labels(self, component: str) -> dict[str, str]:
        return {**self.site_labels, **self.selector(component)}

    def meta(self, name: str, component: str | None = None, **extra: Any) -> dict[str, Any]:
        """``metadata`` of a namespaced object."""
        labels = self.labels(component) if component else dict(self.site_labels)
        return {"name": name, "namespace": self.namespace, "labels": labels, **extra}

    def secret(self, value: Any) -> str:
        """The secret's value when revealing, else the placeholder."""
        return value.get_secret_value() if self.reveal else REDACTED

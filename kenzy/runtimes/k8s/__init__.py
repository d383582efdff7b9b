"""The Kubernetes runtime: one namespace per site, applied with server-side apply.

Rendering (``render_site``, ``to_yaml``) and offline validation (``validate``) need no
cluster; names load on first use, so importing this package imports nothing heavy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kenzy.runtimes.k8s.checks import Problem
    from kenzy.runtimes.k8s.manifests import file_name, namespace_for, render_site, to_yaml
    from kenzy.runtimes.k8s.options import TIERS, K8sOptions, K8sSecrets, Tier
    from kenzy.runtimes.k8s.validation import DEFAULT_VERSIONS, validate

__all__ = [
    "DEFAULT_VERSIONS",
    "TIERS",
    "K8sOptions",
    "K8sSecrets",
    "Problem",
    "Tier",
    "file_name",
    "namespace_for",
    "render_site",
    "to_yaml",
    "validate",
]

_LAZY = {
    "Problem": "checks",
    "file_name": "manifests", "namespace_for": "manifests", "render_site": "manifests", "to_yaml": "manifests",
    "TIERS": "options", "K8sOptions": "options", "K8sSecrets": "options", "Tier": "options",
    "DEFAULT_VERSIONS": "validation", "validate": "validation",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    return getattr(import_module(f"kenzy.runtimes.k8s.{module}"), name)

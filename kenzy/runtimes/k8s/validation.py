"""Validate rendered manifests offline: strict schemas of several Kubernetes versions
(kubernetes-validate's), then kenzy's own checks (`kenzy.runtimes.k8s.checks`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kenzy.errors import ManifestInvalid
from kenzy.runtimes.k8s import _schemas
from kenzy.runtimes.k8s.checks import Problem, run_checks

__all__ = ["DEFAULT_VERSIONS", "problems", "validate"]

DEFAULT_VERSIONS = ("1.30", "1.34")
"""An older and a recent supported release; the objects must be valid on both."""


def problems(manifests: Sequence[dict[str, Any]], versions: Sequence[str] = DEFAULT_VERSIONS) -> list[Problem]:
    """Every problem found: schema errors (check ``schema-<version>``) first, then kenzy's checks."""
    found: list[Problem] = []
    for version in versions:
        for obj in manifests:
            kind = str(obj.get("kind", "?"))
            name = str((obj.get("metadata") or {}).get("name", "?"))
            try:
                _schemas.check(obj, version)
            except _schemas.SchemaError as exc:
                found.append(Problem(kind, name, exc.path, f"{exc.message} (Kubernetes {exc.version})", f"schema-{version}"))
            except (ValueError, KeyError) as exc:
                found.append(Problem(kind, name, "apiVersion", f"no schema: {exc}", f"schema-{version}"))
    return found + run_checks(manifests)


def validate(manifests: Sequence[dict[str, Any]], versions: Sequence[str] = DEFAULT_VERSIONS) -> None:
    """Raise unless every manifest is valid on every version and passes kenzy's checks.

    Raises:
        ManifestInvalid: names each failing object (kind/name) and field path.
        ValueError: a version kubernetes-validate has no schemas for.
    """
    for version in versions:
        _schemas.supported_version(version)
    found = problems(manifests, versions)
    if found:
        raise ManifestInvalid([(p.kind, p.name, p.path, p.message) for p in found])

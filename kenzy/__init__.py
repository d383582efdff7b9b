"""kenzy: turn a request into a live, isolated, backed-up WordPress site.

``import kenzy`` is light: every name below loads its module on first use, so the CLI's
``--help`` and services that only need one part pay only for that part.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kenzy.api import CreatedSite, Kenzy
    from kenzy.errors import (
        InvalidInput,
        KenzyError,
        MissingPackages,
        NotConfigured,
        ProvisionError,
        SiteConflict,
        SiteNotFound,
        StackError,
        UsageError,
    )
    from kenzy.models import Site, SiteCredentials, SitePlan, SiteState, SiteStatus
    from kenzy.planner import PlanDraft
    from kenzy.settings import Settings

__version__ = "0.1.0"

_EXPORTS = {
    "CreatedSite": "kenzy.api",
    "Kenzy": "kenzy.api",
    "InvalidInput": "kenzy.errors",
    "KenzyError": "kenzy.errors",
    "MissingPackages": "kenzy.errors",
    "NotConfigured": "kenzy.errors",
    "ProvisionError": "kenzy.errors",
    "SiteConflict": "kenzy.errors",
    "SiteNotFound": "kenzy.errors",
    "StackError": "kenzy.errors",
    "UsageError": "kenzy.errors",
    "Site": "kenzy.models",
    "SiteCredentials": "kenzy.models",
    "SitePlan": "kenzy.models",
    "SiteState": "kenzy.models",
    "SiteStatus": "kenzy.models",
    "PlanDraft": "kenzy.planner",
    "Settings": "kenzy.settings",
}

__all__ = [*sorted(_EXPORTS), "__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kenzy' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})

"""kenzy: turn a request into a live, isolated, backed-up WordPress site.

``import kenzy`` is light: the runtimes and their SDKs load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
from kenzy.settings import Settings

if TYPE_CHECKING:
    from kenzy.api import Kenzy

__version__ = "0.1.0"

__all__ = [
    "InvalidInput",
    "Kenzy",
    "KenzyError",
    "MissingPackages",
    "NotConfigured",
    "ProvisionError",
    "Settings",
    "Site",
    "SiteConflict",
    "SiteCredentials",
    "SiteNotFound",
    "SitePlan",
    "SiteState",
    "SiteStatus",
    "StackError",
    "UsageError",
    "__version__",
]


def __getattr__(name: str) -> Any:
    if name == "Kenzy":
        from kenzy.api import Kenzy

        return Kenzy
    raise AttributeError(f"module 'kenzy' has no attribute {name!r}")

"""Domain models shared by every layer: the plan for a site, the site record, its status."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from kenzy import naming
from kenzy.errors import InvalidInput

__all__ = ["ServiceState", "Site", "SiteCredentials", "SitePlan", "SiteState", "SiteStatus"]


class SitePlan(BaseModel):
    """What to build: who the business is and where its site answers."""

    model_config = ConfigDict(frozen=True)

    business_name: str
    """The business's name as the customer writes it; becomes the site title."""
    industry: str
    """Blueprint id (``restaurante``, ``advocacia``, ``saude``, ...)."""
    subdomain: str = ""
    """DNS label the site answers on; derived from the business name when empty."""
    locale: str = "pt_BR"
    """WordPress locale (``pt_BR`` or ``en_US``)."""
    city: str | None = None
    """City the business serves, when known."""
    template: str | None = None
    """Theme template to use; the blueprint's default when empty."""
    options: dict[str, Any] = Field(default_factory=dict)
    """Features the plan turns on (whatsapp, ifood, pix, ...)."""

    @model_validator(mode="after")
    def _validate(self) -> SitePlan:
        from kenzy import blueprints

        name = naming.validate_business_name(self.business_name)
        blueprints.get(self.industry)
        sub = naming.validate_subdomain(self.subdomain) if self.subdomain else naming.subdomain_for(name)
        if self.locale not in {"pt_BR", "en_US"}:
            raise InvalidInput("locale", f"{self.locale!r} is not supported; use pt_BR or en_US")
        object.__setattr__(self, "business_name", name)
        object.__setattr__(self, "subdomain", sub)
        return self

    def fingerprint(self) -> str:
        """Hash of what makes two plans "the same site" (everything but the subdomain key)."""
        data = self.model_dump(exclude={"subdomain"}, mode="json")
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


class SiteState(str, Enum):
    """Lifecycle of a site record."""

    CREATING = "creating"
    ACTIVE = "active"
    FAILED = "failed"
    DESTROYING = "destroying"


class Site(BaseModel):
    """A provisioned site as kenzy records it. Holds no secrets."""

    subdomain: str
    business_name: str
    industry: str
    locale: str
    url: str
    admin_url: str
    status: SiteState
    runtime: str = "local"
    identifier: str
    """Name of the site's unix user, database, DB user and Redis user."""
    admin_user: str = "admin"
    plan: SitePlan
    created_at: datetime
    updated_at: datetime


class SiteCredentials(BaseModel):
    """Secrets of one site. Only `kenzy credentials` and the Python API show them."""

    subdomain: str
    admin_user: str
    admin_password: SecretStr
    db_name: str
    db_user: str
    db_password: SecretStr
    redis_user: str
    redis_password: SecretStr


class ServiceState(BaseModel):
    """One service of the private stack."""

    name: str
    running: bool
    pid: int | None = None
    version: str | None = None
    address: str
    """Socket path or host:port it listens on."""


class LastBackup(BaseModel):
    """The newest complete backup of a site, as `site_status` shows it."""

    backup_id: str
    kind: str
    created_at: datetime
    rto_seconds: float | None = None
    """Measured by the last restore drill of this backup (`kenzy backup verify`), if any."""


class SiteStatus(BaseModel):
    """What `site_status` reports: the record plus live checks."""

    site: Site
    http_status: int | None = None
    """Status of ``GET /`` through nginx, or None when it could not be reached."""
    title: str | None = None
    """The ``<title>`` the home page serves."""
    checks: dict[str, bool] = Field(default_factory=dict)
    """Each resource of the site and whether it exists (database, unix user, pool, vhost...);
    on Kubernetes: the namespace, each workload's readiness (``deployment/wordpress``) and the Ingress."""
    summary: str | None = None
    """One line for people, where the runtime has one (Kubernetes: ``"3/3 workloads ready"``)."""
    last_backup: LastBackup | None = None
    """The newest complete backup in kenzy's catalog (a site on this machine), or None."""

"""What every runtime does the same way: a new site's record and credentials, the same-plan
rule for a taken subdomain, and the per-site lock."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import datetime, timezone

from kenzy import naming
from kenzy.errors import SiteConflict
from kenzy.models import Site, SiteCredentials, SitePlan, SiteState
from kenzy.settings import Settings
from kenzy.vault import generate_password

__all__ = ["check_same_plan", "new_record", "site_lock"]


def new_record(plan: SitePlan, url: str, *, runtime: str) -> tuple[Site, SiteCredentials]:
    """A ``creating`` record for ``plan`` served at ``url``, and freshly generated credentials."""
    ident = naming.identifier(plan.subdomain)
    now = datetime.now(timezone.utc)
    site = Site(
        subdomain=plan.subdomain, business_name=plan.business_name, industry=plan.industry, locale=plan.locale,
        url=url, admin_url=f"{url}/wp-admin/", status=SiteState.CREATING, runtime=runtime, identifier=ident,
        plan=plan, created_at=now, updated_at=now,
    )
    creds = SiteCredentials(
        subdomain=plan.subdomain,
        admin_user="admin",
        admin_password=generate_password(20),  # type: ignore[arg-type]
        db_name=ident,
        db_user=ident,
        db_password=generate_password(32),  # type: ignore[arg-type]
        redis_user=ident,
        redis_password=generate_password(32),  # type: ignore[arg-type]
    )
    return site, creds


def check_same_plan(existing: Site, plan: SitePlan, *, runtime: str) -> None:
    """Allow a repeated provisioning only for the same plan on the same runtime.

    Raises:
        SiteConflict: the subdomain belongs to another plan, or to a site on another runtime.
    """
    if existing.plan.fingerprint() != plan.fingerprint():
        raise SiteConflict(
            f"subdomain {plan.subdomain!r} already belongs to {existing.business_name!r} "
            f"({existing.industry}); choose another subdomain or destroy that site first"
        )
    if existing.runtime != runtime:
        raise SiteConflict(
            f"subdomain {plan.subdomain!r} is already a site on the {existing.runtime} runtime; "
            "destroy it there first or choose another subdomain"
        )


def site_lock(settings: Settings, subdomain: str) -> AbstractAsyncContextManager[None]:
    """One operation at a time per site, across processes and runtimes (a file lock in
    ``KENZY_HOME/locks``): provisioning, destroying, backups and restores never overlap."""
    from kenzy.runtimes.local._proc import file_lock

    return file_lock(settings.home / "locks" / f"site-{subdomain}.lock")

"""The state store and the vault: secrets sealed at rest, journal and audit recorded."""

from __future__ import annotations

import base64
import os
import stat
from datetime import datetime, timezone
from pathlib import Path

import pytest

from kenzy.errors import UsageError
from kenzy.models import Site, SiteCredentials, SitePlan, SiteState
from kenzy.store import Store
from kenzy.vault import Vault

pytestmark = pytest.mark.anyio


def _site(sub: str = "bar-do-ze") -> tuple[Site, SiteCredentials]:
    now = datetime.now(timezone.utc)
    plan = SitePlan(business_name="Bar do Zé", industry="restaurante", subdomain=sub)
    site = Site(
        subdomain=sub, business_name=plan.business_name, industry="restaurante", locale="pt_BR",
        url=f"http://{sub}.localhost:8080", admin_url=f"http://{sub}.localhost:8080/wp-admin/",
        status=SiteState.CREATING, identifier="kz_" + sub.replace("-", "_"), plan=plan,
        created_at=now, updated_at=now,
    )
    creds = SiteCredentials(
        subdomain=sub, admin_user="admin", admin_password="ADMIN-SECRET-1", db_name="d", db_user="d",
        db_password="DB-SECRET-2", redis_user="r", redis_password="REDIS-SECRET-3",
    )
    return site, creds


def test_key_file_is_created_private(tmp_path: Path) -> None:
    key_file = tmp_path / "secret.key"
    vault = Vault.from_settings(None, key_file)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    token = vault.encrypt("hunter2", context="a")
    assert "hunter2" not in token
    assert Vault.from_settings(None, key_file).decrypt(token, context="a") == "hunter2"
    with pytest.raises(UsageError):
        vault.decrypt(token, context="b")  # bound to its site
    other = Vault(os.urandom(32))
    with pytest.raises(UsageError, match="cannot be decrypted"):
        other.decrypt(token, context="a")


def test_secret_key_from_setting() -> None:
    key = base64.b64encode(os.urandom(32)).decode()
    vault = Vault.from_settings(key, Path("/nonexistent/never-created"))
    assert vault.decrypt(vault.encrypt("x")) == "x"
    assert "key" not in repr(vault).replace("<key hidden>", "")
    with pytest.raises(UsageError, match="base64"):
        Vault.from_settings("not base64!", Path("/nonexistent"))
    with pytest.raises(UsageError, match="32 bytes"):
        Vault.from_settings(base64.b64encode(b"short").decode(), Path("/nonexistent"))


async def test_store_seals_secrets_and_claims_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "kenzy.db", Vault(os.urandom(32)))
    site, creds = _site()
    assert await store.claim(site, creds) is None
    again = await store.claim(site, creds)
    assert again is not None and again.subdomain == site.subdomain
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("kenzy.db*"))
    for secret in (b"ADMIN-SECRET-1", b"DB-SECRET-2", b"REDIS-SECRET-3"):
        assert secret not in raw
    assert stat.S_IMODE((tmp_path / "kenzy.db").stat().st_mode) == 0o600
    got = await store.credentials(site.subdomain)
    assert got is not None and got.db_password.get_secret_value() == "DB-SECRET-2"
    assert "DB-SECRET-2" not in got.model_dump_json() and "DB-SECRET-2" not in repr(got)
    updated = await store.set_status(site.subdomain, SiteState.ACTIVE)
    assert updated.status is SiteState.ACTIVE
    assert [s.subdomain for s in await store.list()] == [site.subdomain]
    await store.journal(site.subdomain, "provision", "database", "done", seconds=0.1)
    await store.audit("provision_local", site.subdomain, "ok")
    assert (await store.journal_for(site.subdomain))[0]["step"] == "database"
    assert (await store.audit_log())[0]["outcome"] == "ok"
    await store.delete(site.subdomain)
    assert await store.get(site.subdomain) is None
    assert await store.credentials(site.subdomain) is None

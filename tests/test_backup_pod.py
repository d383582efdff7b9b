"""The backup CronJob's run, without a cluster: `kenzy backup run-due` with only the pod's
environment (no kenzy state, the database over its socket as a pod would over TCP, the
files as a mount) makes the same backups a local site makes, and they restore anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import needs_stack, site_client
from kenzy.api import Kenzy
from kenzy.errors import InvalidInput
from kenzy.runtimes.k8s.pod_site import PodSite


def test_pod_environment_is_checked() -> None:
    assert PodSite.from_env({}) is None  # not a backup pod
    with pytest.raises(InvalidInput, match="KENZY_SITE_PLAN.*KENZY_DB_HOST"):
        PodSite.from_env({"KENZY_CONTENT_DIR": "/c", "KENZY_SITE": "a", "KENZY_SITE_URL": "https://a.example",
                          "KENZY_DB_NAME": "kz_a", "KENZY_DB_USER": "kz_a", "KENZY_DB_PASSWORD": "p"})
    plan = '{"business_name": "B", "industry": "beleza", "subdomain": "b"}'
    with pytest.raises(InvalidInput, match="plan of 'b', not 'a'"):
        PodSite.from_env({"KENZY_CONTENT_DIR": "/c", "KENZY_SITE": "a", "KENZY_SITE_PLAN": plan,
                          "KENZY_SITE_URL": "https://a.example", "KENZY_DB_HOST": "mariadb", "KENZY_DB_NAME": "kz_a",
                          "KENZY_DB_USER": "kz_a", "KENZY_DB_PASSWORD": "p"})


def test_the_cronjob_gives_the_pod_what_it_needs() -> None:
    from kenzy.models import SitePlan
    from kenzy.runtimes.k8s import K8sOptions, render_site
    from kenzy.settings import Settings

    plan = SitePlan(business_name="Salão Agenda Cheia", industry="beleza")
    cron = next(m for m in render_site(plan, K8sOptions.from_settings(Settings())) if m["kind"] == "CronJob")
    container = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e.get("value") for e in container["env"]}
    given = {**{k: v or "from-secret" for k, v in env.items()}}
    pod = PodSite.from_env(given)
    assert pod is not None and pod.site.plan == plan and pod.db_host == "mariadb"
    assert container["command"][-4:] == ["backup", "run-due", "--site", plan.subdomain]


@needs_stack
@pytest.mark.anyio
async def test_run_due_in_a_pod_backs_up_and_the_backup_restores_anywhere(kz: Kenzy, tmp_path: Path) -> None:
    store = f"file://{tmp_path}/store"
    k = Kenzy(kz.settings.model_copy(update={"backup_store": store}))
    site = await k.provision_local(business_name="Barbearia Nuvem Segura", industry="beleza")
    await k.fill_content(subdomain=site.subdomain)
    creds = await k.credentials(site.subdomain)
    content = k.context.local.layout.site(site.subdomain).wp_content
    pod_home = tmp_path / "pod-home"  # a pod has no kenzy state at all
    env = {
        "PATH": os.environ["PATH"], "HOME": str(tmp_path), "KENZY_HOME": str(pod_home),
        "KENZY_SECRET_KEY": (kz.settings.home / "secret.key").read_text().strip(),
        "KENZY_BACKUP_STORE": store,
        "KENZY_SITE": site.subdomain, "KENZY_SITE_PLAN": site.plan.model_dump_json(), "KENZY_SITE_URL": site.url,
        "KENZY_DB_SOCKET": str(k.context.local.layout.mariadb_socket), "KENZY_DB_NAME": creds.db_name,
        "KENZY_DB_USER": creds.db_user, "KENZY_DB_PASSWORD": creds.db_password.get_secret_value(),
        "KENZY_CONTENT_DIR": str(content),
    }

    def run_due(*extra: str) -> Any:
        done = subprocess.run([sys.executable, "-m", "kenzy", "backup", "run-due", "--json", *extra], env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert creds.db_password.get_secret_value() not in done.stdout + done.stderr
        return json.loads(done.stdout)

    first = run_due("--site", site.subdomain)
    assert [b["kind"] for b in first["ran"]] == ["full"] and not first["failed"]
    backup_id = first["ran"][0]["backup_id"]
    assert (tmp_path / "store" / "manifests" / site.subdomain / backup_id).is_file()
    assert run_due()["ran"] == []  # the next pod learns from the store that nothing is due
    wrong = subprocess.run([sys.executable, "-m", "kenzy", "backup", "run-due", "--site", "other"], env=env,
                           capture_output=True, text=True, timeout=120)
    assert wrong.returncode == 2 and "serves" in wrong.stderr

    clone = f"{site.subdomain}-do-pod"
    restored = await k.restore(subdomain=site.subdomain, backup_id=backup_id, into=clone)
    assert restored.objects == first["ran"][0]["objects"]
    logo = (content / "uploads" / "kenzy" / "kenzy-logo.webp").read_bytes()
    async with site_client(k.settings, clone) as client:
        home = await client.get("/")
        assert home.status_code == 200 and "Barbearia Nuvem Segura" in home.text
        assert (await client.get("/wp-content/uploads/kenzy/kenzy-logo.webp")).content == logo
    assert await k.context.local.published(clone) == await k.context.local.published(site.subdomain)
    await k.destroy_site(subdomain=clone)
    await k.destroy_site(subdomain=site.subdomain)

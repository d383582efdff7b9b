"""`provision_k8s`, and the tools that route by runtime, end to end against the HTTP double of
the Kubernetes API (`k8s_api_double`): no cluster and no local stack involved."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from k8s_api_double import DoubleState, k8s_api_double
from kenzy.api import Kenzy
from kenzy.errors import InvalidInput, NotConfigured, ProvisionError, SiteConflict, SiteNotFound, UsageError
from kenzy.models import SiteState
from kenzy.runtimes.k8s.manifests import REDACTED
from kenzy.settings import Settings
from kenzy.tools import ToolContext

pytestmark = pytest.mark.anyio

TOKEN = "k8s-provision-token-0123456789"
PLAN = {"business_name": "Pizzaria Bella", "industry": "restaurante", "city": "Natal"}
SUB, NS = "pizzaria-bella", "kz-pizzaria-bella"
NS_PATH = f"/api/v1/namespaces/{NS}"


@pytest.fixture
def double() -> Iterator[tuple[str, DoubleState]]:
    with k8s_api_double(TOKEN) as pair:
        yield pair


def settings_for(home: Path, url: str, **extra: Any) -> Settings:
    return Settings(home=home, base_domain="sites.example", kube_host=url, kube_token=TOKEN, **extra)


@pytest.fixture
async def kz(tmp_path: Path, double: tuple[str, DoubleState]) -> AsyncIterator[tuple[Kenzy, DoubleState, list[tuple[str, int, int]]]]:
    seen: list[tuple[str, int, int]] = []
    yield Kenzy(settings_for(tmp_path, double[0]), progress=lambda *step: seen.append(step)), double[1], seen


def applied(state: DoubleState, since: int = 0) -> list[dict[str, Any]]:
    return [r for r in state.calls("PATCH")[since:]]


def secret_bodies(patches: list[dict[str, Any]]) -> dict[str, Any]:
    return {r["path"]: r["body"]["stringData"] for r in patches if "/secrets/" in r["path"]}


async def test_provision_applies_namespace_first_waits_and_records_the_site(kz: Any) -> None:
    k, state, seen = kz
    site = await k.provision_k8s(**PLAN)
    assert site.created and site.runtime == "k8s" and site.namespace == NS and site.objects == 30  # 29, plus the uploads ConfigMap
    assert site.url == f"https://{SUB}.sites.example" and site.admin_url == f"https://{SUB}.sites.example/wp-admin/"
    assert site.headline and site.content_job and site.content_job.startswith("content-")

    patches = applied(state)
    assert len(patches) == 30 and patches[0]["path"] == NS_PATH
    assert all(r["query"]["fieldManager"] == "kenzy" and r["status"] in (200, 201) for r in patches)
    assert [r["method"] for r in state.requests[30:]] == ["GET", "GET"]  # one rollout poll: both lists ready
    record = await k.context.store.get(SUB)
    assert record is not None and record.status is SiteState.ACTIVE and record.runtime == "k8s"

    # The Secrets carry the stored passwords, never the placeholder; the Job carries the copy.
    creds = await k.credentials(SUB)
    secrets = secret_bodies(patches)
    assert secrets[f"{NS_PATH}/secrets/mariadb"]["password"] == creds.db_password.get_secret_value()
    assert secrets[f"{NS_PATH}/secrets/wordpress"]["admin-password"] == creds.admin_password.get_secret_value()
    assert REDACTED not in str(secrets)
    steps = next(r["body"] for r in patches if r["path"].endswith("/configmaps/content-steps"))
    assert {"requests--install.json", "requests--acf_import.json", "requests--content.json"} <= set(steps["data"])
    assert site.headline in steps["data"]["requests--content.json"]
    assert creds.admin_password.get_secret_value() not in str(steps)

    names = [step for step, _, _ in seen]
    assert names[:3] == ["writing the copy and making the images", "apply", f"apply Namespace {NS}"]
    assert "rollout" in names and names[-1] == "rollout done"
    journal = [(e["step"], e["state"]) for e in await k.context.store.journal_for(SUB)]
    assert journal == [("apply", "started"), ("apply", "done"), ("rollout", "started"), ("rollout", "done")]


async def test_running_it_again_is_a_no_op_with_the_same_secrets(kz: Any) -> None:
    k, state, _ = kz
    await k.provision_k8s(**PLAN)
    first = applied(state)
    versions = {path: obj["metadata"]["resourceVersion"] for path, obj in state.objects.items()}

    again = await k.provision_k8s(**PLAN)
    second = applied(state, len(first))
    assert not again.created and again.content_job is None and again.objects == 27
    assert secret_bodies(second) == secret_bodies(first)  # salts and root password too: nothing rotates
    assert {r["path"] for r in second} == {r["path"] for r in first if "/content-" not in r["path"]}
    assert {path: obj["metadata"]["resourceVersion"] for path, obj in state.objects.items()} == versions
    assert [s.subdomain for s in (await k.list_sites()).sites] == [SUB]

    with pytest.raises(SiteConflict, match="already belongs to"):
        await k.provision_k8s(**{**PLAN, "business_name": "Pizzaria Bela Vista", "subdomain": SUB})


async def test_a_crashed_attempt_is_cleared_and_started_over(kz: Any) -> None:
    k, state, _ = kz
    await k.provision_k8s(**PLAN)
    await k.context.store.set_status(SUB, SiteState.CREATING)  # as if the process died mid-way
    site = await k.provision_k8s(**PLAN)
    assert site.created and site.status is SiteState.ACTIVE
    assert [r["path"] for r in state.calls("DELETE")] == [NS_PATH]


async def test_destroy_deletes_the_namespace_and_the_record(kz: Any) -> None:
    k, state, seen = kz
    await k.provision_k8s(**PLAN)
    result = await k.destroy_site(subdomain=SUB)
    assert result.removed == [f"namespace {NS}", "record"]
    delete = state.calls("DELETE")
    assert [(r["path"], r["query"]) for r in delete] == [(NS_PATH, {"propagationPolicy": "Foreground"})]
    assert state.get(NS_PATH) is None and not [p for p in state.objects if NS in p]
    assert await k.context.store.get(SUB) is None and seen[-1] == (f"delete namespace {NS}", 1, 1)
    with pytest.raises(SiteNotFound):
        await k.destroy_site(subdomain=SUB)


async def test_status_reads_readiness_from_the_cluster(kz: Any) -> None:
    k, state, _ = kz
    await k.provision_k8s(**PLAN)
    status = await k.site_status(subdomain=SUB)
    assert status.summary == "3/3 workloads ready" and status.http_status is None
    assert status.checks == {"namespace": True, "statefulset/mariadb": True, "deployment/redis": True,
                             "deployment/wordpress": True, "ingress": True}
    state.stuck.add("wordpress")
    status = await k.site_status(subdomain=SUB)
    assert status.summary == "2/3 workloads ready" and status.checks["deployment/wordpress"] is False


async def test_a_422_mid_apply_rolls_back_and_names_the_object(kz: Any) -> None:
    k, state, _ = kz
    state.fail_next(1, 422, match="/deployments/wordpress",
                    message='Deployment.apps "wordpress" is invalid: spec.replicas: Invalid value: -1')
    with pytest.raises(ProvisionError) as caught:
        await k.provision_k8s(**PLAN)
    message = str(caught.value)
    assert "step 'apply' failed" in message and f"Deployment {NS}/wordpress" in message and "HTTP 422" in message
    assert "spec.replicas" in message and "rolled back" in message
    assert [r["path"] for r in state.calls("DELETE")] == [NS_PATH] and state.get(NS_PATH) is None
    assert await k.context.store.get(SUB) is None
    assert await k.context.store.credentials(SUB) is None


async def test_a_rollout_timeout_rolls_back(tmp_path: Path) -> None:
    with k8s_api_double(TOKEN, rollout_delay=None) as (url, state):  # workloads never become ready
        k = Kenzy(settings_for(tmp_path, url, kube_rollout_timeout=0.3))
        with pytest.raises(ProvisionError) as caught:
            await k.provision_k8s(**PLAN)
        assert "step 'rollout' failed" in str(caught.value) and "not finished after 0.3 s" in str(caught.value)
        assert "Deployment wordpress 0/1" in str(caught.value)
        assert state.get(NS_PATH) is None and await k.context.store.get(SUB) is None


async def test_without_a_cluster_it_says_what_to_set(tmp_path: Path) -> None:
    k = Kenzy(Settings(home=tmp_path))
    with pytest.raises(NotConfigured, match="KENZY_KUBE_CONTEXT.*KENZY_KUBE_HOST"):
        await k.provision_k8s(**PLAN)
    assert await k.context.store.list() == []


async def test_an_invalid_option_creates_nothing(tmp_path: Path, double: tuple[str, DoubleState]) -> None:
    k = Kenzy(settings_for(tmp_path, double[0], k8s_tier="huge"))
    with pytest.raises(InvalidInput, match="tier"):
        await k.provision_k8s(**PLAN)
    assert double[1].requests == [] and await k.context.store.list() == []


async def test_local_only_tools_refuse_k8s_sites_and_fill_content_makes_a_new_job(kz: Any) -> None:
    k, state, _ = kz
    first = await k.provision_k8s(**PLAN)
    for tool, text in [("import_acf", "content Job"), ("backup", "CronJob"), ("verify_backup", "CronJob"),
                       ("backup_policy", "CronJob"), ("list_backups", "CronJob"), ("issue_certificate", "cert-manager")]:
        with pytest.raises(UsageError, match=f"runs on Kubernetes: .*{text}"):
            await getattr(k, tool)(subdomain=SUB)
    assert not (k.settings.home / "stack").exists()  # the local runtime was never started

    before = len(state.calls("PATCH"))
    filled = await k.fill_content(subdomain=SUB, options={"whatsapp": "(84) 98888-1234"})
    patches = state.calls("PATCH")[before:]
    jobs = [r["path"].rsplit("/", 1)[1] for r in patches if "/jobs/" in r["path"]]
    assert [r["path"].rsplit("/", 1)[1] for r in patches] == ["content-steps", "content-uploads", jobs[0]]
    assert jobs[0] != first.content_job and filled.meta_rows > 0
    # The hero and logo (with their sizes) travel as the uploads ConfigMap's binaryData.
    import base64

    uploads = patches[1]["body"]["binaryData"]
    assert sorted(uploads) == filled.images and any(n.startswith("kenzy-hero") for n in uploads)
    assert all(base64.b64decode(v)[:4] == b"RIFF" for v in uploads.values())  # WebP files
    job = patches[2]["body"]["spec"]["template"]["spec"]
    assert {"name": "uploads", "configMap": {"name": "content-uploads"}} in job["volumes"]
    assert "wp-content/uploads/kenzy/" in job["containers"][0]["command"][-1]
    assert filled.url == first.url and "5584988881234" in str(patches[0]["body"]["data"]["requests--content.json"])


async def test_create_uses_the_cluster_when_one_is_configured(kz: Any) -> None:
    k, _, _ = kz
    site = await k.create("Crie um site para a Pizzaria Bella em Natal, com delivery")
    assert site.runtime == "k8s" and site.url.startswith("https://") and site.headline
    assert [s.split(":")[0] for s in site.skipped] == ["set_dns"]


async def test_the_supervisor_provisions_on_the_cluster_and_says_so(tmp_path: Path,
                                                                    double: tuple[str, DoubleState]) -> None:
    from kenzy.agents.supervisor import Supervisor

    supervisor = Supervisor(ToolContext(settings_for(tmp_path, double[0])))
    assert supervisor.offline and "call provision_k8s" in str(supervisor.agent.instructions)
    reply = await supervisor.ask("Crie um site para a Pizzaria Bella em Natal, com delivery")
    assert reply.tool_calls == ["plan_site", "provision_k8s", "set_dns"]
    assert f"no Kubernetes (namespace {NS})" in reply.text and reply.site_url == f"https://{SUB}.sites.example"
    assert "KENZY_DNS_PROVIDER" in reply.text

    status = await supervisor.ask("qual o status do site?")
    assert status.tool_calls == ["site_status"] and "no ar" in status.text and "3/3 workloads ready" in status.text
    asked = await supervisor.ask("apague o site")
    assert [p.tool for p in asked.pending] == ["destroy_site"]
    done = await supervisor.confirm(True)
    assert "apagado" in done.text and double[1].get(NS_PATH) is None

"""The Kubernetes client (`kenzy.runtimes.k8s.client`) against a local double of the Kubernetes API."""

from __future__ import annotations

import asyncio
import datetime
import logging
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
import yaml
from pydantic import SecretStr

from k8s_api_double import DoubleState, k8s_api_double
from kenzy.errors import (
    InvalidInput,
    KubeAuthError,
    KubeConfigError,
    KubeConflict,
    KubeInvalid,
    KubeNotFound,
    KubeTimeout,
    KubeUnavailable,
)
from kenzy.runtimes.k8s._readiness import workload_status
from kenzy.runtimes.k8s.client import KubeClient, KubeConnection, RetryPolicy
from kenzy.settings import Settings

pytestmark = pytest.mark.anyio

TOKEN = "k8s-test-token-s3cr3t-0123456789"
NS = "site-acme"
FAST = RetryPolicy(attempts=4, backoff=0.001)


# -- a small site, inline (independent of the manifest renderer) ---------------------------------
def _meta(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "namespace": NS, "labels": {"app.kubernetes.io/part-of": "kenzy"}, **extra}


def _pod_template(app: str) -> dict[str, Any]:
    return {"metadata": {"labels": {"app": app}},
            "spec": {"containers": [{"name": app, "image": f"{app}:1"}]}}


def _workload(kind: str, name: str, **spec: Any) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": _meta(name),
            "spec": {"selector": {"matchLabels": {"app": name}}, "template": _pod_template(name), **spec}}


def site() -> list[dict[str, Any]]:
    """One of each kind kenzy renders, deliberately out of order (the Namespace is not first)."""
    ref = {"apiGroup": "rbac.authorization.k8s.io"}
    return [
        _workload("Deployment", "wordpress", replicas=2),
        {"apiVersion": "v1", "kind": "Service", "metadata": _meta("wordpress"),
         "spec": {"selector": {"app": "wordpress"}, "ports": [{"port": 80}]}},
        {"apiVersion": "v1", "kind": "Namespace",
         "metadata": {"name": NS, "labels": {"pod-security.kubernetes.io/enforce": "baseline"}}},
        _workload("StatefulSet", "mariadb", serviceName="mariadb"),
        {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": _meta("wordpress"),
         "spec": {"rules": [{"host": "acme.example.com"}]}},
        {"apiVersion": "v1", "kind": "Secret", "metadata": _meta("db"), "stringData": {"password": "hunter2"}},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta("nginx"), "data": {"a": "b"}},
        {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": _meta("wp-content"),
         "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}},
        {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": _meta("default-deny"),
         "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}},
        {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": _meta("quota"), "spec": {"hard": {"limits.cpu": "1"}}},
        {"apiVersion": "v1", "kind": "LimitRange", "metadata": _meta("limits"), "spec": {"limits": []}},
        {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": _meta("wordpress"),
         "spec": {"minReplicas": 1, "maxReplicas": 10}},
        {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": _meta("wordpress"),
         "spec": {"minAvailable": 1}},
        {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": _meta("backup"), "spec": {"schedule": "0 3 * * *"}},
        {"apiVersion": "batch/v1", "kind": "Job", "metadata": _meta("import-acf"), "spec": {"backoffLimit": 2}},
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _meta("backup")},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": _meta("backup"), "rules": []},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": _meta("backup"),
         "roleRef": {**ref, "kind": "Role", "name": "backup"}, "subjects": [{"kind": "ServiceAccount", "name": "backup"}]},
    ]


# The REST path of every object, written out by hand from the Kubernetes API reference.
EXPECTED_PATHS = {
    "/api/v1/namespaces/site-acme",
    "/apis/networking.k8s.io/v1/namespaces/site-acme/networkpolicies/default-deny",
    "/api/v1/namespaces/site-acme/resourcequotas/quota",
    "/api/v1/namespaces/site-acme/limitranges/limits",
    "/api/v1/namespaces/site-acme/serviceaccounts/backup",
    "/apis/rbac.authorization.k8s.io/v1/namespaces/site-acme/roles/backup",
    "/apis/rbac.authorization.k8s.io/v1/namespaces/site-acme/rolebindings/backup",
    "/api/v1/namespaces/site-acme/secrets/db",
    "/api/v1/namespaces/site-acme/configmaps/nginx",
    "/api/v1/namespaces/site-acme/persistentvolumeclaims/wp-content",
    "/api/v1/namespaces/site-acme/services/wordpress",
    "/apis/apps/v1/namespaces/site-acme/statefulsets/mariadb",
    "/apis/apps/v1/namespaces/site-acme/deployments/wordpress",
    "/apis/autoscaling/v2/namespaces/site-acme/horizontalpodautoscalers/wordpress",
    "/apis/policy/v1/namespaces/site-acme/poddisruptionbudgets/wordpress",
    "/apis/batch/v1/namespaces/site-acme/jobs/import-acf",
    "/apis/batch/v1/namespaces/site-acme/cronjobs/backup",
    "/apis/networking.k8s.io/v1/namespaces/site-acme/ingresses/wordpress",
}


# -- fixtures -------------------------------------------------------------------------------------
@pytest.fixture
def served() -> Iterator[tuple[str, DoubleState]]:
    with k8s_api_double(TOKEN) as pair:
        yield pair


@pytest.fixture
def state(served: tuple[str, DoubleState]) -> DoubleState:
    return served[1]


def client(url: str, token: str = TOKEN, **kwargs: Any) -> KubeClient:
    kwargs.setdefault("retry", FAST)
    return KubeClient(KubeConnection(host=url, token=SecretStr(token)), poll_interval=0.01, **kwargs)


@pytest.fixture
async def kube(served: tuple[str, DoubleState]) -> AsyncIterator[KubeClient]:
    async with client(served[0]) as k:
        yield k


def patches(state: DoubleState) -> list[str]:
    return [r["path"] for r in state.calls("PATCH")]


# -- apply ----------------------------------------------------------------------------------------
async def test_apply_sends_one_server_side_apply_per_object_namespace_first(kube: KubeClient,
                                                                            state: DoubleState) -> None:
    manifests = site()
    steps: list[tuple[str, int, int]] = []
    applied = await kube.apply(manifests, progress=lambda *step: steps.append(step))

    calls = state.calls()
    assert len(calls) == len(manifests) == kube.requests == 18
    assert {r["path"] for r in calls} == EXPECTED_PATHS
    assert calls[0]["path"] == f"/api/v1/namespaces/{NS}", "the Namespace goes first"
    for call in calls:
        assert call["method"] == "PATCH" and call["status"] == 201
        assert call["headers"]["content-type"] == "application/apply-patch+yaml"
        assert call["headers"]["authorization"] == f"Bearer {TOKEN}"
        assert call["query"] == {"fieldManager": "kenzy", "force": "true"}
    kinds = [path.split("/")[-2] for path in patches(state)]
    assert kinds.index("limitranges") < kinds.index("statefulsets") < kinds.index("deployments") < kinds.index("ingresses")
    # the body is the manifest itself, and the double stored exactly that
    by_path = {r["path"]: r["body"] for r in calls}
    assert by_path["/apis/apps/v1/namespaces/site-acme/deployments/wordpress"] == manifests[0]
    stored = state.get("/api/v1/namespaces/site-acme/secrets/db")
    assert stored is not None and stored["stringData"] == {"password": "hunter2"}
    assert [a.kind for a in applied][:1] == ["Namespace"] and all(a.uid and a.resource_version for a in applied)
    assert steps[0] == (f"apply Namespace {NS}", 1, 18) and steps[-1][1:] == (18, 18)
    assert manifests == site(), "the caller's manifests are not modified"


async def test_reapplying_the_same_manifests_changes_nothing(kube: KubeClient, state: DoubleState) -> None:
    first = await kube.apply(site())
    again = await kube.apply(site())

    assert kube.requests == 2 * 18, "a re-apply sends one request per object, nothing more"
    assert again == first, "same uid, resourceVersion and generation: nothing changed"
    changed = site()
    changed[0]["spec"]["replicas"] = 3
    third = {(a.kind, a.name): a for a in await kube.apply(changed)}
    assert third[("Deployment", "wordpress")].generation == 2
    assert third[("StatefulSet", "mariadb")].generation == 1
    assert sum(a != b for a, b in zip(first, third.values(), strict=True)) == 1


async def test_namespaced_objects_need_their_namespace(kube: KubeClient, state: DoubleState) -> None:
    without_namespace = [m for m in site() if m["kind"] != "Namespace"][:1]
    with pytest.raises(KubeNotFound) as caught:
        await kube.apply(without_namespace)
    assert 'namespaces "site-acme" not found' in str(caught.value)
    assert "Deployment site-acme/wordpress" in str(caught.value)


async def test_force_takes_over_fields_another_manager_set(kube: KubeClient, state: DoubleState) -> None:
    await kube.apply(site()[2:3])
    path = "/apis/apps/v1/namespaces/site-acme/deployments/wordpress"
    state.seed(path, _workload("Deployment", "wordpress", replicas=5), manager="kubectl")

    await kube.apply(site()[:1])

    stored = state.get(path)
    assert stored is not None and stored["spec"]["replicas"] == 2
    assert stored["metadata"]["managedFields"][0]["manager"] == "kenzy"


@pytest.mark.parametrize("broken, message", [
    ({"apiVersion": "v1", "kind": "Widget", "metadata": {"name": "w", "namespace": NS}}, "does not apply kind 'Widget'"),
    ({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}}, "Secret s needs metadata.namespace"),
    ({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n", "namespace": NS}}, "must not have"),
    ({"apiVersion": "extensions/v1beta1", "kind": "Deployment", "metadata": _meta("d")}, "not in group 'apps'"),
    ({"apiVersion": "v1", "kind": "Secret", "metadata": {"namespace": NS}}, "metadata.name are required"),
    (site()[0], "appears twice"),
])
async def test_bad_manifests_are_rejected_before_any_request(kube: KubeClient, state: DoubleState,
                                                             broken: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        await kube.apply([*site(), broken])
    assert state.requests == []


# -- retries and errors ---------------------------------------------------------------------------
async def test_429_and_5xx_are_retried(kube: KubeClient, state: DoubleState,
                                       caplog: pytest.LogCaptureFixture) -> None:
    state.fail_next(2, 429, retry_after="0", message="Too many requests, please try again later.")
    state.fail_next(1, 503)
    state.fail_next(1, 500, match="deployments")
    with caplog.at_level(logging.INFO, logger="kenzy.runtimes.k8s"):
        await kube.apply(site())

    assert kube.requests == 18 + 4
    assert [r["status"] for r in state.requests[:4]] == [429, 429, 503, 201]
    assert [r["status"] for r in state.requests if "deployments" in r["path"]] == [500, 201]
    retries = [r.getMessage() for r in caplog.records if "retry" in r.getMessage()]
    assert len(retries) == 4 and "HTTP 429; retry 1 in 0.00 s (Retry-After: 0)" in retries[0]
    assert TOKEN not in caplog.text


def test_backoff_grows_with_jitter_and_honours_retry_after() -> None:
    policy = RetryPolicy(attempts=6, backoff=0.5, max_delay=10)
    assert policy.delay(1, "3") == 3.0
    assert policy.delay(4, "120") == 10.0, "capped"
    for attempt, base in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0)]:
        delays = {policy.delay(attempt) for _ in range(50)}
        assert all(0.5 * base <= d <= 1.5 * base for d in delays) and len(delays) > 1
        assert 0.5 * base <= policy.delay(attempt, "Wed, 21 Oct 2015 07:28:00 GMT") <= 1.5 * base
    assert policy.delay(8) == 10.0


async def test_retries_are_bounded(kube: KubeClient, state: DoubleState) -> None:
    state.fail_next(10, 503, message="etcdserver: leader changed")
    with pytest.raises(KubeUnavailable) as caught:
        await kube.apply(site())
    assert len(state.requests) == FAST.attempts
    assert "HTTP 503" in str(caught.value) and "Namespace site-acme" in str(caught.value)
    assert "etcdserver: leader changed" in str(caught.value)


async def test_unreachable_api_is_reported_after_retries() -> None:
    with k8s_api_double(TOKEN) as (url, _):
        pass  # the port is closed again
    async with client(url) as kube:
        with pytest.raises(KubeUnavailable, match=r"cannot reach the API at http://127\.0\.0\.1"):
            await kube.status(NS)
        assert kube.requests == FAST.attempts


async def test_conflict_names_the_object_and_is_not_retried(kube: KubeClient, state: DoubleState) -> None:
    await kube.apply(site()[2:3])
    state.fail_next(1, 409, match="deployments",
                    message='Apply failed with 1 conflict: conflict with "helm" using apps/v1: .spec.replicas')
    with pytest.raises(KubeConflict) as caught:
        await kube.apply(site()[:1])
    text = str(caught.value)
    assert "HTTP 409" in text and "Deployment site-acme/wordpress" in text
    assert 'conflict with "helm" using apps/v1: .spec.replicas' in text
    assert caught.value.status == 409 and caught.value.target == "Deployment site-acme/wordpress"
    assert len(state.calls("PATCH")) == 2


async def test_applying_a_terminating_namespace_is_a_clear_conflict(kube: KubeClient, state: DoubleState) -> None:
    await kube.apply(site())
    state.delete_delay = None  # a finalizer keeps it Terminating
    assert await kube.delete_namespace(NS, wait=False) is True

    with pytest.raises(KubeConflict, match="The system is ensuring all content is removed") as caught:
        await kube.apply(site())
    assert "Namespace site-acme" in str(caught.value) and "wait until the namespace has been deleted" in str(caught.value)


async def test_invalid_object_is_reported_with_the_api_message(kube: KubeClient, state: DoubleState) -> None:
    manifests = site()
    manifests[0]["spec"]["template"]["metadata"]["labels"] = {"app": "other"}
    with pytest.raises(KubeInvalid) as caught:
        await kube.apply(manifests)
    text = str(caught.value)
    assert "HTTP 422" in text and "Deployment site-acme/wordpress" in text
    assert 'Deployment.apps "wordpress" is invalid' in text and "`selector` does not match template `labels`" in text
    assert [r["status"] for r in state.requests].count(422) == 1, "not retried"
    assert state.get("/apis/apps/v1/namespaces/site-acme/deployments/wordpress") is None


async def test_wrong_token_says_the_credentials_are_wrong(served: tuple[str, DoubleState]) -> None:
    url, state = served
    async with client(url, token="not-the-token-" + TOKEN[::-1]) as kube:
        with pytest.raises(KubeAuthError, match=r"HTTP 401.*credentials were rejected") as caught:
            await kube.apply(site())
    assert len(state.requests) == 1
    assert TOKEN[::-1] not in str(caught.value) and TOKEN not in repr(caught.value.__cause__)


async def test_missing_rbac_rights_are_named(kube: KubeClient, state: DoubleState) -> None:
    state.forbid("PATCH", "rolebindings")
    with pytest.raises(KubeAuthError) as caught:
        await kube.apply(site())
    text = str(caught.value)
    assert "HTTP 403" in text and "RBAC" in text and "RoleBinding site-acme/backup" in text
    assert 'cannot patch resource "rolebindings" in API group "rbac.authorization.k8s.io"' in text


# -- rollout --------------------------------------------------------------------------------------
async def test_wait_rollout_reports_progress_until_ready(kube: KubeClient, state: DoubleState) -> None:
    state.stuck.update({"mariadb", "wordpress"})
    await kube.apply(site())
    steps: list[tuple[str, int, int]] = []

    def progress(step: str, ready: int, total: int) -> None:
        steps.append((step, ready, total))
        state.stuck.discard("mariadb" if len(steps) == 1 else "wordpress")  # the pods come up one by one

    ready = await kube.wait_rollout(NS, timeout=30, progress=progress)

    assert sorted((w.kind, w.name, w.ready_replicas) for w in ready) == [
        ("Deployment", "wordpress", 2), ("StatefulSet", "mariadb", 1)]
    assert steps == [("rollout: waiting for mariadb, wordpress", 0, 2), ("rollout: waiting for wordpress", 1, 2),
                     ("rollout done", 2, 2)]
    assert [r["path"].rsplit("/", 1)[1] for r in state.calls("GET")] == ["statefulsets", "deployments"] * 3


async def test_rollout_timeout_names_each_pending_workload_and_leaves_nothing_running(
        kube: KubeClient, state: DoubleState) -> None:
    await kube.apply(site())
    await kube.wait_rollout(NS, timeout=30)
    state.rollout_delay = None  # the new version never becomes ready
    changed = site()
    for manifest in changed[0], changed[3]:
        manifest["spec"]["template"]["spec"]["containers"][0]["image"] = "broken:2"
    await kube.apply(changed)
    tasks_before = len(asyncio.all_tasks())

    with pytest.raises(KubeTimeout) as caught:
        await kube.wait_rollout(NS, timeout=0.2)

    text = str(caught.value)
    assert "rollout in namespace site-acme not finished after 0.2 s" in text
    assert "Deployment wordpress 2/2 (waiting: 1 of 2 replicas updated)" in text
    assert "StatefulSet mariadb 1/1 (waiting: pods moving to revision mariadb-" in text
    assert len(asyncio.all_tasks()) == tasks_before
    assert (await kube.status(NS)).summary == "0/2 workloads ready", "the client still works"


async def test_rollout_of_a_stuck_new_workload(kube: KubeClient, state: DoubleState) -> None:
    state.stuck.add("mariadb")
    await kube.apply(site())
    with pytest.raises(KubeTimeout, match=r"StatefulSet mariadb 0/1 \(waiting: 0 of 1 pods ready\)") as caught:
        await kube.wait_rollout(NS, timeout=0.1)
    assert "wordpress" not in str(caught.value)


@pytest.mark.parametrize("kind, obj, waiting", [
    ("Deployment", {"metadata": {"name": "d", "generation": 3},
                    "spec": {"replicas": 1},
                    "status": {"observedGeneration": 2, "replicas": 1, "updatedReplicas": 1, "readyReplicas": 1,
                               "availableReplicas": 1}}, "the controller has not seen the latest spec yet"),
    ("Deployment", {"metadata": {"name": "d", "generation": 1}, "spec": {"replicas": 2},
                    "status": {"observedGeneration": 1, "replicas": 3, "updatedReplicas": 2, "readyReplicas": 3,
                               "availableReplicas": 3}}, "1 old replicas pending termination"),
    ("Deployment", {"metadata": {"name": "d", "generation": 1}, "spec": {"replicas": 0},
                    "status": {"observedGeneration": 1}}, None),
    ("Deployment", {"metadata": {"name": "d", "generation": 1}, "spec": {},
                    "status": {"observedGeneration": 1, "replicas": 1, "updatedReplicas": 1, "readyReplicas": 1}},
     "0 of 1 updated replicas available"),
    ("Deployment", {"metadata": {"name": "d", "generation": 1}, "spec": {},
                    "status": {"observedGeneration": 1, "replicas": 1, "updatedReplicas": 1, "conditions": [
                        {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded",
                         "message": 'ReplicaSet "d-5f7" has timed out progressing.'}]}},
     '0 of 1 updated replicas available; progress deadline exceeded: ReplicaSet "d-5f7" has timed out progressing.'),
    ("StatefulSet", {"metadata": {"name": "s", "generation": 2},
                     "spec": {"replicas": 1, "updateStrategy": {"type": "OnDelete"}},
                     "status": {"observedGeneration": 2, "readyReplicas": 1, "currentRevision": "s-1",
                                "updateRevision": "s-2"}}, None),
    ("StatefulSet", {"metadata": {"name": "s", "generation": 2}, "spec": {"replicas": 1},
                     "status": {"observedGeneration": 2, "readyReplicas": 1, "currentRevision": "s-1",
                                "updateRevision": "s-2"}}, "pods moving to revision s-2"),
])
def test_readiness_rules(kind: Any, obj: dict[str, Any], waiting: str | None) -> None:
    status = workload_status(kind, obj)
    assert (status.ready, status.waiting_for) == (waiting is None, waiting)


# -- delete and status ----------------------------------------------------------------------------
async def test_delete_namespace_waits_until_it_is_gone(kube: KubeClient, state: DoubleState) -> None:
    await kube.apply(site())
    state.delete_delay = None
    deleted: list[bool] = []
    async with anyio.create_task_group() as tg:
        tg.start_soon(lambda: _collect(deleted, kube.delete_namespace(NS)))
        with anyio.fail_after(10):
            while not any(r["method"] == "GET" and r["status"] == 200 for r in state.requests):
                await anyio.sleep(0.01)
        assert deleted == [], "still waiting while the namespace is Terminating"
        assert state.get(f"/api/v1/namespaces/{NS}")["status"]["phase"] == "Terminating"  # type: ignore[index]
        state.finish_deletion(NS)

    assert deleted == [True]
    [delete] = state.calls("DELETE")
    assert delete["path"] == "/api/v1/namespaces/site-acme" and delete["query"] == {"propagationPolicy": "Foreground"}
    assert state.calls("GET")[-1]["status"] == 404
    assert state.objects == {}, "the namespace took its objects along"
    assert await kube.delete_namespace(NS) is False, "deleting again is a no-op"


async def _collect(into: list[Any], awaitable: Any) -> None:
    into.append(await awaitable)


async def test_delete_namespace_timeout_names_what_blocks_it(kube: KubeClient, state: DoubleState) -> None:
    await kube.apply(site())
    state.delete_delay = None
    with pytest.raises(KubeTimeout, match=r"namespace site-acme still Terminating after 0.1 s: .*finalizers"):
        await kube.delete_namespace(NS, timeout=0.1)


async def test_status_reports_readiness_and_ingress_host(kube: KubeClient, state: DoubleState) -> None:
    missing = await kube.status(NS)
    assert (missing.exists, missing.ready, missing.summary) == (False, False, "namespace site-acme does not exist")

    state.stuck.add("wordpress")
    await kube.apply(site())
    status = await kube.status(NS)
    assert status.model_dump(include={"exists", "phase", "ingress_hosts", "ready", "summary"}) == {
        "exists": True, "phase": "Active", "ingress_hosts": ["acme.example.com"], "ready": False,
        "summary": "1/2 workloads ready"}

    state.stuck.clear()
    assert (await kube.status(NS)).ready is True


# -- configuration --------------------------------------------------------------------------------
def write_kubeconfig(path: Path, clusters: dict[str, tuple[str, str]], current: str) -> Path:
    """A kubeconfig with one context (cluster and user alike) per entry: name -> (server, token)."""
    config = {
        "apiVersion": "v1", "kind": "Config", "current-context": current, "preferences": {},
        "clusters": [{"name": n, "cluster": {"server": server}} for n, (server, _) in clusters.items()],
        "users": [{"name": n, "user": {"token": token}} for n, (_, token) in clusters.items()],
        "contexts": [{"name": n, "context": {"cluster": n, "user": n, "namespace": "default"}} for n in clusters],
    }
    path.write_text(yaml.safe_dump(config))
    return path


async def test_kubeconfig_context_is_selectable(served: tuple[str, DoubleState], tmp_path: Path) -> None:
    url, state = served
    kubeconfig = write_kubeconfig(tmp_path / "config", {"staging": (url, "stale-token"), "kind-kenzy": (url, TOKEN)},
                                  current="staging")

    settings = Settings(home=tmp_path, kube_config=kubeconfig, kube_context="kind-kenzy")
    async with KubeClient.from_settings(settings, retry=FAST) as kube:
        assert (await kube.status(NS)).exists is False
    assert state.requests[-1]["headers"]["authorization"] == f"Bearer {TOKEN}"

    async with KubeClient.from_settings(Settings(home=tmp_path, kube_config=kubeconfig), retry=FAST) as kube:
        with pytest.raises(KubeAuthError):
            await kube.status(NS)  # the current context, staging, has a stale token
    assert state.requests[-1]["headers"]["authorization"] == "Bearer stale-token"

    with pytest.raises(KubeConfigError, match="context 'prod'.*its contexts are: staging, kind-kenzy"):
        async with KubeClient.from_settings(Settings(home=tmp_path, kube_config=kubeconfig, kube_context="prod")):
            pass


async def test_configuration_errors_say_what_to_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    cases = [(Settings(home=tmp_path, kube_in_cluster=True), "not running inside a Kubernetes pod"),
             (Settings(home=tmp_path, kube_host="https://127.0.0.1:6443"), "KENZY_KUBE_TOKEN is not"),
             (Settings(home=tmp_path, kube_config=tmp_path / "missing"), "set KENZY_KUBE_CONFIG")]
    for settings, message in cases:
        kube = KubeClient.from_settings(settings)
        with pytest.raises(KubeConfigError, match=message):
            await kube.status(NS)
        await kube.aclose()


def make_tls(directory: Path) -> tuple[Path, Path, Path]:
    """A CA and a server certificate for 127.0.0.1 it signed: (ca.crt, server.crt, server.key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    now = datetime.datetime.now(datetime.UTC)

    def cert(subject: str, key: Any, issuer: str, signer: Any, ca: bool) -> x509.Certificate:
        builder = (x509.CertificateBuilder()
                   .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
                   .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(hours=1))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if ca:
            builder = builder.add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                                            critical=True)
            builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        else:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), critical=False)
        return builder.sign(signer, hashes.SHA256())

    ca_key, server_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    paths = directory / "ca.crt", directory / "server.crt", directory / "server.key"
    paths[0].write_bytes(cert("kenzy test CA", ca_key, "kenzy test CA", ca_key, True).public_bytes(
        serialization.Encoding.PEM))
    paths[1].write_bytes(cert("kube-apiserver", server_key, "kenzy test CA", ca_key, False).public_bytes(
        serialization.Encoding.PEM))
    paths[2].write_bytes(server_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
    return paths


async def test_explicit_host_over_tls_uses_the_ca_file(tmp_path: Path) -> None:
    ca, certificate, key = make_tls(tmp_path)
    with k8s_api_double(TOKEN, tls=(certificate, key)) as (url, state):
        settings = Settings(home=tmp_path, kube_host=url, kube_token=TOKEN, kube_ca_file=ca)
        async with KubeClient.from_settings(settings, retry=FAST) as kube:
            await kube.apply(site()[2:3])
        async with KubeClient.from_settings(settings.model_copy(update={"kube_ca_file": None}), retry=FAST) as kube:
            with pytest.raises(KubeUnavailable, match="cannot reach"):
                await kube.status(NS)  # the system CAs do not know the test CA
        insecure = settings.model_copy(update={"kube_ca_file": None, "kube_insecure": True})
        async with KubeClient.from_settings(insecure, retry=FAST) as kube:
            assert (await kube.status(NS)).exists is True
    assert [r["status"] for r in state.requests[:2]] == [201, 200]


def test_importing_the_client_does_not_load_kubernetes_asyncio() -> None:
    code = ("import sys, kenzy.runtimes.k8s.client; "
            "print(sorted(m for m in ('kubernetes_asyncio', 'aiohttp') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_site_fixture_is_complete() -> None:
    """Every kind the client knows appears in the test site, so the path table is fully checked."""
    from kenzy.runtimes.k8s._kinds import KINDS

    assert {m["kind"] for m in site()} == set(KINDS)

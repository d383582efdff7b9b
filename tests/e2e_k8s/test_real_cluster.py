"""End to end on a real cluster: render a site, apply it, wait for the rollout, fetch a page
through the ingress controller, delete the namespace. Run by ``.github/workflows/k8s-e2e.yml``
(kind + ingress-nginx); skipped unless ``KENZY_E2E_KUBECONFIG`` names a kubeconfig.

Environment:
    KENZY_E2E_KUBECONFIG   kubeconfig of the cluster (required)
    KENZY_E2E_CONTEXT      context in it (default: its current-context)
    KENZY_E2E_INGRESS_URL  where the ingress controller answers (default ``http://127.0.0.1``)
    KENZY_E2E_TIMEOUT      seconds for the rollout and the deletion (default 600: image pulls)
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

KUBECONFIG = os.environ.get("KENZY_E2E_KUBECONFIG")
if not KUBECONFIG:
    pytest.skip("real-cluster test: set KENZY_E2E_KUBECONFIG to run it", allow_module_level=True)

pytestmark = pytest.mark.anyio

TIMEOUT = float(os.environ.get("KENZY_E2E_TIMEOUT", "600"))
INGRESS = os.environ.get("KENZY_E2E_INGRESS_URL", "http://127.0.0.1").rstrip("/")


def _progress(step: str, index: int, total: int) -> None:
    print(f"[{index}/{total}] {step}", file=sys.stderr, flush=True)


async def _get_through_ingress(host: str, path: str) -> tuple[int, str]:
    """GET ``path`` on ``host`` via the ingress address, following redirects on the same host
    (the site's name does not resolve on the CI runner, so the Host header carries it)."""
    import httpx

    headers = {"Host": host}
    async with httpx.AsyncClient(base_url=INGRESS, headers=headers, timeout=30, trust_env=False) as http:
        for _ in range(5):
            response = await http.get(path)
            if not response.is_redirect:
                return response.status_code, response.text
            location = urlsplit(response.headers["location"])
            assert location.hostname in (None, host), f"redirected off the site: {location.geturl()}"
            path = location.path + (f"?{location.query}" if location.query else "")
    raise AssertionError(f"too many redirects for {host}")


async def test_a_site_rolls_out_answers_through_the_ingress_and_is_deleted() -> None:
    from kenzy.models import SitePlan
    from kenzy.runtimes.k8s.client import KubeClient, KubeConnection
    from kenzy.runtimes.k8s.manifests import render_site  # part A's renderer
    from kenzy.runtimes.k8s.options import K8sOptions, K8sSecrets

    plan = SitePlan(business_name="Restaurante E2E", industry="restaurante",
                    subdomain=f"e2e-{uuid.uuid4().hex[:6]}", city="Campinas")
    # kind: no cert-manager and no RWX storage class, so plain HTTP and ReadWriteOnce.
    options = K8sOptions(base_domain="kenzy.test", tls=False, content_access_mode="ReadWriteOnce",
                         ingress_class="nginx", ingress_namespace="ingress-nginx")
    manifests = render_site(plan, options, K8sSecrets(), reveal_secrets=True)
    namespace = next(m["metadata"]["name"] for m in manifests if m["kind"] == "Namespace")
    context = os.environ.get("KENZY_E2E_CONTEXT") or None
    connection = KubeConnection(kubeconfig=Path(KUBECONFIG), context=context)

    async with KubeClient(connection, rollout_timeout=TIMEOUT, poll_interval=5) as kube:
        try:
            applied = await kube.apply(manifests, progress=_progress)
            print(f"applied {len(applied)} objects in {kube.requests} requests", file=sys.stderr)
            again = await kube.apply(manifests)
            assert [a.resource_version for a in again] == [a.resource_version for a in applied], \
                "re-applying the same manifests changes nothing"

            await kube.wait_rollout(namespace, progress=_progress)
            status = await kube.status(namespace)
            assert status.ready, status.summary
            assert status.ingress_hosts == [f"{plan.subdomain}.kenzy.test"]

            code, body = await _get_through_ingress(status.ingress_hosts[0], "/wp-login.php")
            assert code == 200, body[:500]
            assert "wp-" in body
        finally:
            await kube.delete_namespace(namespace, timeout=TIMEOUT)  # waits until it is gone
        assert (await kube.status(namespace)).exists is False

"""Kubernetes manifests, rendered and validated offline: strict schemas of two Kubernetes
versions, kenzy's own checks (each shown to catch a broken manifest), network isolation
between sites, secret redaction and ``kenzy render k8s``. No cluster and no stack needed."""

from __future__ import annotations

import copy
import ipaddress
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from kenzy import blueprints
from kenzy.errors import InvalidInput, ManifestInvalid
from kenzy.models import Site, SiteCredentials, SitePlan, SiteState
from kenzy.runtimes.k8s import _schemas, checks
from kenzy.runtimes.k8s._quantity import parse_quantity
from kenzy.runtimes.k8s._selectors import matches
from kenzy.runtimes.k8s.manifests import REDACTED, render_site, to_yaml
from kenzy.runtimes.k8s.options import TIERS, K8sOptions, K8sSecrets
from kenzy.runtimes.k8s.validation import problems, validate
from kenzy.settings import Settings

VERSIONS = ("1.30", "1.34")
Manifests = list[dict[str, Any]]


def site(industry: str = "restaurante", name: str = "Restaurante do João", **options: Any) -> Manifests:
    return render_site(SitePlan(business_name=name, industry=industry), K8sOptions(**options))


def find(objs: Manifests, kind: str, name: str | None = None) -> dict[str, Any]:
    return next(o for o in objs if o["kind"] == kind and (name is None or o["metadata"]["name"] == name))


def pod_spec(objs: Manifests, kind: str, name: str) -> dict[str, Any]:
    obj = find(objs, kind, name)
    return (obj["spec"]["jobTemplate"]["spec"] if kind == "CronJob" else obj["spec"])["template"]["spec"]


# -- every industry renders and validates ----------------------------------------------------

@pytest.mark.parametrize("industry", blueprints.industries())
def test_every_industry_validates_strictly_on_two_versions(industry: str) -> None:
    objs = site(industry, f"Casa {industry.title()}")
    validate(objs, VERSIONS)
    assert objs[0]["kind"] == "Namespace"
    assert objs[0]["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] in {"baseline", "restricted"}
    assert objs[0]["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "kenzy"
    kinds = {o["kind"] for o in objs}
    assert kinds == {"Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "Secret", "PersistentVolumeClaim",
                     "StatefulSet", "Service", "Deployment", "ConfigMap", "Ingress", "HorizontalPodAutoscaler",
                     "PodDisruptionBudget", "Job", "CronJob"}
    namespace = objs[0]["metadata"]["name"]
    assert all(o["metadata"]["namespace"] == namespace for o in objs[1:])


@pytest.mark.parametrize("tier", sorted(TIERS))
def test_every_tier_validates_and_sets_its_limits(tier: str) -> None:
    objs = site(tier=tier, tls=tier != "small", storage_class="fast" if tier == "large" else None)
    validate(objs, VERSIONS)
    php = pod_spec(objs, "Deployment", "wordpress")["containers"][0]
    assert php["resources"]["limits"] == TIERS[tier].limits.model_dump()
    assert find(objs, "HorizontalPodAutoscaler")["spec"]["maxReplicas"] == TIERS[tier].max_replicas


def test_defaults_follow_the_design() -> None:
    objs = site()
    hpa = find(objs, "HorizontalPodAutoscaler")["spec"]
    assert (hpa["minReplicas"], hpa["maxReplicas"]) == (1, 10)
    targets = {m["resource"]["name"]: m["resource"]["target"]["averageUtilization"] for m in hpa["metrics"]}
    assert targets == {"cpu": 70, "memory": 80}
    default = find(objs, "LimitRange")["spec"]["limits"][0]
    assert default["default"] == {"cpu": "1", "memory": "1Gi"}
    assert default["defaultRequest"] == {"cpu": "500m", "memory": "512Mi"}
    ingress = find(objs, "Ingress")
    assert ingress["spec"]["ingressClassName"] == "nginx"
    assert ingress["metadata"]["annotations"]["cert-manager.io/cluster-issuer"] == "letsencrypt"
    assert ingress["spec"]["tls"][0]["hosts"] == ["restaurante-do-joao.localhost"]
    redis = pod_spec(objs, "Deployment", "redis")["containers"][0]["command"]
    assert redis[redis.index("--save") + 1] == "" and redis[redis.index("--appendonly") + 1] == "no"
    assert "--maxmemory" in redis
    php = pod_spec(objs, "Deployment", "wordpress")["containers"][0]
    assert php["image"] == "wordpress:6-php8.2-fpm"
    assert find(objs, "CronJob")["spec"]["concurrencyPolicy"] == "Forbid"


def test_every_pod_is_locked_down() -> None:
    for obj in site():
        if obj["kind"] not in {"Deployment", "StatefulSet", "Job", "CronJob"}:
            continue
        spec = pod_spec([obj], obj["kind"], obj["metadata"]["name"])
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert spec["automountServiceAccountToken"] is False
        for c in spec["containers"]:
            assert c["securityContext"]["allowPrivilegeEscalation"] is False
            assert c["securityContext"]["capabilities"] == {"drop": ["ALL"]}
            assert c["resources"]["limits"] and c["resources"]["requests"]


def test_options_come_from_settings_and_reject_bad_values() -> None:
    settings = Settings(home=Path("/tmp/unused"), base_domain="sites.example", k8s_tier="large",
                        k8s_ingress_class="traefik", k8s_cluster_issuer="staging", k8s_storage_class="ssd")
    opts = K8sOptions.from_settings(settings, min_replicas=2)
    assert (opts.tier, opts.ingress_class, opts.cluster_issuer, opts.storage_class) == ("large", "traefik", "staging", "ssd")
    assert opts.base_domain == "sites.example" and opts.min_replicas == 2
    assert K8sOptions(content_access_mode="ReadWriteOnce").replica_ceiling == 1
    with pytest.raises(InvalidInput, match="tier"):
        K8sOptions(tier="huge")
    with pytest.raises(InvalidInput, match="ceiling"):
        K8sOptions(tier="small", min_replicas=5)


def test_quota_covers_the_site_at_full_scale() -> None:
    objs = site()
    hard = find(objs, "ResourceQuota")["spec"]["hard"]
    web = pod_spec(objs, "Deployment", "wordpress")["containers"]
    web_cpu = sum(parse_quantity(c["resources"]["limits"]["cpu"]) for c in web)
    assert parse_quantity(hard["limits.cpu"]) >= web_cpu * 10
    assert hard["services.loadbalancers"] == "0" and hard["persistentvolumeclaims"] == "2"


# -- the schema check is kubernetes-validate's ------------------------------------------------

def test_compiled_schemas_agree_with_kubernetes_validate() -> None:
    objs = site("saude", "Clínica Vida")
    broken = [
        ("Deployment", "wordpress", lambda o: o["spec"]["template"]["spec"]["containers"][0].update(imagePolicy="x")),
        ("Service", "redis", lambda o: o["spec"]["ports"][0].update(port="6379")),
        ("Ingress", "wordpress", lambda o: o["spec"].update(tls={"hosts": []})),
        ("CronJob", "backup", lambda o: o["spec"].update(suspend="no")),
        ("Namespace", None, lambda o: o.update(spec={"finalizers": "kubernetes"})),
        ("HorizontalPodAutoscaler", None, lambda o: o["spec"].pop("scaleTargetRef")),
        ("Deployment", "wordpress", lambda o: o["spec"]["strategy"]["rollingUpdate"].update(maxSurge=1.5)),
    ]
    for version in VERSIONS:
        for obj in objs:
            kubernetes_validate.validate(obj, version, strict=True)
            _schemas.check(obj, version)
        for kind, name, breakage in broken:
            obj = copy.deepcopy(find(objs, kind, name))
            breakage(obj)
            with pytest.raises(kubernetes_validate.ValidationError):
                kubernetes_validate.validate(obj, version, strict=True)
            test = _schemas._validator(version, obj["apiVersion"], obj["kind"])
            assert test is not None and test(obj) is False
            with pytest.raises(_schemas.SchemaError):
                _schemas.check(obj, version)


def test_a_schema_error_names_object_field_and_version() -> None:
    objs = site()
    find(objs, "StatefulSet")["spec"]["template"]["spec"]["containers"][0]["imagePullPolicyy"] = "Always"
    with pytest.raises(ManifestInvalid) as caught:
        validate(objs, VERSIONS)
    assert (caught.value.kind, caught.value.name) == ("StatefulSet", "mariadb")
    assert "spec.template.spec.containers.0" in caught.value.path
    assert "imagePullPolicyy" in str(caught.value) and "1.30" in str(caught.value)
    with pytest.raises(ValueError, match="no schemas"):
        validate(objs, ("1.99",))


# -- each of kenzy's checks catches a broken manifest ------------------------------------------

def _container(kind: str, name: str, index: int = 0) -> Callable[[Manifests], dict[str, Any]]:
    return lambda objs: pod_spec(objs, kind, name)["containers"][index]


def _set(getter: Callable[[Manifests], dict[str, Any]], **values: Any) -> Callable[[Manifests], None]:
    return lambda objs: getter(objs).update(values)


_php = _container("Deployment", "wordpress")

BREAKAGES: list[tuple[str, str, str, str, Callable[[Manifests], None]]] = [
    # check, kind, name, path fragment, breakage
    ("enums", "Deployment", "wordpress", "imagePullPolicy", _set(_php, imagePullPolicy="Sometimes")),
    ("enums", "Job", None, "restartPolicy", lambda o: pod_spec(o, "Job", find(o, "Job")["metadata"]["name"]).update(restartPolicy="Forever")),  # type: ignore[list-item]
    ("enums", "Service", "redis", "ports[0].protocol", lambda o: find(o, "Service", "redis")["spec"]["ports"][0].update(protocol="tcp")),
    ("enums", "Service", "wordpress", "spec.type", lambda o: find(o, "Service", "wordpress")["spec"].update(type="Internal")),
    ("enums", "NetworkPolicy", "default-deny", "policyTypes[1]", lambda o: find(o, "NetworkPolicy", "default-deny")["spec"].update(policyTypes=["Ingress", "egress"])),
    ("enums", "CronJob", "backup", "concurrencyPolicy", lambda o: find(o, "CronJob")["spec"].update(concurrencyPolicy="Never")),
    ("quantities", "Deployment", "wordpress", "limits.cpu", lambda o: _php(o)["resources"]["limits"].update(cpu="1 core")),
    ("quantities", "StatefulSet", "mariadb", "limits.memory", lambda o: _container("StatefulSet", "mariadb")(o)["resources"]["limits"].update(memory="1GB")),
    ("quantities", "Deployment", "wordpress", "requests.memory", lambda o: _php(o)["resources"]["requests"].update(memory="2Gi")),
    ("quantities", "ResourceQuota", "quota", "spec.hard.limits.cpu", lambda o: find(o, "ResourceQuota")["spec"]["hard"].update({"limits.cpu": "lots"})),
    ("quantities", "LimitRange", "limits", "defaultRequest.cpu", lambda o: find(o, "LimitRange")["spec"]["limits"][0]["defaultRequest"].update(cpu="3")),
    ("selectors", "Deployment", "wordpress", "spec.selector", lambda o: find(o, "Deployment", "wordpress")["spec"]["selector"]["matchLabels"].update({"app.kubernetes.io/component": "api"})),
    ("selectors", "StatefulSet", "mariadb", "spec.selector", lambda o: find(o, "StatefulSet")["spec"]["template"]["metadata"]["labels"].pop("app.kubernetes.io/component")),
    ("selectors", "Service", "redis", "spec.selector", lambda o: find(o, "Service", "redis")["spec"]["selector"].update({"app.kubernetes.io/component": "cache"})),
    ("selectors", "PodDisruptionBudget", "wordpress", "spec.selector", lambda o: find(o, "PodDisruptionBudget")["spec"]["selector"]["matchLabels"].update({"app.kubernetes.io/instance": "other-site"})),
    ("selectors", "NetworkPolicy", "web-from-ingress", "spec.podSelector", lambda o: find(o, "NetworkPolicy", "web-from-ingress")["spec"]["podSelector"]["matchLabels"].update({"app.kubernetes.io/component": "wbe"})),
    ("selectors", "NetworkPolicy", "clients-to-mariadb", "egress[0].to[0].podSelector", lambda o: find(o, "NetworkPolicy", "clients-to-mariadb")["spec"]["egress"][0]["to"][0]["podSelector"]["matchLabels"].update({"app.kubernetes.io/component": "mysql"})),
    ("references", "HorizontalPodAutoscaler", "wordpress", "scaleTargetRef", lambda o: find(o, "HorizontalPodAutoscaler")["spec"]["scaleTargetRef"].update(name="wp")),
    ("references", "Ingress", "wordpress", "backend.service", lambda o: find(o, "Ingress")["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"].update(name="web")),
    ("references", "Ingress", "wordpress", "service.port", lambda o: find(o, "Ingress")["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"].update(number=80)),
    ("references", "StatefulSet", "mariadb", "secretKeyRef", lambda o: _container("StatefulSet", "mariadb")(o)["env"][0]["valueFrom"]["secretKeyRef"].update(key="root")),
    ("references", "StatefulSet", "mariadb", "serviceName", lambda o: find(o, "StatefulSet")["spec"].update(serviceName="db")),
    ("references", "Deployment", "wordpress", "persistentVolumeClaim", lambda o: pod_spec(o, "Deployment", "wordpress")["volumes"][1]["persistentVolumeClaim"].update(claimName="content")),
    ("references", "Deployment", "wordpress", "configMap", lambda o: pod_spec(o, "Deployment", "wordpress")["volumes"][2]["configMap"]["items"][0].update(key="php.conf")),
    ("names", "ConfigMap", "Web_Config", "metadata.name", lambda o: find(o, "ConfigMap", "web-config")["metadata"].update(name="Web_Config")),
    ("names", "Service", "redis.cache", "metadata.name", lambda o: find(o, "Service", "redis")["metadata"].update(name="redis.cache")),
    ("names", "Deployment", "wordpress", "containers[0].name", _set(_php, name="PHP-FPM")),
    ("names", "Deployment", "wordpress", "ports[0].name", lambda o: _container("Deployment", "wordpress", 1)(o)["ports"][0].update(name="http-for-wordpress")),
    ("names", "Secret", "redis", "metadata.labels", lambda o: find(o, "Secret", "redis")["metadata"]["labels"].update({"kenzy.dev/industry": "x" * 64})),
    ("names", "ConfigMap", "web-config", "data.", lambda o: find(o, "ConfigMap", "web-config")["data"].update({"conf.d/default.conf": ""})),
    ("replicas", "HorizontalPodAutoscaler", "wordpress", "minReplicas", lambda o: find(o, "HorizontalPodAutoscaler")["spec"].update(minReplicas=5, maxReplicas=2)),
    ("replicas", "HorizontalPodAutoscaler", "wordpress", "minReplicas", lambda o: find(o, "HorizontalPodAutoscaler")["spec"].update(minReplicas=0)),
]


def test_every_check_has_a_breakage() -> None:
    assert {b[0] for b in BREAKAGES} == set(checks.CHECKS)


@pytest.mark.parametrize(("check", "kind", "name", "path", "breakage"), BREAKAGES,
                         ids=[f"{b[0]}-{b[1]}-{b[3]}" for b in BREAKAGES])
def test_each_check_catches_a_broken_manifest(check: str, kind: str, name: str | None, path: str,
                                              breakage: Callable[[Manifests], None]) -> None:
    objs = site()
    assert list(checks.CHECKS[check](objs)) == []
    breakage(objs)
    found = list(checks.CHECKS[check](objs))
    assert any(p.kind == kind and (name is None or p.name == name) and path in p.path for p in found), found
    with pytest.raises(ManifestInvalid) as caught:
        validate(objs, VERSIONS)
    assert any(k == kind and path in p for k, _, p, _ in caught.value.problems)


def test_schema_validation_does_not_catch_what_kenzy_checks() -> None:
    """The reason the checks exist (DESIGN.md): a strict schema accepts all these."""
    objs = site()
    _php(objs).update(imagePullPolicy="Sometimes")
    _php(objs)["resources"]["requests"].update(memory="2Gi")
    find(objs, "HorizontalPodAutoscaler")["spec"].update(minReplicas=5, maxReplicas=2)
    found = problems(objs, VERSIONS)
    assert found and all(not p.check.startswith("schema") for p in found)


@pytest.mark.parametrize(("text", "value"), [
    ("500m", "0.5"), ("1", "1"), ("1.5", "1.5"), (".5", "0.5"), ("5.", "5"), ("1Ki", "1024"), ("512Mi", str(512 * 2**20)),
    ("1Gi", str(2**30)), ("1k", "1000"), ("1M", "1000000"), ("1e3", "1000"), ("2E", str(2 * 10**18)), ("+1", "1"),
    ("1E-3", "0.001"), (3, "3"), (0.25, "0.25"),
])
def test_quantities_parse(text: Any, value: str) -> None:
    assert parse_quantity(text) == parse_quantity(value) == __import__("decimal").Decimal(value)


@pytest.mark.parametrize("text", ["1gi", "1GB", "1 Gi", "Mi", "", "1.5.1", "0x10", "--1", True, None, "1e"])
def test_bad_quantities_are_refused(text: Any) -> None:
    with pytest.raises(ValueError):
        parse_quantity(text)


# -- network isolation -------------------------------------------------------------------------

class Pod:
    """A pod the policies are evaluated for: namespace (with its labels), labels, address."""

    def __init__(self, namespace: str, ns_labels: dict[str, str], labels: dict[str, str], ip: str) -> None:
        self.namespace, self.ns_labels, self.labels, self.ip = namespace, ns_labels, labels, ipaddress.ip_address(ip)

    def __repr__(self) -> str:
        return f"{self.namespace}/{self.labels.get('app.kubernetes.io/component', self.labels)}"


def _peer_matches(peer: dict[str, Any], source_ns: str, other: Pod) -> bool:
    if "ipBlock" in peer:
        block = peer["ipBlock"]
        return other.ip in ipaddress.ip_network(block["cidr"]) and not any(
            other.ip in ipaddress.ip_network(e) for e in block.get("except", []))
    if "namespaceSelector" in peer:
        ns_ok = matches(peer["namespaceSelector"], other.ns_labels)
    else:
        ns_ok = other.namespace == source_ns
    return ns_ok and matches(peer.get("podSelector"), other.labels)


def _allowed(policies: Manifests, pod: Pod, other: Pod, direction: str) -> bool:
    """Does ``pod`` allow traffic with ``other`` in ``direction`` (Ingress: from it; Egress: to it)?"""
    selecting = [p for p in policies if p["metadata"]["namespace"] == pod.namespace
                 and direction in p["spec"]["policyTypes"] and matches(p["spec"]["podSelector"], pod.labels)]
    if not selecting:
        return True  # no policy isolates the pod in this direction
    key, side = ("ingress", "from") if direction == "Ingress" else ("egress", "to")
    return any(not rule.get(side) or any(_peer_matches(peer, pod.namespace, other) for peer in rule[side])
               for p in selecting for rule in p["spec"].get(key) or [])


def can_connect(policies: Manifests, source: Pod, target: Pod) -> bool:
    return _allowed(policies, source, target, "Egress") and _allowed(policies, target, source, "Ingress")


def _pods_of(objs: Manifests, subnet: int) -> list[Pod]:
    ns = objs[0]["metadata"]
    ns_labels = {**ns["labels"], "kubernetes.io/metadata.name": ns["name"]}
    pods = []
    for i, obj in enumerate(o for o in objs if o["kind"] in {"Deployment", "StatefulSet", "Job", "CronJob"}):
        template = (obj["spec"]["jobTemplate"]["spec"] if obj["kind"] == "CronJob" else obj["spec"])["template"]
        pods.append(Pod(ns["name"], ns_labels, template["metadata"]["labels"], f"10.244.{subnet}.{i + 10}"))
    return pods


def _component(pods: list[Pod], name: str) -> Pod:
    return next(p for p in pods if p.labels["app.kubernetes.io/component"] == name)


def test_two_sites_cannot_reach_each_other() -> None:
    one, two = site(name="Pizzaria Um"), site("advocacia", "Advocacia Dois")
    policies = [o for o in one + two if o["kind"] == "NetworkPolicy"]
    pods_one, pods_two = _pods_of(one, 1), _pods_of(two, 2)
    assert len(pods_one) == len(pods_two) == 5
    for a in pods_one:
        for b in pods_two:
            assert not can_connect(policies, a, b), (a, b)
            assert not can_connect(policies, b, a), (b, a)
    # The evaluator does see the paths a site needs, so the negatives above mean something.
    web, db, cache, backup = (_component(pods_one, c) for c in ("web", "mariadb", "redis", "backup"))
    content = _component(pods_one, "content")
    assert can_connect(policies, web, db) and can_connect(policies, web, cache) and can_connect(policies, content, db)
    assert can_connect(policies, backup, db) and not can_connect(policies, backup, cache)
    assert not can_connect(policies, db, web) and not can_connect(policies, cache, db)
    controller = Pod("ingress-nginx", {"kubernetes.io/metadata.name": "ingress-nginx"}, {"app": "controller"}, "10.244.9.9")
    dns = Pod("kube-system", {"kubernetes.io/metadata.name": "kube-system"}, {"k8s-app": "kube-dns"}, "10.244.0.2")
    assert can_connect(policies, controller, web) and not can_connect(policies, controller, db)
    assert all(can_connect(policies, p, dns) for p in pods_one)
    outside = Pod("internet", {}, {}, "203.0.113.5")
    assert can_connect(policies, backup, outside) and not can_connect(policies, web, outside)


def test_backup_egress_leaves_out_private_ranges() -> None:
    default = find(site(), "NetworkPolicy", "backup-to-store")["spec"]["egress"][0]["to"][0]["ipBlock"]
    assert default["cidr"] == "0.0.0.0/0" and "10.0.0.0/8" in default["except"]
    objs = site(backup_egress=("52.216.0.0/15",))
    validate(objs, VERSIONS)
    assert find(objs, "NetworkPolicy", "backup-to-store")["spec"]["egress"][0]["to"] == [{"ipBlock": {"cidr": "52.216.0.0/15"}}]


# -- secrets -----------------------------------------------------------------------------------

def test_secrets_are_redacted_unless_asked() -> None:
    plan = SitePlan(business_name="Salão Bela", industry="beleza")
    kept = K8sSecrets()
    values = [kept.admin_password, kept.db_password, kept.db_root_password, kept.redis_password, *kept.salts.values()]
    hidden = to_yaml(render_site(plan, K8sOptions(), kept))
    assert not any(v.get_secret_value() in hidden for v in values)
    assert hidden.count(REDACTED) == 2 + 2 + 9
    shown = render_site(plan, K8sOptions(), kept, reveal_secrets=True)
    text = to_yaml(shown)
    assert all(v.get_secret_value() in text for v in values) and REDACTED not in text
    assert find(shown, "Secret", "redis")["stringData"]["redis.conf"] == f"requirepass {kept.redis_password.get_secret_value()}\n"
    assert "password" not in json.dumps(pod_spec(shown, "Deployment", "redis")["containers"][0]["command"])
    fresh = render_site(plan, K8sOptions(), reveal_secrets=True)  # generated when not given
    assert find(fresh, "Secret", "mariadb")["stringData"]["password"] != kept.db_password.get_secret_value()
    assert len(find(fresh, "Secret", "mariadb")["stringData"]["password"]) >= 32


def test_yaml_round_trips() -> None:
    objs = site()
    assert list(yaml.safe_load_all(to_yaml(objs))) == objs


# -- what runs in the pods ---------------------------------------------------------------------

def test_pod_nginx_config_is_valid_and_carries_the_security_rules(tmp_path: Path) -> None:
    data = find(site(), "ConfigMap", "web-config")["data"]
    server = data["default.conf"]
    for rule in ("location = /xmlrpc.php { return 403; }", "$arg_author", "$kenzy_users_probe", "limit_req zone=kenzy_login",
                 "uploads/.*\\.(php", "fastcgi_cache_bypass $kenzy_skip_cache", "security_headers.conf"):
        assert rule in server
    assert "X-Frame-Options" in data["security_headers.conf"] and "nosniff" in data["security_headers.conf"]
    assert "disable_functions" in data["zz-kenzy.conf"] and "clear_env = no" in data["zz-kenzy.conf"]
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if nginx is None:
        pytest.skip("nginx is not installed")
    include = tmp_path / "kenzy"
    include.mkdir()
    (tmp_path / "cache").mkdir()  # the pod mounts an emptyDir there
    for name in ("security_headers.conf", "fastcgi_params"):
        (include / name).write_text(data[name])
    conf = server.replace("/etc/nginx/kenzy", str(include)).replace("/var/cache/nginx", str(tmp_path / "cache"))
    (tmp_path / "default.conf").write_text(conf)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\nhttp {{\n"
        f"client_body_temp_path {tmp_path}/b; fastcgi_temp_path {tmp_path}/f; proxy_temp_path {tmp_path}/p;\n"
        f"uwsgi_temp_path {tmp_path}/u; scgi_temp_path {tmp_path}/s;\ninclude {tmp_path}/default.conf;\n}}\n")
    result = subprocess.run([nginx, "-t", "-e", "stderr", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_content_job_runs_the_local_php_steps() -> None:
    objs = site()
    steps = find(objs, "ConfigMap", "content-steps")["data"]
    install = json.loads(steps["requests--install.json"])
    assert install["installing"] is True and install["url"] == "https://restaurante-do-joao.localhost"
    assert "admin_password" not in install
    acf = json.loads(steps["requests--acf_import.json"])
    assert acf["groups"] == blueprints.get("restaurante").field_groups
    assert {"php--install.php", "php--acf_import.php", "php--_bootstrap.php", "run_step.php",
            "wp-content--themes--kenzy--functions.php", "wp-content--object-cache.php"} <= set(steps)
    job = find(objs, "Job")
    script = job["spec"]["template"]["spec"]["containers"][0]["command"][-1]
    assert "for step in install acf_import; do" in script
    plan = SitePlan(business_name="Restaurante do João", industry="restaurante")
    with_content = render_site(plan, K8sOptions(), content={"front": {"slug": "inicio", "title": "Início"}, "pages": []})
    validate(with_content, VERSIONS)
    job2 = find(with_content, "Job")
    assert job2["metadata"]["name"] != job["metadata"]["name"]  # new content, new Job
    assert "install acf_import content" in job2["spec"]["template"]["spec"]["containers"][0]["command"][-1]
    assert find(site(), "Job")["metadata"]["name"] == job["metadata"]["name"]  # same steps, same Job


# -- the command line --------------------------------------------------------------------------

def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KENZY_HOME": str(home), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "kenzy", "render", "k8s", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def test_cli_writes_one_file_per_object(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _cli(tmp_path / "home", "--name", "Pet Feliz", "--industry", "petshop", "--tier", "small", "--out", str(out))
    assert result.returncode == 0, result.stderr
    files = sorted(out.iterdir())
    assert len(files) == len(site("petshop", "Pet Feliz")) and files[0].name == "00-namespace-kz-pet-feliz.yaml"
    objs = [yaml.safe_load(f.read_text()) for f in files]
    validate(objs, VERSIONS)
    assert find(objs, "HorizontalPodAutoscaler")["spec"]["maxReplicas"] == TIERS["small"].max_replicas
    assert REDACTED in (out / next(f.name for f in files if "secret-mariadb" in f.name)).read_text()
    printed = _cli(tmp_path / "home", "--name", "Pet Feliz", "--industry", "petshop")
    assert printed.returncode == 0 and printed.stdout.startswith("---\napiVersion: v1\nkind: Namespace")


def test_cli_fails_cleanly(tmp_path: Path) -> None:
    bad_tier = _cli(tmp_path, "--name", "Pet Feliz", "--industry", "petshop", "--tier", "huge", "--out", str(tmp_path / "o"))
    assert bad_tier.returncode == 2 and "invalid tier" in bad_tier.stderr and "Traceback" not in bad_tier.stderr
    assert not (tmp_path / "o").exists()
    missing = _cli(tmp_path, "no-such-site")
    assert missing.returncode == 1 and "no site named 'no-such-site'" in missing.stderr
    bad_name = _cli(tmp_path, "../etc")
    assert bad_name.returncode == 2 and "invalid subdomain" in bad_name.stderr
    bad_version = _cli(tmp_path, "--name", "Pet Feliz", "--industry", "petshop", "--k8s-version", "1.99")
    assert bad_version.returncode != 0 and "1.99" in bad_version.stderr


@pytest.mark.anyio
async def test_cli_renders_a_stored_site_with_its_own_passwords(tmp_path: Path) -> None:
    from kenzy.tools import ToolContext

    settings = Settings(home=tmp_path)
    store = ToolContext(settings).store
    plan = SitePlan(business_name="Academia Força", industry="academia")
    now = datetime.now(timezone.utc)
    record = Site(subdomain=plan.subdomain, business_name=plan.business_name, industry=plan.industry, locale="pt_BR",
                  url="http://x", admin_url="http://x/wp-admin/", status=SiteState.ACTIVE, identifier="kz_academia_forca",
                  plan=plan, created_at=now, updated_at=now)
    creds = SiteCredentials(subdomain=plan.subdomain, admin_user="admin", admin_password="admin-pass-123456789",  # type: ignore[arg-type]
                            db_name="kz_academia_forca", db_user="kz_academia_forca", db_password="db-pass-123456789012345",  # type: ignore[arg-type]
                            redis_user="kz_academia_forca", redis_password="redis-pass-1234567890123")  # type: ignore[arg-type]
    await store.claim(record, creds)
    hidden = _cli(tmp_path, plan.subdomain)
    assert hidden.returncode == 0, hidden.stderr
    assert "db-pass-123456789012345" not in hidden.stdout and "kz-academia-forca" in hidden.stdout
    shown = _cli(tmp_path, plan.subdomain, "--reveal-secrets")
    assert shown.returncode == 0 and "db-pass-123456789012345" in shown.stdout and "admin-pass-123456789" in shown.stdout


def test_the_dockerfile_builds_the_image_the_backup_cronjob_runs() -> None:
    """The image can't be built here (no registry); check the Dockerfile against what the
    CronJob expects: kenzy's package data, mariadb-dump, uid 1000, and the default tag."""
    root = Path(__file__).parent.parent
    dockerfile = (root / "Dockerfile").read_text()
    cronjob = pod_spec(site(), "CronJob", "backup")
    assert cronjob["securityContext"]["runAsUser"] == 1000 and "USER 1000" in dockerfile
    assert "mariadb-client" in dockerfile and 'ENTRYPOINT ["kenzy"]' in dockerfile
    assert cronjob["containers"][0]["image"] == K8sOptions().kenzy_image
    import tomllib

    data = tomllib.loads((root / "pyproject.toml").read_text())
    for source in data["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]:
        assert f"COPY {source} /src/{source}" in dockerfile, f"the image would lack {source}"

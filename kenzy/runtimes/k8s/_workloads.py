"""The site's workloads: MariaDB (StatefulSet), Redis, WordPress (PHP-FPM + nginx), and what
reaches them: Services, the Ingress, the autoscaler and the disruption budget."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from kenzy.runtimes.k8s import _pods, _webconf
from kenzy.runtimes.k8s._site import DOCROOT, WEB_PORT, SiteSpec
from kenzy.runtimes.k8s.options import Resources

__all__ = ["mariadb", "redis", "web"]

_MARIADB_UID = 999  # "mysql" in the official image
_REDIS_UID = 999  # "redis" in the official image
_NGINX_UID = 101  # "nginx" in nginx-unprivileged


def _service(spec: SiteSpec, name: str, component: str, port: int, *, headless: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "ClusterIP", "selector": spec.selector(component),
                            "ports": [{"name": name if len(name) <= 15 else "main", "port": port,
                                       "targetPort": port, "protocol": "TCP"}]}
    if headless:
        body["clusterIP"] = "None"
    return {"apiVersion": "v1", "kind": "Service", "metadata": spec.meta(name, component), "spec": body}


def _pod_meta(spec: SiteSpec, component: str, config: object = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"labels": spec.labels(component)}
    if config is not None:  # a config change rolls the pods
        digest = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:16]
        meta["annotations"] = {"kenzy.dev/config-hash": digest}
    return meta


def mariadb(spec: SiteSpec) -> list[dict[str, Any]]:
    opts = spec.options
    env = [
        _pods.secret_env("MARIADB_ROOT_PASSWORD", "mariadb", "root-password"),
        {"name": "MARIADB_DATABASE", "value": spec.identifier},
        {"name": "MARIADB_USER", "value": spec.identifier},
        _pods.secret_env("MARIADB_PASSWORD", "mariadb", "password"),
    ]
    main = _pods.container(
        spec, "mariadb", opts.mariadb_image, env=env,
        args=["--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci", "--skip-name-resolve"],
        ports=[{"name": "mysql", "containerPort": 3306, "protocol": "TCP"}],
        resources=_pods.resources(opts.container_limits, opts.container_requests),
        volumeMounts=[{"name": "data", "mountPath": "/var/lib/mysql"}, {"name": "run", "mountPath": "/run/mysqld"},
                      {"name": "tmp", "mountPath": "/tmp"}],
        readinessProbe={"exec": {"command": ["healthcheck.sh", "--connect", "--innodb_initialized"]},
                        "periodSeconds": 10, "timeoutSeconds": 5},
        livenessProbe={"tcpSocket": {"port": 3306}, "initialDelaySeconds": 30, "periodSeconds": 20},
    )
    statefulset = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": spec.meta("mariadb", "mariadb"), "spec": {
        "serviceName": "mariadb", "replicas": 1, "selector": {"matchLabels": spec.selector("mariadb")},
        "template": {"metadata": _pod_meta(spec, "mariadb"), "spec": {
            "automountServiceAccountToken": False,
            "securityContext": _pods.pod_security(_MARIADB_UID, fs_group=_MARIADB_UID),
            "containers": [main],
            "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "mariadb-data"}},
                        {"name": "run", "emptyDir": {}}, {"name": "tmp", "emptyDir": {}}]}}}}
    return [statefulset, _service(spec, "mariadb", "mariadb", 3306, headless=True)]


def redis(spec: SiteSpec) -> list[dict[str, Any]]:
    maxmemory = spec.options.tier_spec.redis_maxmemory_mb
    main = _pods.container(
        spec, "redis", spec.options.redis_image, read_only_root=True,
        command=["redis-server", "/etc/redis/redis.conf", "--save", "", "--appendonly", "no",
                 "--maxmemory", f"{maxmemory}mb", "--maxmemory-policy", "allkeys-lru"],
        ports=[{"name": "redis", "containerPort": 6379, "protocol": "TCP"}],
        resources=_pods.resources(Resources(cpu="250m", memory=f"{maxmemory + 64}Mi"),
                                  Resources(cpu="50m", memory=f"{maxmemory}Mi")),
        volumeMounts=[{"name": "config", "mountPath": "/etc/redis", "readOnly": True},
                      {"name": "data", "mountPath": "/data"}],
        readinessProbe={"tcpSocket": {"port": 6379}, "periodSeconds": 10},
        livenessProbe={"tcpSocket": {"port": 6379}, "initialDelaySeconds": 10, "periodSeconds": 20},
    )
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": spec.meta("redis", "redis"), "spec": {
        "replicas": 1, "strategy": {"type": "Recreate"}, "selector": {"matchLabels": spec.selector("redis")},
        "template": {"metadata": _pod_meta(spec, "redis"), "spec": {
            "automountServiceAccountToken": False,
            "securityContext": _pods.pod_security(_REDIS_UID),
            "containers": [main],
            # The password travels in a Secret-mounted config file, never in argv.
            "volumes": [{"name": "config", "secret": {"secretName": "redis", "items": [
                {"key": "redis.conf", "path": "redis.conf"}]}}, {"name": "data", "emptyDir": {}}]}}}}
    return [deployment, _service(spec, "redis", "redis", 6379)]


def _web_config(spec: SiteSpec) -> dict[str, Any]:
    data = {**_webconf.nginx_files(spec), "zz-kenzy.conf": _webconf.php_pool(spec)}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": spec.meta("web-config", "web"), "data": data}


def web(spec: SiteSpec) -> list[dict[str, Any]]:
    opts = spec.options
    config = _web_config(spec)
    volumes, content_mounts = _pods.wordpress_volumes()
    scratch = [{"name": "php-scratch", "mountPath": f"{_webconf.PHP_ROOT}/{d}", "subPath": d} for d in _webconf.PHP_SCRATCH]
    socket = {"name": "php-socket", "mountPath": _webconf.PHP_SOCKET_DIR}
    probe_get = {"httpGet": {"path": "/wp-login.php", "port": WEB_PORT, "httpHeaders": [{"name": "Host", "value": spec.host}]}}
    php = _pods.container(
        spec, "php-fpm", opts.wordpress_image, args=["php-fpm"], env=_pods.wordpress_env(spec),
        resources=_pods.resources(opts.container_limits, opts.container_requests),
        volumeMounts=[*content_mounts, *scratch, socket,
                      {"name": "web-config", "mountPath": "/usr/local/etc/php-fpm.d/zz-kenzy.conf",
                       "subPath": "zz-kenzy.conf", "readOnly": True}],
    )
    nginx = _pods.container(
        spec, "nginx", opts.nginx_image, read_only_root=True, uid=_NGINX_UID,
        ports=[{"name": "http", "containerPort": WEB_PORT, "protocol": "TCP"}],
        resources=_pods.resources(Resources(cpu="250m", memory="128Mi"), Resources(cpu="50m", memory="64Mi")),
        volumeMounts=[{"name": "docroot", "mountPath": DOCROOT, "readOnly": True},
                      {"name": "wp-content", "mountPath": f"{DOCROOT}/wp-content", "readOnly": True}, socket,
                      {"name": "nginx-conf", "mountPath": "/etc/nginx/conf.d", "readOnly": True},
                      {"name": "nginx-include", "mountPath": _webconf.NGINX_DIR, "readOnly": True},
                      {"name": "nginx-cache", "mountPath": _webconf.NGINX_CACHE},
                      {"name": "nginx-tmp", "mountPath": "/tmp"}],
        readinessProbe={**probe_get, "periodSeconds": 10, "timeoutSeconds": 5},
        livenessProbe={"tcpSocket": {"port": WEB_PORT}, "initialDelaySeconds": 10, "periodSeconds": 20},
    )
    config_volume = {"name": "web-config"}
    volumes += [
        {**config_volume, "configMap": {"name": "web-config", "items": [{"key": "zz-kenzy.conf", "path": "zz-kenzy.conf"}]}},
        {"name": "nginx-conf", "configMap": {"name": "web-config", "items": [{"key": "default.conf", "path": "default.conf"}]}},
        {"name": "nginx-include", "configMap": {"name": "web-config", "items": [
            {"key": "security_headers.conf", "path": "security_headers.conf"},
            {"key": "fastcgi_params", "path": "fastcgi_params"}]}},
        {"name": "php-socket", "emptyDir": {}}, {"name": "php-scratch", "emptyDir": {}},
        {"name": "nginx-cache", "emptyDir": {"sizeLimit": "300Mi"}}, {"name": "nginx-tmp", "emptyDir": {}},
    ]
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": spec.meta("wordpress", "web"), "spec": {
        # No "replicas": the autoscaler owns it, so a re-apply never scales the site back down.
        "selector": {"matchLabels": spec.selector("web")},
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
        "template": {"metadata": _pod_meta(spec, "web", config["data"]), "spec": {
            "automountServiceAccountToken": False,
            # nginx (uid 101) joins group 33 to reach PHP-FPM's socket (mode 0660).
            "securityContext": _pods.pod_security(_pods.WP_UID, fs_group=_pods.WP_UID, supplemental=(_pods.WP_UID,)),
            "containers": [php, nginx], "volumes": volumes}}}}
    return [config, deployment, _service(spec, "wordpress", "web", WEB_PORT), _ingress(spec), _hpa(spec), _pdb(spec)]


def _ingress(spec: SiteSpec) -> dict[str, Any]:
    opts = spec.options
    annotations = {"nginx.ingress.kubernetes.io/proxy-body-size": "32m"}
    rule = {"host": spec.host, "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {
        "service": {"name": "wordpress", "port": {"number": WEB_PORT}}}}]}}
    body: dict[str, Any] = {"ingressClassName": opts.ingress_class, "rules": [rule]}
    if opts.tls:
        annotations["cert-manager.io/cluster-issuer"] = opts.cluster_issuer
        annotations["nginx.ingress.kubernetes.io/force-ssl-redirect"] = "true"
        body["tls"] = [{"hosts": [spec.host], "secretName": "tls"}]
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": spec.meta("wordpress", "web", annotations=annotations), "spec": body}


def _hpa(spec: SiteSpec) -> dict[str, Any]:
    opts = spec.options

    def metric(name: str, percent: int) -> dict[str, Any]:
        return {"type": "Resource", "resource": {"name": name, "target": {"type": "Utilization", "averageUtilization": percent}}}

    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": spec.meta("wordpress", "web"),
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "wordpress"},
                     "minReplicas": opts.min_replicas, "maxReplicas": opts.replica_ceiling,
                     "metrics": [metric("cpu", opts.cpu_utilization), metric("memory", opts.memory_utilization)]}}


def _pdb(spec: SiteSpec) -> dict[str, Any]:
    """One web pod at a time may be evicted (a drain never takes the site fully down at scale)."""
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": spec.meta("wordpress", "web"),
            "spec": {"maxUnavailable": 1, "selector": {"matchLabels": spec.selector("web")}}}

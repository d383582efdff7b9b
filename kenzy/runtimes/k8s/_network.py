"""NetworkPolicies: deny everything, then open exactly the paths a site needs. Nothing crosses
into another site's namespace; only the ingress controller comes in, only DNS (and the
backup's object store) goes out."""

from __future__ import annotations

from typing import Any

from kenzy.runtimes.k8s._site import WEB_PORT, SiteSpec

__all__ = ["PRIVATE_RANGES", "network_policies"]

PRIVATE_RANGES = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16")
"""Pod, service and link-local ranges the backup pod's egress to the object store excludes."""

_DB_CLIENTS = ("web", "content", "backup")
_CACHE_CLIENTS = ("web", "content")


def _components(spec: SiteSpec, names: tuple[str, ...]) -> dict[str, Any]:
    return {"matchLabels": {"app.kubernetes.io/instance": spec.subdomain},
            "matchExpressions": [{"key": "app.kubernetes.io/component", "operator": "In", "values": list(names)}]}


def _tcp(port: int) -> list[dict[str, Any]]:
    return [{"protocol": "TCP", "port": port}]


def network_policies(spec: SiteSpec) -> list[dict[str, Any]]:
    def policy(name: str, selector: dict[str, Any], types: list[str], **rules: Any) -> dict[str, Any]:
        return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": spec.meta(name),
                "spec": {"podSelector": selector, "policyTypes": types, **rules}}

    web = {"matchLabels": spec.selector("web")}
    mariadb = {"matchLabels": spec.selector("mariadb")}
    redis = {"matchLabels": spec.selector("redis")}
    dns_peer = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}
    ingress_peer = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": spec.options.ingress_namespace}}}
    return [
        policy("default-deny", {}, ["Ingress", "Egress"]),
        policy("allow-dns", {}, ["Egress"], egress=[{
            "to": [dns_peer], "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]}]),
        policy("web-from-ingress", web, ["Ingress"], ingress=[{"from": [ingress_peer], "ports": _tcp(WEB_PORT)}]),
        policy("mariadb-from-clients", mariadb, ["Ingress"], ingress=[{
            "from": [{"podSelector": _components(spec, _DB_CLIENTS)}], "ports": _tcp(3306)}]),
        policy("redis-from-clients", redis, ["Ingress"], ingress=[{
            "from": [{"podSelector": _components(spec, _CACHE_CLIENTS)}], "ports": _tcp(6379)}]),
        policy("clients-to-mariadb", _components(spec, _DB_CLIENTS), ["Egress"], egress=[{
            "to": [{"podSelector": mariadb}], "ports": _tcp(3306)}]),
        policy("clients-to-redis", _components(spec, _CACHE_CLIENTS), ["Egress"], egress=[{
            "to": [{"podSelector": redis}], "ports": _tcp(6379)}]),
        policy("backup-to-store", {"matchLabels": spec.selector("backup")}, ["Egress"], egress=[{
            "to": [{"ipBlock": _block(cidr)} for cidr in spec.options.backup_egress],
            "ports": _tcp(443)}]),
    ]


def _block(cidr: str) -> dict[str, Any]:
    excluded = [r for r in PRIVATE_RANGES if _inside(r, cidr)]
    return {"cidr": cidr, "except": excluded} if excluded else {"cidr": cidr}


def _inside(inner: str, outer: str) -> bool:
    import ipaddress

    a, b = ipaddress.ip_network(inner), ipaddress.ip_network(outer)
    return a.version == b.version and a.subnet_of(b) and a != b  # type: ignore[arg-type]

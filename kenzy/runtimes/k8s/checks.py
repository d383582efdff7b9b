"""kenzy's own checks: what strict schema validation does not catch. Each check takes every
object of a site (one namespace) and yields a `Problem` naming the object and the field.

``CHECKS`` maps a check's name to it; `run_checks` runs them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from kenzy.runtimes.k8s._quantity import parse_quantity
from kenzy.runtimes.k8s._selectors import matches

__all__ = ["CHECKS", "Problem", "run_checks"]

Path = tuple[str | int, ...]
Objects = Sequence[dict[str, Any]]


class Problem(NamedTuple):
    """One finding: which object (kind/name), which field, what is wrong, and which check said so."""

    kind: str
    name: str
    path: str
    message: str
    check: str


def _fmt(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _walk(value: Any) -> list[tuple[Path, Any]]:
    """Every node of ``value`` with its path, depth first in document order."""
    found: list[tuple[Path, Any]] = []
    stack: list[tuple[Path, Any]] = [((), value)]
    while stack:
        path, node = stack.pop()
        found.append((path, node))
        if isinstance(node, dict):
            stack.extend(((*path, k), v) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(node))))
    return found


_NODES: ContextVar[dict[int, list[tuple[Path, Any]]] | None] = ContextVar("kenzy_k8s_nodes", default=None)
"""Every object's nodes, walked once while `run_checks` runs (keyed by ``id``)."""


def _nodes(obj: dict[str, Any]) -> list[tuple[Path, Any]]:
    cache = _NODES.get()
    if cache is None:
        return _walk(obj)
    found = cache.get(id(obj))
    if found is None:
        found = cache[id(obj)] = _walk(obj)
    return found


def _tail(path: Path, pattern: tuple[str, ...]) -> bool:
    """``pattern`` ends ``path`` (``*`` stands for a list index; a leading ``^`` anchors it)."""
    anchored = pattern[:1] == ("^",)
    pattern = pattern[1:] if anchored else pattern
    if len(path) < len(pattern) or (anchored and len(path) != len(pattern)):
        return False
    return all(p == "*" and isinstance(q, int) or p == q for p, q in zip(pattern, path[len(path) - len(pattern):]))


def _name(obj: dict[str, Any]) -> str:
    return str((obj.get("metadata") or {}).get("name", "?"))


def _containers(obj: dict[str, Any]) -> Iterator[tuple[Path, dict[str, Any]]]:
    for path, value in _nodes(obj):
        if len(path) >= 2 and path[-2] in ("containers", "initContainers") and isinstance(value, dict):
            yield path, value


_POD_PATHS = {"Deployment": ("spec", "template"), "StatefulSet": ("spec", "template"), "Job": ("spec", "template"),
              "CronJob": ("spec", "jobTemplate", "spec", "template")}


def _pods(objects: Objects, *, serving_only: bool = False) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """``(object, pod template)``; ``serving_only`` leaves out Jobs (Services never route to them)."""
    found = []
    for obj in objects:
        keys = _POD_PATHS.get(obj.get("kind", ""))
        if keys is None or (serving_only and obj["kind"] in {"Job", "CronJob"}):
            continue
        node: Any = obj
        for key in keys:
            node = (node or {}).get(key)
        if isinstance(node, dict):
            found.append((obj, node))
    return found


def _pod_labels(template: dict[str, Any]) -> dict[str, str]:
    return (template.get("metadata") or {}).get("labels") or {}


# -- enum values ------------------------------------------------------------------------------

_ENUMS: tuple[tuple[tuple[str, ...], frozenset[str], frozenset[str] | None], ...] = tuple(
    (pattern, frozenset(values.split()), frozenset(kinds.split()) if kinds else None)
    for pattern, values, kinds in [
        (("restartPolicy",), "Always OnFailure Never", ""),
        (("imagePullPolicy",), "Always IfNotPresent Never", ""),
        (("ports", "*", "protocol"), "TCP UDP SCTP", ""),
        (("^", "spec", "type"), "ClusterIP NodePort LoadBalancer ExternalName", "Service"),
        (("policyTypes", "*"), "Ingress Egress", ""),
        (("concurrencyPolicy",), "Allow Forbid Replace", ""),
        (("accessModes", "*"), "ReadWriteOnce ReadOnlyMany ReadWriteMany ReadWriteOncePod", ""),
        (("seccompProfile", "type"), "RuntimeDefault Localhost Unconfined", ""),
        (("pathType",), "Exact Prefix ImplementationSpecific", ""),
        (("strategy", "type"), "RollingUpdate Recreate", "Deployment"),
        (("updateStrategy", "type"), "RollingUpdate OnDelete", "StatefulSet"),
        (("podManagementPolicy",), "OrderedReady Parallel", ""),
        (("metrics", "*", "type"), "Resource Pods Object External ContainerResource", ""),
        (("target", "type"), "Utilization Value AverageValue", "HorizontalPodAutoscaler"),
        (("^", "spec", "limits", "*", "type"), "Container Pod PersistentVolumeClaim", "LimitRange"),
        (("matchExpressions", "*", "operator"), "In NotIn Exists DoesNotExist", ""),
        (("dnsPolicy",), "ClusterFirst ClusterFirstWithHostNet Default None", ""),
        (("fsGroupChangePolicy",), "OnRootMismatch Always", ""),
        (("sessionAffinity",), "ClientIP None", "Service"),
        (("^", "type"), "Opaque kubernetes.io/tls kubernetes.io/basic-auth kubernetes.io/dockerconfigjson", "Secret"),
    ]
)


_ENUMS_BY_KEY: dict[str, list[tuple[tuple[str, ...], frozenset[str], frozenset[str] | None]]] = {}
for _rule in _ENUMS:
    _ENUMS_BY_KEY.setdefault(_rule[0][-1], []).append(_rule)


def check_enums(objects: Objects) -> Iterator[Problem]:
    """Fields whose value must be one of a fixed set (the schemas type them as any string)."""
    for obj in objects:
        for path, value in _nodes(obj):
            if not isinstance(value, str) or not path:
                continue
            for pattern, allowed, kinds in _ENUMS_BY_KEY.get("*" if isinstance(path[-1], int) else path[-1], ()):
                if (kinds is None or obj["kind"] in kinds) and _tail(path, pattern) and value not in allowed:
                    yield Problem(obj["kind"], _name(obj), _fmt(path),
                                  f"{value!r} is not one of {', '.join(sorted(allowed))}", "enums")


# -- quantities -------------------------------------------------------------------------------

_QUANTITY_PARENTS = (("resources", "limits"), ("resources", "requests"), ("spec", "hard"), ("limits", "*", "default"),
                     ("limits", "*", "defaultRequest"), ("limits", "*", "max"), ("limits", "*", "min"), ("emptyDir",))
_QUANTITY_KEYS = {parent[-1] for parent in _QUANTITY_PARENTS}


def check_quantities(objects: Objects) -> Iterator[Problem]:
    """Resource amounts parse as Kubernetes quantities, and no request exceeds its limit."""
    for obj in objects:
        kind, name = obj["kind"], _name(obj)
        for path, value in _nodes(obj):
            if len(path) < 2 or path[-2] not in _QUANTITY_KEYS or (path[-2] == "emptyDir" and path[-1] != "sizeLimit"):
                continue
            if any(_tail(path[:-1], p) for p in _QUANTITY_PARENTS):
                try:
                    parse_quantity(value)
                except ValueError as exc:
                    yield Problem(kind, name, _fmt(path), str(exc), "quantities")
        pairs = [(p + ("resources",), c.get("resources") or {}, "requests", "limits") for p, c in _containers(obj)]
        if kind == "LimitRange":
            pairs += [(("spec", "limits", i), item, "defaultRequest", "default")
                      for i, item in enumerate((obj.get("spec") or {}).get("limits") or [])]
        for where, body, low_key, high_key in pairs:
            low, high = body.get(low_key) or {}, body.get(high_key) or {}
            for resource in low.keys() & high.keys():
                a, b = _quantity_or_none(low[resource]), _quantity_or_none(high[resource])
                if a is not None and b is not None and a > b:
                    yield Problem(kind, name, _fmt((*where, low_key, resource)),
                                  f"{low[resource]} is more than the {high_key} of {high[resource]}", "quantities")


def _quantity_or_none(value: Any) -> Decimal | None:
    try:
        return parse_quantity(value)
    except ValueError:
        return None


# -- selectors and references -----------------------------------------------------------------

def check_selectors(objects: Objects) -> Iterator[Problem]:
    """Selectors agree with the labels they should select: workloads with their pod
    templates, Services, PodDisruptionBudgets and NetworkPolicies with pods that exist."""
    serving = _pods(objects, serving_only=True)
    every_pod = _pods(objects)

    def selects(selector: dict[str, Any], pods: list[tuple[dict[str, Any], dict[str, Any]]]) -> bool:
        return any(matches(selector, _pod_labels(t)) for _, t in pods)

    for obj, template in every_pod:
        selector = (obj.get("spec") or {}).get("selector")
        if obj["kind"] in {"Deployment", "StatefulSet"}:
            if not selector or not (selector.get("matchLabels") or selector.get("matchExpressions")):
                yield Problem(obj["kind"], _name(obj), "spec.selector", "is empty; it must select the pod template", "selectors")
            elif not matches(selector, _pod_labels(template)):
                yield Problem(obj["kind"], _name(obj), "spec.selector",
                              "does not match spec.template.metadata.labels", "selectors")
    for obj in objects:
        kind, name, spec = obj["kind"], _name(obj), obj.get("spec") or {}
        if kind == "Service" and spec.get("type") != "ExternalName":
            selector = {"matchLabels": spec.get("selector") or {}}
            if not spec.get("selector") or not selects(selector, serving):
                yield Problem(kind, name, "spec.selector", "selects no pod of a Deployment or StatefulSet", "selectors")
        elif kind == "PodDisruptionBudget" and not selects(spec.get("selector") or {"matchLabels": {"-": "-"}}, serving):
            yield Problem(kind, name, "spec.selector", "selects no pod of a Deployment or StatefulSet", "selectors")
        elif kind == "NetworkPolicy":
            if spec.get("podSelector") and not selects(spec["podSelector"], every_pod):
                yield Problem(kind, name, "spec.podSelector", "selects no pod in the namespace", "selectors")
            for direction, side in (("ingress", "from"), ("egress", "to")):
                for i, rule in enumerate(spec.get(direction) or []):
                    for j, peer in enumerate(rule.get(side) or []):
                        if "podSelector" in peer and "namespaceSelector" not in peer and not selects(peer["podSelector"], every_pod):
                            yield Problem(kind, name, f"spec.{direction}[{i}].{side}[{j}].podSelector",
                                          "selects no pod in the namespace", "selectors")


def check_references(objects: Objects) -> Iterator[Problem]:
    """Names one object uses for another exist: the HPA's target, Ingress backends and
    ports, a StatefulSet's Service, and the ConfigMaps, Secrets (and keys) and PVCs pods use."""
    index = {(o["kind"], _name(o)): o for o in objects}

    def has(kind: str, name: str) -> bool:
        return (kind, name) in index

    for obj in objects:
        kind, name, spec = obj["kind"], _name(obj), obj.get("spec") or {}
        if kind == "HorizontalPodAutoscaler":
            ref = spec.get("scaleTargetRef") or {}
            if not has(ref.get("kind", ""), ref.get("name", "")):
                yield Problem(kind, name, "spec.scaleTargetRef", f"{ref.get('kind')}/{ref.get('name')} does not exist", "references")
        if kind == "StatefulSet" and not has("Service", spec.get("serviceName", "")):
            yield Problem(kind, name, "spec.serviceName", f"Service {spec.get('serviceName')!r} does not exist", "references")
        for path, value in _nodes(obj):
            if kind == "Ingress" and path[-1:] == ("service",) and isinstance(value, dict):
                yield from _ingress_backend(obj, path, value, index)
            elif path[-1:] in {("configMap",), ("secret",), ("persistentVolumeClaim",)} and isinstance(value, dict):
                yield from _volume_source(obj, path, value, index)
            elif path[-1:] in {("secretKeyRef",), ("configMapKeyRef",)} and isinstance(value, dict):
                target = "Secret" if path[-1] == "secretKeyRef" else "ConfigMap"
                yield from _key_ref(obj, path, target, value.get("name", ""), [value.get("key", "")], index)


def _data_keys(obj: dict[str, Any]) -> set[str]:
    return {*(obj.get("data") or {}), *(obj.get("stringData") or {}), *(obj.get("binaryData") or {})}


def _key_ref(obj: dict[str, Any], path: Path, kind: str, name: str, keys: list[str],
             index: dict[tuple[str, str], dict[str, Any]]) -> Iterator[Problem]:
    target = index.get((kind, name))
    if target is None:
        yield Problem(obj["kind"], _name(obj), _fmt(path), f"{kind} {name!r} does not exist", "references")
        return
    for key in set(keys) - _data_keys(target):
        yield Problem(obj["kind"], _name(obj), _fmt(path), f"{kind} {name!r} has no key {key!r}", "references")


def _volume_source(obj: dict[str, Any], path: Path, value: dict[str, Any],
                   index: dict[tuple[str, str], dict[str, Any]]) -> Iterator[Problem]:
    if path[-1] == "persistentVolumeClaim":
        if ("PersistentVolumeClaim", value.get("claimName", "")) not in index:
            yield Problem(obj["kind"], _name(obj), _fmt(path), f"PVC {value.get('claimName')!r} does not exist", "references")
        return
    kind = "ConfigMap" if path[-1] == "configMap" else "Secret"
    name = value.get("name" if kind == "ConfigMap" else "secretName", "")
    yield from _key_ref(obj, path, kind, name, [i["key"] for i in value.get("items") or []], index)


def _ingress_backend(obj: dict[str, Any], path: Path, value: dict[str, Any],
                     index: dict[tuple[str, str], dict[str, Any]]) -> Iterator[Problem]:
    service = index.get(("Service", value.get("name", "")))
    if service is None:
        yield Problem(obj["kind"], _name(obj), _fmt(path), f"Service {value.get('name')!r} does not exist", "references")
        return
    port = value.get("port") or {}
    ports = (service.get("spec") or {}).get("ports") or []
    if not any(port.get("number") == p.get("port") or (port.get("name") and port.get("name") == p.get("name")) for p in ports):
        yield Problem(obj["kind"], _name(obj), _fmt((*path, "port")), f"Service {value.get('name')!r} has no such port", "references")


# -- names ------------------------------------------------------------------------------------

_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_PORT_NAME = re.compile(r"^(?=.*[a-z])[a-z0-9]([a-z0-9]|-(?!-))*(?<!-)$")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
_KEY_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_CONFIG_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")
_LABEL_NAMED = {"Namespace", "Service"}


def _dns_problem(value: Any, *, label: bool) -> str | None:
    return _dns_text_problem(value, label) if isinstance(value, str) else f"{value!r} is not a name"


@lru_cache(maxsize=8192)
def _dns_text_problem(value: str, label: bool) -> str | None:
    limit, pattern = (63, _LABEL) if label else (253, _SUBDOMAIN)
    if not isinstance(value, str) or not pattern.match(value) or len(value) > limit:
        what = "DNS-1123 label" if label else "DNS-1123 subdomain"
        return f"{value!r} is not a {what} (lowercase letters, digits, '-'{'' if label else ', .'}; at most {limit})"
    return None


@lru_cache(maxsize=8192)
def _label_key_problem(key: str) -> str | None:
    prefix, _, name = key.rpartition("/")
    if prefix and _dns_problem(prefix, label=False):
        return f"label key {key!r} has an invalid prefix"
    if not _KEY_NAME.match(name) or len(name) > 63:
        return f"label key {key!r} is not a qualified name"
    return None


def check_names(objects: Objects) -> Iterator[Problem]:
    """Object, namespace, container, volume and port names follow DNS-1123 (and IANA for
    ports); label keys and values and ConfigMap/Secret keys use the allowed characters."""
    for obj in objects:
        kind, name = obj["kind"], _name(obj)
        meta = obj.get("metadata") or {}
        found = [("metadata.name", _dns_problem(meta.get("name"), label=kind in _LABEL_NAMED))]
        if "namespace" in meta:
            found.append(("metadata.namespace", _dns_problem(meta["namespace"], label=True)))
        for path, value in _nodes(obj):
            if not isinstance(value, dict):
                continue
            if path[-1:] == ("labels",) or path[-1:] == ("matchLabels",):
                where = _fmt(path)
                for key, val in value.items():
                    found.append((f"{where}.{key}", _label_key_problem(key)))
                    if not isinstance(val, str) or len(val) > 63 or not _LABEL_VALUE.match(val):
                        found.append((f"{where}.{key}", f"label value {val!r} is not valid (at most 63 of [A-Za-z0-9-_.])"))
            if len(path) >= 2 and path[-2] in {"containers", "initContainers", "volumes", "volumeMounts"} and "name" in value:
                problem = _dns_problem(value["name"], label=True)
                if problem:
                    found.append((f"{_fmt(path)}.name", problem))
            if len(path) >= 2 and path[-2] == "ports" and "name" in value:
                port = value["name"]
                if not isinstance(port, str) or len(port) > 15 or not _PORT_NAME.match(port):
                    found.append((f"{_fmt(path)}.name", f"port name {port!r} is not an IANA service name (at most 15 of a-z0-9-)"))
        if kind in {"ConfigMap", "Secret"}:
            for key in _data_keys(obj):
                if not _CONFIG_KEY.match(key) or len(key) > 253:
                    found.append((f"data.{key}", f"key {key!r} may only hold letters, digits, '-', '_' and '.'"))
        yield from (Problem(kind, name, where, msg, "names") for where, msg in found if msg)


# -- replicas ---------------------------------------------------------------------------------

def check_replicas(objects: Objects) -> Iterator[Problem]:
    """The autoscaler's range is possible: 1 <= minReplicas <= maxReplicas."""
    for obj in objects:
        if obj["kind"] != "HorizontalPodAutoscaler":
            continue
        spec = obj.get("spec") or {}
        low, high = spec.get("minReplicas", 1), spec.get("maxReplicas")
        if not isinstance(low, int) or low < 1:
            yield Problem(obj["kind"], _name(obj), "spec.minReplicas", f"{low!r} must be at least 1", "replicas")
        elif isinstance(high, int) and low > high:
            yield Problem(obj["kind"], _name(obj), "spec.minReplicas",
                          f"minReplicas {low} is above maxReplicas {high}", "replicas")


CHECKS: dict[str, Callable[[Objects], Iterator[Problem]]] = {
    "enums": check_enums,
    "quantities": check_quantities,
    "selectors": check_selectors,
    "references": check_references,
    "names": check_names,
    "replicas": check_replicas,
}


def run_checks(objects: Objects) -> list[Problem]:
    """Every problem every check finds, in object order. Objects in several namespaces are
    checked one namespace at a time (selectors and references never cross namespaces)."""
    groups: dict[str | None, list[dict[str, Any]]] = {}
    for obj in objects:
        meta = obj.get("metadata") or {}
        groups.setdefault(meta.get("namespace") or (meta.get("name") if obj.get("kind") == "Namespace" else None), []).append(obj)
    token = _NODES.set({})
    try:
        return [problem for group in groups.values() for check in CHECKS.values() for problem in check(group)]
    finally:
        _NODES.reset(token)

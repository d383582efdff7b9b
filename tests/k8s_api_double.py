"""A local HTTP double of the Kubernetes API, speaking its REST wire protocol for what kenzy uses.

Routes: ``/api/v1/...`` and ``/apis/<group>/<version>/...`` for the resource types in
``RESOURCES`` (its own discovery table, independent of kenzy's); per object ``GET``, ``PATCH``
(server-side apply only: ``Content-Type: application/apply-patch+yaml``, ``fieldManager``
required, ``force``) and ``DELETE``; per namespace collection ``GET`` (a ``<Kind>List`` whose
items carry no ``kind``/``apiVersion``, as the real API). Objects come back with ``uid``,
``resourceVersion``, ``generation`` (bumped when ``spec`` changes; an identical re-apply
changes nothing), ``creationTimestamp`` and ``managedFields``.

Errors are ``Status`` objects (``kind: Status``, ``code``, ``reason``, ``message``) with the
real API's wording: 401 without the bearer token, 403 for `DoubleState.forbid` rules or new
content in a terminating namespace, 404 for missing objects and namespaces, 409 for applying a
terminating Namespace or another manager's object without ``force``, 400/415/422 for bad
requests and invalid workloads (selector not matching the template, bad names).

Time is simulated lazily on each request: Deployments and StatefulSets become ready
``rollout_delay`` seconds after their last spec change (never when it is None or the name is
in ``stuck``); a deleted Namespace is ``Terminating`` for ``delete_delay`` seconds (forever
when None), then it and its objects are gone. ``fail_next`` injects faults; every request is
recorded with method, path, query, headers, body and the status answered.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import ssl
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml

RESOURCES: dict[tuple[str, str], tuple[str, bool]] = {
    ("v1", "namespaces"): ("Namespace", False),
    **{("v1", plural): (kind, True) for plural, kind in [
        ("secrets", "Secret"), ("configmaps", "ConfigMap"), ("services", "Service"),
        ("persistentvolumeclaims", "PersistentVolumeClaim"), ("serviceaccounts", "ServiceAccount"),
        ("resourcequotas", "ResourceQuota"), ("limitranges", "LimitRange")]},
    ("apps/v1", "deployments"): ("Deployment", True),
    ("apps/v1", "statefulsets"): ("StatefulSet", True),
    ("networking.k8s.io/v1", "networkpolicies"): ("NetworkPolicy", True),
    ("networking.k8s.io/v1", "ingresses"): ("Ingress", True),
    ("autoscaling/v2", "horizontalpodautoscalers"): ("HorizontalPodAutoscaler", True),
    ("policy/v1", "poddisruptionbudgets"): ("PodDisruptionBudget", True),
    ("batch/v1", "jobs"): ("Job", True),
    ("batch/v1", "cronjobs"): ("CronJob", True),
    ("rbac.authorization.k8s.io/v1", "roles"): ("Role", True),
    ("rbac.authorization.k8s.io/v1", "rolebindings"): ("RoleBinding", True),
}
REASONS = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed",
           409: "Conflict", 415: "UnsupportedMediaType", 422: "Invalid", 429: "TooManyRequests",
           500: "InternalError", 503: "ServiceUnavailable", 504: "Timeout"}
VERBS = {"GET": "get", "PATCH": "patch", "DELETE": "delete"}
DNS1123 = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")


class ApiError(Exception):
    """An error answer; becomes a ``Status`` body."""

    def __init__(self, code: int, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.details = code, message, details


def status_body(code: int, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
            "reason": REASONS.get(code, "Unknown"), "code": code}
    if details:
        body["details"] = details
    return body


@dataclass(frozen=True)
class Route:
    """A parsed URL: resource type, namespace (None: cluster scope) and name (None: the collection)."""

    group_version: str
    plural: str
    kind: str
    namespace: str | None
    name: str | None

    @property
    def group(self) -> str:
        return self.group_version.rpartition("/")[0]

    @property
    def resource(self) -> str:
        """``deployments.apps`` or ``secrets``, as the API's messages spell it."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def key(self) -> str:
        prefix = f"/apis/{self.group_version}" if self.group else f"/api/{self.group_version}"
        scope = f"/namespaces/{self.namespace}" if self.namespace is not None else ""
        return f"{prefix}{scope}/{self.plural}/{self.name}"


def parse_route(path: str) -> Route:
    parts = path.strip("/").split("/")
    if parts[:1] == ["api"] and len(parts) >= 3:
        group_version, rest = parts[1], parts[2:]
    elif parts[:1] == ["apis"] and len(parts) >= 4:
        group_version, rest = f"{parts[1]}/{parts[2]}", parts[3:]
    else:
        raise ApiError(404, "the server could not find the requested resource")
    namespace = None
    if len(rest) >= 3 and rest[0] == "namespaces":
        namespace, rest = rest[1], rest[2:]
    if len(rest) not in (1, 2) or (group_version, rest[0]) not in RESOURCES:
        raise ApiError(404, "the server could not find the requested resource")
    kind, namespaced = RESOURCES[(group_version, rest[0])]
    if namespaced != (namespace is not None) and not (namespaced and len(rest) == 1 and namespace is None):
        raise ApiError(404, "the server could not find the requested resource")
    return Route(group_version, rest[0], kind, namespace, rest[1] if len(rest) == 2 else None)


@dataclass
class Fault:
    code: int
    message: str
    retry_after: str | None
    match: str | None


@dataclass
class DoubleState:
    """What the double holds; tests read and tweak it."""

    token: str
    rollout_delay: float | None = 0.0
    """Seconds after a spec change until a workload is ready; None: never."""
    delete_delay: float | None = 0.0
    """Seconds a deleted Namespace stays Terminating; None: forever (a stuck finalizer)."""
    stuck: set[str] = field(default_factory=set)
    """Workload names that never become ready."""
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Object path -> the stored object (without ``status``: it is derived when read)."""
    requests: list[dict[str, Any]] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    forbidden: set[tuple[str, str]] = field(default_factory=set)
    lock: threading.RLock = field(default_factory=threading.RLock)
    _version: int = 1000
    _ready_at: dict[str, float | None] = field(default_factory=dict)
    _gone_at: dict[str, float | None] = field(default_factory=dict)
    _rolled: dict[str, str] = field(default_factory=dict)
    """Workload path -> the template revision all its pods ran when it was last ready."""

    def fail_next(self, count: int, code: int = 503, *, retry_after: str | None = None,
                  message: str | None = None, match: str | None = None) -> None:
        """Answer the next ``count`` requests (whose path contains ``match``) with ``code``."""
        with self.lock:
            self.faults += [Fault(code, message or f"injected {REASONS.get(code, code)}", retry_after, match)
                            for _ in range(count)]

    def forbid(self, method: str, plural: str) -> None:
        """RBAC: deny ``method`` on ``plural`` (403 Forbidden)."""
        self.forbidden.add((method, plural))

    def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        with self.lock:
            return [r for r in self.requests if method in (None, r["method"])]

    def get(self, path: str) -> dict[str, Any] | None:
        with self.lock:
            self.tick()
            return self.render(path) if path in self.objects else None

    def finish_deletion(self, namespace: str) -> None:
        """Let a Terminating namespace go now (its finalizers are done)."""
        with self.lock:
            self._gone_at[f"/api/v1/namespaces/{namespace}"] = 0.0

    def seed(self, path: str, obj: dict[str, Any], manager: str) -> None:
        """Store an object as if another client had applied it."""
        with self.lock:
            self.store(parse_route(path), copy.deepcopy(obj), manager)

    # -- simulated controllers -------------------------------------------------------------
    def next_version(self) -> str:
        self._version += 1
        return str(self._version)

    def tick(self) -> None:
        now = time.monotonic()
        for ns_path, gone_at in list(self._gone_at.items()):
            if gone_at is not None and gone_at <= now:
                name = ns_path.rsplit("/", 1)[1]
                for path in [p for p in self.objects if p == ns_path or f"/namespaces/{name}/" in p]:
                    self.objects.pop(path)
                    self._ready_at.pop(path, None)
                    self._rolled.pop(path, None)
                del self._gone_at[ns_path]

    def render(self, path: str) -> dict[str, Any]:
        obj = copy.deepcopy(self.objects[path])
        kind = obj["kind"]
        if kind == "Namespace":
            obj["status"] = {"phase": "Terminating" if path in self._gone_at else "Active"}
            if path in self._gone_at:
                obj["status"]["conditions"] = [{"type": "NamespaceFinalizersRemaining", "status": "True",
                                                "message": "Some content in the namespace has finalizers remaining: "
                                                           "kubernetes.io/pvc-protection in 1 resource instances"}]
        elif kind in {"Deployment", "StatefulSet"}:
            ready_at = self._ready_at.get(path)
            ready = obj["metadata"]["name"] not in self.stuck and ready_at is not None and ready_at <= time.monotonic()
            obj["status"] = self.workload_status(path, obj, ready)
        return obj

    def workload_status(self, path: str, obj: dict[str, Any], ready: bool) -> dict[str, Any]:
        """Fresh workloads start with nothing ready; an update of a rolled-out one keeps its old
        pods ready (a surge pod for Deployments, the old revision for StatefulSets) until done."""
        replicas = obj["spec"].get("replicas", 1)
        revision = f"{obj['metadata']['name']}-{_digest(obj['spec'].get('template'))}"
        rolled = self._rolled.get(path)
        if ready:
            rolled = self._rolled[path] = revision
        status: dict[str, Any] = {"observedGeneration": obj["metadata"]["generation"], "replicas": replicas}
        if obj["kind"] == "Deployment":
            if ready:
                status.update(updatedReplicas=replicas, readyReplicas=replicas, availableReplicas=replicas)
            elif rolled is not None:
                status.update(replicas=replicas + 1, updatedReplicas=1, readyReplicas=replicas,
                              availableReplicas=replicas, unavailableReplicas=1)
            else:
                status.update(updatedReplicas=replicas, unavailableReplicas=replicas)
            return status
        if ready or rolled is not None:
            status.update(readyReplicas=replicas, currentReplicas=replicas, availableReplicas=replicas)
        status.update(currentRevision=rolled or revision, updateRevision=revision)
        return status

    def store(self, route: Route, body: dict[str, Any], manager: str) -> tuple[int, dict[str, Any]]:
        """Apply ``body`` as ``manager``: create, change, or leave untouched when nothing differs."""
        old = self.objects.get(route.key)
        meta = body.setdefault("metadata", {})
        if route.namespace is not None:
            meta["namespace"] = route.namespace
        if old is not None and _user_fields(old) == _user_fields(body) and _manager(old) == manager:
            return 200, self.render(route.key)
        server = {"uid": old["metadata"]["uid"] if old else str(uuid.uuid4()),
                  "creationTimestamp": old["metadata"]["creationTimestamp"] if old else _now(),
                  "resourceVersion": self.next_version(),
                  "managedFields": [{"manager": manager, "operation": "Apply", "apiVersion": route.group_version,
                                     "fieldsType": "FieldsV1", "time": _now()}]}
        if "spec" in body and route.kind != "Namespace":
            generation = old["metadata"].get("generation", 1) if old else 1
            server["generation"] = generation + 1 if old and old.get("spec") != body["spec"] else generation
            if route.kind in {"Deployment", "StatefulSet"} and (old is None or server["generation"] != generation):
                delay = self.rollout_delay
                self._ready_at[route.key] = None if delay is None else time.monotonic() + delay
        meta.update(server)
        self.objects[route.key] = body
        return (200 if old else 201), self.render(route.key)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:10]


def _user_fields(obj: dict[str, Any]) -> Any:
    server = {"uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "deletionTimestamp"}
    meta = {k: v for k, v in obj.get("metadata", {}).items() if k not in server}
    return json.dumps({**obj, "metadata": meta}, sort_keys=True)


def _manager(obj: dict[str, Any]) -> str:
    return obj["metadata"]["managedFields"][0]["manager"]


class _Api:
    """The routes on a `DoubleState`; methods return (status, body) or raise `ApiError`."""

    def __init__(self, state: DoubleState) -> None:
        self.state = state

    def handle(self, method: str, path: str, query: dict[str, str], headers: dict[str, str],
               raw: bytes) -> tuple[int, dict[str, Any]]:
        route = parse_route(path)
        verb = VERBS.get(method)
        if verb is None or (route.name is None and method != "GET"):
            raise ApiError(405, "the server does not allow this method on the requested resource")
        if (method, route.plural) in self.state.forbidden:
            verb = verb if route.name else "list"
            where = f' in the namespace "{route.namespace}"' if route.namespace else " at the cluster scope"
            raise ApiError(403, f'{route.resource} "{route.name or ""}" is forbidden: User '
                                f'"system:serviceaccount:kenzy:kenzy" cannot {verb} resource "{route.plural}" in '
                                f'API group "{route.group}"{where}')
        if route.name is None:
            return self.list(route)
        if method == "GET":
            return 200, self.state.render(self.existing(route))
        if method == "DELETE":
            return self.delete(route)
        return self.apply(route, query, headers, raw)

    def existing(self, route: Route) -> str:
        if route.key not in self.state.objects:
            raise ApiError(404, f'{route.resource} "{route.name}" not found',
                           {"name": route.name, "group": route.group, "kind": route.plural})
        return route.key

    def list(self, route: Route) -> tuple[int, dict[str, Any]]:
        prefix = route.key.rsplit("/", 1)[0] + "/"
        items = []
        for path in sorted(p for p in self.state.objects if p.startswith(prefix) and "/" not in p[len(prefix):]):
            item = self.state.render(path)
            del item["kind"], item["apiVersion"]
            items.append(item)
        return 200, {"kind": f"{route.kind}List", "apiVersion": route.group_version,
                     "metadata": {"resourceVersion": str(self.state._version)}, "items": items}

    def delete(self, route: Route) -> tuple[int, dict[str, Any]]:
        path = self.existing(route)
        if route.kind != "Namespace":
            gone = self.state.render(path)
            del self.state.objects[path]
            return 200, gone
        if path not in self.state._gone_at:
            delay = self.state.delete_delay
            self.state._gone_at[path] = None if delay is None else time.monotonic() + delay
            self.state.objects[path]["metadata"]["deletionTimestamp"] = _now()
            self.state.objects[path]["metadata"]["resourceVersion"] = self.state.next_version()
        return 200, self.state.render(path)

    def apply(self, route: Route, query: dict[str, str], headers: dict[str, str],
              raw: bytes) -> tuple[int, dict[str, Any]]:
        media = headers.get("content-type", "").split(";")[0].strip()
        if media != "application/apply-patch+yaml":
            raise ApiError(415, f"the body of the request was in an unknown format - accepted media types include: "
                                f"application/json-patch+json, application/merge-patch+json, "
                                f"application/apply-patch+yaml (got {media!r})")
        manager = query.get("fieldManager")
        if not manager:
            raise ApiError(400, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: '
                                "is required for apply patch")
        try:
            body = yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            raise ApiError(400, f"error decoding YAML: {exc}") from None
        if not isinstance(body, dict) or body.get("apiVersion") != route.group_version or body.get("kind") != route.kind:
            raise ApiError(400, f"the API version in the data ({body.get('apiVersion') if isinstance(body, dict) else ''})"
                                f" does not match the expected API version ({route.group_version}) or kind")
        meta = body.get("metadata") or {}
        if meta.get("name") != route.name:
            raise ApiError(400, f"the name of the object ({meta.get('name')}) does not match the name on the URL "
                                f"({route.name})")
        if meta.get("namespace") not in (None, route.namespace):
            raise ApiError(400, "the namespace of the provided object does not match the namespace sent on the request")
        self.check_namespace(route)
        old = self.state.objects.get(route.key)
        if old is not None and _manager(old) != manager and query.get("force") != "true":
            raise ApiError(409, f'Apply failed with 1 conflict: conflict with "{_manager(old)}": .spec',
                           {"name": route.name, "group": route.group, "kind": route.plural,
                            "causes": [{"reason": "FieldManagerConflict", "field": ".spec",
                                        "message": f'conflict with "{_manager(old)}"'}]})
        self.validate(route, body)
        return self.state.store(route, body, manager)

    def check_namespace(self, route: Route) -> None:
        if route.kind == "Namespace" and route.key in self.state._gone_at:
            raise ApiError(409, f'Operation cannot be fulfilled on namespaces "{route.name}": The system is ensuring '
                                "all content is removed from this namespace.  Upon completion, this namespace will "
                                "automatically be purged by the system.")
        if route.namespace is None:
            return
        ns_key = f"/api/v1/namespaces/{route.namespace}"
        if ns_key not in self.state.objects:
            raise ApiError(404, f'namespaces "{route.namespace}" not found',
                           {"name": route.namespace, "kind": "namespaces"})
        if ns_key in self.state._gone_at and route.key not in self.state.objects:
            raise ApiError(403, f'{route.resource} "{route.name}" is forbidden: unable to create new content in '
                                f"namespace {route.namespace} because it is being terminated")

    @staticmethod
    def validate(route: Route, body: dict[str, Any]) -> None:
        invalid = f'{route.kind}{"." + route.group if route.group else ""} "{route.name}" is invalid'
        if len(route.name or "") > 253 or not DNS1123.fullmatch(route.name or ""):
            raise ApiError(422, f'{invalid}: metadata.name: Invalid value: "{route.name}": a lowercase RFC 1123 '
                                "subdomain must consist of lower case alphanumeric characters, '-' or '.'")
        if route.kind in {"Deployment", "StatefulSet"}:
            spec = body.get("spec") or {}
            selector = (spec.get("selector") or {}).get("matchLabels") or {}
            labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
            if not selector or any(labels.get(k) != v for k, v in selector.items()):
                raise ApiError(422, f"{invalid}: spec.template.metadata.labels: Invalid value: {labels}: "
                                    "`selector` does not match template `labels`",
                               {"name": route.name, "group": route.group, "kind": route.kind,
                                "causes": [{"reason": "FieldValueInvalid", "field": "spec.template.metadata.labels"}]})


@contextmanager
def k8s_api_double(token: str, *, rollout_delay: float | None = 0.0, delete_delay: float | None = 0.0,
                   tls: tuple[Path, Path] | None = None) -> Iterator[tuple[str, DoubleState]]:
    """Serve on 127.0.0.1; yields (base URL, state). ``tls`` = (certificate, key) serves HTTPS."""
    state = DoubleState(token=token, rollout_delay=rollout_delay, delete_delay=delete_delay)
    api = _Api(state)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def serve(self) -> None:
            url = urlsplit(self.path)
            query = {key: values[-1] for key, values in parse_qs(url.query).items()}
            headers = {key.lower(): value for key, value in self.headers.items()}
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                body: Any = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode(errors="replace")
            entry = {"method": self.command, "path": url.path, "query": query, "headers": headers, "body": body}
            extra: dict[str, str] = {}
            with state.lock:
                state.requests.append(entry)
                state.tick()
                fault = next((f for f in state.faults if f.match is None or f.match in url.path), None)
                try:
                    if headers.get("authorization") != f"Bearer {state.token}":
                        raise ApiError(401, "Unauthorized")
                    if fault is not None:
                        state.faults.remove(fault)
                        if fault.retry_after is not None:
                            extra["Retry-After"] = fault.retry_after
                        raise ApiError(fault.code, fault.message)
                    code, answer = api.handle(self.command, url.path, query, headers, raw)
                except ApiError as exc:
                    code, answer = exc.code, status_body(exc.code, exc.message, exc.details)
                entry["status"] = code
            payload = json.dumps(answer).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in extra.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_PATCH = do_DELETE = do_POST = do_PUT = serve  # noqa: N815 - http.server's naming

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    scheme = "https" if tls else "http"
    try:
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}", state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

"""A local HTTP double of the Cloudflare API v4 endpoints kenzy uses, for the DNS provider tests.

Endpoints: ``GET /zones`` (filters ``name``, ``status``), ``GET /zones/{id}/dns_records``
(filters ``name``, ``type``), ``POST /zones/{id}/dns_records``, ``PUT`` and ``DELETE
/zones/{id}/dns_records/{record_id}``; listings paginate with ``page`` and ``per_page`` (default
20). Every answer is an envelope ``{"success", "errors", "messages", "result"[, "result_info"]}``.
A wrong bearer token gets 403 with ``success: false``; validation errors get 400 with
Cloudflare's codes (9005 bad IPv4, 81057 record already exists, ...). ``state.fail_next``
injects faults (429 with ``Retry-After: 0``, 503, or a 200 whose ``success`` is false).
"""

from __future__ import annotations

import ipaddress
import json
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

PREFIX = "/client/v4"
PROXIABLE = {"A", "AAAA", "CNAME"}


class CfError(Exception):
    """An error answer: HTTP status and Cloudflare (code, message) pairs."""

    def __init__(self, status: int, *errors: tuple[int, str]) -> None:
        super().__init__(errors)
        self.status = status
        self.errors = errors


@dataclass
class Fault:
    status: int
    code: int
    message: str


@dataclass
class DoubleState:
    """What the double holds; tests read and tweak it (under ``lock`` when the server runs)."""

    token: str
    zones: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Zone id -> zone object."""
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Record id -> record object (with ``zone_id``)."""
    requests: list[dict[str, Any]] = field(default_factory=list)
    """Every request: method, path (without the /client/v4 prefix), query, body, status answered."""
    max_per_page: int | None = None
    """Cap ``per_page`` below what clients ask (Cloudflare caps it too), to force many pages."""
    faults: list[Fault] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_zone(self, name: str, status: str = "active") -> str:
        zone_id = uuid.uuid4().hex
        self.zones[zone_id] = {"id": zone_id, "name": name, "status": status, "paused": False, "type": "full",
                               "name_servers": ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"]}
        return zone_id

    def zone_id(self, name: str) -> str:
        return next(zone_id for zone_id, zone in self.zones.items() if zone["name"] == name)

    def add_record(self, zone: str, name: str, rtype: str, content: str, ttl: int = 300,
                   proxied: bool = False) -> dict[str, Any]:
        """Store a record directly (no validation), as if made in the dashboard."""
        record = _record(self.zone_id(zone), self.zones[self.zone_id(zone)]["name"],
                         {"name": name, "type": rtype, "content": content, "ttl": ttl, "proxied": proxied})
        self.records[record["id"]] = record
        return record

    def records_at(self, name: str, rtype: str | None = None) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(r) for r in self.records.values() if r["name"] == name and rtype in (None, r["type"])]

    def fail_next(self, count: int, status: int = 429, *, code: int = 10000, message: str = "injected fault") -> None:
        """Answer the next ``count`` requests with ``status`` (429 carries ``Retry-After: 0``;
        200 answers an envelope with ``success: false``)."""
        with self.lock:
            self.faults.extend(Fault(status, code, message) for _ in range(count))

    def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        with self.lock:
            return [r for r in self.requests if method in (None, r["method"])]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _record(zone_id: str, zone_name: str, body: dict[str, Any], record_id: str | None = None) -> dict[str, Any]:
    rtype = body["type"]
    proxied = bool(body.get("proxied", False)) and rtype in PROXIABLE
    now = _now()
    return {"id": record_id or uuid.uuid4().hex, "zone_id": zone_id, "zone_name": zone_name,
            "name": body["name"].lower().rstrip("."), "type": rtype, "content": body["content"],
            "proxiable": rtype in PROXIABLE, "proxied": proxied, "ttl": 1 if proxied else body.get("ttl", 1),
            "locked": False, "comment": body.get("comment"), "tags": body.get("tags", []), "meta": {},
            "created_on": now, "modified_on": now}


def _envelope(result: Any, errors: list[dict[str, Any]] | None = None, info: dict[str, Any] | None = None) -> dict[str, Any]:
    body = {"success": not errors, "errors": errors or [], "messages": [], "result": result}
    if info is not None:
        body["result_info"] = info
    return body


class _Api:
    """The routes, on a `DoubleState`; every method returns (status, body) or raises `CfError`."""

    def __init__(self, state: DoubleState) -> None:
        self.state = state

    def handle(self, method: str, parts: list[str], query: dict[str, str], body: Any) -> tuple[int, dict[str, Any]]:
        if parts == ["zones"] and method == "GET":
            return self.list_zones(query)
        if len(parts) >= 3 and parts[0] == "zones" and parts[2] == "dns_records":
            zone = self.state.zones.get(parts[1])
            if zone is None:
                raise CfError(400, (7003, "Could not route to /zones/" + parts[1] + "/dns_records, perhaps your "
                                          "object identifier is invalid?"), (7000, "No route for that URI"))
            if len(parts) == 3 and method == "GET":
                return self.list_records(zone, query)
            if len(parts) == 3 and method == "POST":
                return self.create(zone, body)
            if len(parts) == 4 and method in {"PUT", "DELETE"}:
                record = self.state.records.get(parts[3])
                if record is None or record["zone_id"] != zone["id"]:
                    raise CfError(404, (81044, "Record does not exist."))
                return self.update(zone, record, body) if method == "PUT" else self.delete(record)
        raise CfError(404 if method in {"GET", "POST", "PUT", "DELETE"} else 405, (7000, "No route for that URI"))

    @staticmethod
    def page(items: list[dict[str, Any]], query: dict[str, str], cap: int | None) -> tuple[int, dict[str, Any]]:
        try:
            page, per_page = int(query.get("page", 1)), int(query.get("per_page", 20))
        except ValueError:
            raise CfError(400, (1001, "Invalid page or per_page")) from None
        if page < 1 or per_page < 1:
            raise CfError(400, (1001, "Invalid page or per_page"))
        if cap:
            per_page = min(per_page, cap)
        chunk = items[(page - 1) * per_page:page * per_page]
        info = {"page": page, "per_page": per_page, "count": len(chunk), "total_count": len(items),
                "total_pages": max(1, -(-len(items) // per_page))}
        return 200, _envelope(chunk, info=info)

    def list_zones(self, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        zones = [z for z in self.state.zones.values()
                 if query.get("name", z["name"]) == z["name"] and query.get("status", z["status"]) == z["status"]]
        return self.page(sorted(zones, key=lambda z: z["name"]), query, self.state.max_per_page)

    def list_records(self, zone: dict[str, Any], query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        name = query.get("name", "").lower().rstrip(".")
        records = [r for r in self.state.records.values() if r["zone_id"] == zone["id"]
                   and (not name or r["name"] == name) and query.get("type", r["type"]) == r["type"]]
        return self.page(sorted(records, key=lambda r: r["created_on"]), query, self.state.max_per_page)

    def validate(self, zone: dict[str, Any], body: Any, record_id: str | None) -> None:
        if not isinstance(body, dict):
            raise CfError(400, (9207, "Request body is invalid."))
        missing = [key for key in ("type", "name", "content") if not body.get(key)]
        if missing:
            raise CfError(400, *[(9000 + i, f"DNS record {key} is required.") for i, key in enumerate(missing)])
        rtype, name, content = body["type"], body["name"].lower().rstrip("."), body["content"]
        if rtype not in {"A", "AAAA", "CNAME", "TXT", "MX", "NS", "CAA", "SRV"}:
            raise CfError(400, (9009, "Invalid record type."))
        if name != zone["name"] and not name.endswith("." + zone["name"]):
            raise CfError(400, (1004, "DNS Validation Error"))
        if rtype == "A":
            try:
                ipaddress.IPv4Address(content)
            except ValueError:
                raise CfError(400, (9005, "Content for A record must be a valid IPv4 address.")) from None
        if rtype == "AAAA":
            try:
                ipaddress.IPv6Address(content)
            except ValueError:
                raise CfError(400, (9006, "Content for AAAA record must be a valid IPv6 address.")) from None
        if body.get("proxied") and rtype not in PROXIABLE:
            raise CfError(400, (9004, "This record type cannot be proxied."))
        ttl = body.get("ttl", 1)
        if not isinstance(ttl, int) or not (ttl == 1 or 60 <= ttl <= 86400):
            raise CfError(400, (9021, "Invalid TTL. Must be between 60 and 86400 seconds, or 1 for Automatic."))
        others = [r for r in self.state.records.values() if r["zone_id"] == zone["id"] and r["name"] == name
                  and r["id"] != record_id]
        if any(r["type"] == rtype and r["content"] == content for r in others):
            raise CfError(400, (81057, "Record already exists."))
        if rtype == "CNAME" and any(r["type"] in PROXIABLE for r in others) or (
                rtype in {"A", "AAAA"} and any(r["type"] == "CNAME" for r in others)):
            raise CfError(400, (81053, "An A, AAAA, or CNAME record with that host already exists."))

    def create(self, zone: dict[str, Any], body: Any) -> tuple[int, dict[str, Any]]:
        self.validate(zone, body, None)
        record = _record(zone["id"], zone["name"], body)
        self.state.records[record["id"]] = record
        return 200, _envelope(record)

    def update(self, zone: dict[str, Any], record: dict[str, Any], body: Any) -> tuple[int, dict[str, Any]]:
        self.validate(zone, body, record["id"])
        new = _record(zone["id"], zone["name"], body, record_id=record["id"])
        new["created_on"] = record["created_on"]
        self.state.records[record["id"]] = new
        return 200, _envelope(new)

    def delete(self, record: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        del self.state.records[record["id"]]
        return 200, _envelope({"id": record["id"]})


@contextmanager
def cloudflare_double(token: str, zones: Iterable[str] = ()) -> Iterator[tuple[str, DoubleState]]:
    """Serve on 127.0.0.1 with ``zones`` active; yields (base_url ending in /client/v4, state)."""
    state = DoubleState(token=token)
    for zone in zones:
        state.add_zone(zone)
    api = _Api(state)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def answer(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        def serve(self) -> None:
            url = urlsplit(self.path)
            path = url.path[len(PREFIX):] if url.path.startswith(PREFIX) else url.path
            query = {key: values[-1] for key, values in parse_qs(url.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode(errors="replace")
            entry = {"method": self.command, "path": path, "query": query, "body": body}
            with state.lock:
                state.requests.append(entry)
                fault = state.faults.pop(0) if state.faults else None
                if fault is not None:
                    status, result = fault.status, _envelope(None, [{"code": fault.code, "message": fault.message}])
                    headers = {"Retry-After": "0"} if status == 429 else {}
                elif self.headers.get("Authorization") != f"Bearer {state.token}":
                    status, headers = 403, {}
                    result = _envelope(None, [{"code": 10000, "message": "Authentication error"}])
                elif not url.path.startswith(PREFIX + "/"):
                    status, headers, result = 404, {}, _envelope(None, [{"code": 7000, "message": "No route for that URI"}])
                else:
                    headers = {}
                    try:
                        status, result = api.handle(self.command, path.strip("/").split("/"), query, body)
                    except CfError as exc:
                        status = exc.status
                        result = _envelope(None, [{"code": code, "message": message} for code, message in exc.errors])
                entry["status"] = status
            self.answer(status, result, headers)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = serve  # noqa: N815 - http.server's naming

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}", state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

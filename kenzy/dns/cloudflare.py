"""Cloudflare DNS through its API v4, behind kenzy's `DnsProvider` interface.

Only the endpoints kenzy needs: list the active zones (paginated) to find the zone of a name,
then list, create (POST), overwrite (PUT) and delete the records of one (name, type). Every
answer comes in Cloudflare's envelope ``{"success", "errors", "messages", "result",
"result_info"}``; an answer whose ``success`` is not true raises `ProviderError` with
Cloudflare's codes and messages, whatever its HTTP status. HTTP, retries and error mapping are
``_http.ApiClient``'s; names are checked and converted to punycode by ``_names``.
"""

from __future__ import annotations

import ipaddress
import json
import logging
from typing import Any, get_args

from kenzy.dns import DnsRecord, RecordType
from kenzy.dns._http import ApiClient, NotFound
from kenzy.dns._names import normalize
from kenzy.errors import InvalidInput, ProviderError, ZoneNotManaged

__all__ = ["CloudflareDns"]

logger = logging.getLogger(__name__)

_NAME = "cloudflare"
_PROXIABLE = frozenset({"A", "AAAA", "CNAME"})
_TYPES = frozenset(get_args(RecordType))
_ZONES_PER_PAGE = 50  # Cloudflare's maximum for /zones
_RECORDS_PER_PAGE = 100


class CloudflareDns:
    """Cloudflare DNS for an API token allowed to read zones and edit their DNS records.

    ``proxied`` is the default for A, AAAA and CNAME records whose `DnsRecord.proxied` is None
    (True: served through Cloudflare's CDN); TXT records are never proxied. Zone ids are cached
    for the life of the instance. The token is sent as a bearer token and never shown.
    """

    name = _NAME

    def __init__(
        self, *, api_token: str, base_url: str = "https://api.cloudflare.com/client/v4", proxied: bool = True,
        retries: int = 4, backoff: float = 0.2,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.proxied = proxied
        self._api = ApiClient(_NAME, self.base_url, headers={"Authorization": f"Bearer {api_token}"},
                              retries=retries, backoff=backoff)
        self._zones: dict[str, str] = {}
        """Zone name -> id, from the last listing of the active zones."""

    def __repr__(self) -> str:
        return f"CloudflareDns(base_url={self.base_url!r}, proxied={self.proxied!r}, api_token='***')"

    async def __aenter__(self) -> CloudflareDns:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Release the HTTP client."""
        await self._api.aclose()

    async def zone_for(self, fqdn: str) -> str:
        """The longest active zone that holds ``fqdn``.

        Raises:
            InvalidInput: ``fqdn`` is not a valid DNS name.
            ZoneNotManaged: no active zone of the account contains the name.
        """
        return (await self._zone(normalize(fqdn)))[0]

    async def records(self, fqdn: str) -> list[DnsRecord]:
        """Every A, AAAA, CNAME and TXT record at ``fqdn`` (other types are left out)."""
        name = normalize(fqdn)
        _, zone_id = await self._zone(name)
        return [_to_record(item) for item in await self._list(zone_id, name) if item.get("type") in _TYPES]

    async def replace(self, fqdn: str, rtype: RecordType, records: list[DnsRecord]) -> None:
        """Make exactly ``records`` exist for (``fqdn``, ``rtype``).

        Records already right are left alone, the others are overwritten in place (same id),
        missing ones created and extra ones deleted, in that order.

        Raises:
            InvalidInput: a bad name, or a record of another name or type (before any request).
        """
        name = normalize(fqdn)
        wanted = self._payloads(name, rtype, records)
        _, zone_id = await self._zone(name)
        existing = await self._list(zone_id, name, rtype)

        updates: list[tuple[dict[str, Any], dict[str, Any]]] = []
        unmatched: list[dict[str, Any]] = []
        for payload in wanted:
            same = next((item for item in existing if _content_key(item) == _content_key(payload)), None)
            if same is None:
                unmatched.append(payload)
                continue
            existing.remove(same)
            if _differs(same, payload):
                updates.append((same, payload))
        creates: list[dict[str, Any]] = []
        for payload in unmatched:
            if existing:
                updates.append((existing.pop(0), payload))
            else:
                creates.append(payload)

        path = f"/zones/{zone_id}/dns_records"
        for item, payload in updates:
            logger.info("cloudflare: updating %s %s record %s", name, rtype, item["id"])
            await self._call("PUT", f"{path}/{item['id']}", json=payload)
        for payload in creates:
            logger.info("cloudflare: creating %s %s record", name, rtype)
            await self._call("POST", path, json=payload)
        for item in existing:
            await self._delete(zone_id, item, name, rtype)

    async def delete(self, fqdn: str, rtype: RecordType) -> None:
        """Remove every record of (``fqdn``, ``rtype``); nothing to do when there is none."""
        name = normalize(fqdn)
        _, zone_id = await self._zone(name)
        for item in await self._list(zone_id, name, rtype):
            await self._delete(zone_id, item, name, rtype)

    # -- internals ---------------------------------------------------------------------------

    def _payloads(self, name: str, rtype: RecordType, records: list[DnsRecord]) -> list[dict[str, Any]]:
        """The request bodies for ``records``, checked, without duplicates."""
        payloads: dict[tuple[str, str], dict[str, Any]] = {}
        for record in records:
            if record.type != rtype:
                raise InvalidInput("DNS record", f"a {record.type} record in the {rtype} set of {name}")
            if normalize(record.name) != name:
                raise InvalidInput("DNS record", f"{record.name!r} is not {name!r}")
            payload: dict[str, Any] = {"type": rtype, "name": name, "content": record.content,
                                       "ttl": record.ttl}
            if rtype in _PROXIABLE:
                payload["proxied"] = self.proxied if record.proxied is None else record.proxied
            payloads.setdefault(_content_key(payload), payload)
        return list(payloads.values())

    async def _zone(self, name: str) -> tuple[str, str]:
        """(zone name, zone id) of the longest active zone holding the normalised ``name``."""
        found = self._longest(name)
        if found is None:
            # Not in the cache (or no cache yet): list the zones again, one may have been added.
            zones = await self._paged("/zones", {"status": "active"}, _ZONES_PER_PAGE)
            self._zones = {_plain(zone["name"]): zone["id"] for zone in zones}
            found = self._longest(name)
        if found is None:
            raise ZoneNotManaged(_NAME, name)
        return found, self._zones[found]

    def _longest(self, name: str) -> str | None:
        matches = [zone for zone in self._zones if name == zone or name.endswith("." + zone)]
        return max(matches, key=len) if matches else None

    async def _list(self, zone_id: str, name: str, rtype: str | None = None) -> list[dict[str, Any]]:
        params = {"name": name} | ({"type": rtype} if rtype else {})
        items = await self._paged(f"/zones/{zone_id}/dns_records", params, _RECORDS_PER_PAGE)
        # Cloudflare filters by name; check anyway, a record of another name must never be deleted.
        return [item for item in items
                if _plain(item["name"]) == name and (rtype is None or item["type"] == rtype)]

    async def _delete(self, zone_id: str, item: dict[str, Any], name: str, rtype: str) -> None:
        logger.info("cloudflare: deleting %s %s record %s", name, rtype, item["id"])
        try:
            await self._call("DELETE", f"/zones/{zone_id}/dns_records/{item['id']}")
        except NotFound:
            pass  # already gone: the goal is reached

    async def _paged(self, path: str, params: dict[str, Any], per_page: int) -> list[dict[str, Any]]:
        """Every item of a paginated listing, following ``result_info.total_pages``."""
        items: list[dict[str, Any]] = []
        page = 1
        while True:
            query = {**params, "page": page, "per_page": per_page}
            result, info = await self._call("GET", path, params=query)
            if not isinstance(result, list):
                raise ProviderError(_NAME, None, f"GET {path} answered a {type(result).__name__}, not a list")
            items.extend(result)
            total_pages = info.get("total_pages") or 1
            if not result or page >= total_pages:
                return items
            page += 1

    async def _call(self, method: str, path: str, **kwargs: Any) -> tuple[Any, dict[str, Any]]:
        """(result, result_info) of a successful call; anything else raises `ProviderError`."""
        try:
            response = await self._api.request(method, path, **kwargs)
        except ProviderError as exc:
            raise _reworded(exc) from None
        try:
            body = response.json()
        except ValueError:
            raise ProviderError(_NAME, response.status_code, f"{method} {path} answered no JSON") from None
        if not isinstance(body, dict) or body.get("success") is not True:
            raise ProviderError(_NAME, response.status_code, _errors_text(body))
        return body.get("result"), body.get("result_info") or {}


def _errors_text(body: Any) -> str:
    """``"<code>: <message>; ..."`` from an envelope's errors (and their ``error_chain``)."""
    errors = body.get("errors") if isinstance(body, dict) else None
    parts = []
    for error in errors if isinstance(errors, list) else []:
        if not isinstance(error, dict):
            continue
        text = f"{error.get('code')}: {error.get('message')}"
        chain = [f"{e.get('code')}: {e.get('message')}"
                 for e in error.get("error_chain") or [] if isinstance(e, dict)]
        parts.append(f"{text} ({'; '.join(chain)})" if chain else text)
    return "; ".join(parts) or "the API answered success: false without an error"


def _reworded(exc: ProviderError) -> ProviderError:
    """``exc`` with Cloudflare's error envelope (if its detail is one) as ``code: message``."""
    prefix = f"{exc.provider} provider failed" + (f" (HTTP {exc.status})" if exc.status else "") + ": "
    text = str(exc)
    if not text.startswith(prefix):
        return exc
    try:
        body = json.loads(text[len(prefix):])
    except ValueError:
        return exc
    if not isinstance(body, dict) or not body.get("errors"):
        return exc
    return type(exc)(exc.provider, exc.status, _errors_text(body))


def _content_key(item: dict[str, Any]) -> tuple[str, str]:
    """(type, content) normalised so equal records compare equal (IPv6 forms, CNAME case, TXT quotes)."""
    rtype, content = str(item["type"]), str(item["content"]).strip()
    if rtype in {"A", "AAAA"}:
        try:
            content = str(ipaddress.ip_address(content))
        except ValueError:
            pass
    elif rtype == "CNAME":
        content = content.lower().rstrip(".")
    elif rtype == "TXT" and len(content) >= 2 and content[0] == content[-1] == '"':
        content = content[1:-1]
    return rtype, content


def _differs(item: dict[str, Any], payload: dict[str, Any]) -> bool:
    """True when an existing record with the right content needs its TTL or proxying changed."""
    if "proxied" in payload and bool(item.get("proxied")) != payload["proxied"]:
        return True
    # Cloudflare keeps proxied records on TTL 1 ("automatic") whatever was asked.
    return not payload.get("proxied") and item.get("ttl") != payload["ttl"]


def _to_record(item: dict[str, Any]) -> DnsRecord:
    rtype = item["type"]
    return DnsRecord(name=_plain(item["name"]), type=rtype, content=item["content"], ttl=item.get("ttl", 1),
                     proxied=bool(item.get("proxied")) if rtype in _PROXIABLE else None)


def _plain(name: str) -> str:
    """A name as Cloudflare returns it, lowercased without a trailing dot (not re-validated)."""
    return name.lower().rstrip(".")

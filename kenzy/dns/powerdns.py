"""`PowerDns`: records through the PowerDNS Authoritative HTTP API (RRsets, PATCH)."""

from __future__ import annotations

from typing import Any

from kenzy.dns import DnsRecord, RecordType
from kenzy.dns import _names as names
from kenzy.dns._http import ApiClient
from kenzy.errors import ZoneNotManaged

__all__ = ["PowerDns"]


def _to_api(rtype: str, content: str) -> str:
    if rtype == "CNAME":
        return names.absolute(content)  # PowerDNS wants the trailing dot
    if rtype == "TXT":
        return '"' + content.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return content


def _from_api(rtype: str, content: str) -> str:
    if rtype == "CNAME":
        return content.rstrip(".")
    if rtype == "TXT" and content.startswith('"') and content.endswith('"'):
        return content[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return content


class PowerDns:
    """PowerDNS Authoritative (4.x) through its API. A PATCH of a whole RRset is idempotent."""

    name = "powerdns"

    def __init__(self, *, api_url: str, api_key: str, server_id: str = "localhost", transport: Any = None) -> None:
        self._server = server_id
        # Writes to the sqlite backend collide under load (HTTP 500 "database is locked"):
        # PATCHes of whole RRsets are idempotent, so they are retried, with more patience.
        self._api = ApiClient("powerdns", api_url.rstrip("/") + "/api/v1", headers={"X-API-Key": api_key},
                              retry_unsafe=True, retries=8, backoff=0.05, transport=transport)

    def __repr__(self) -> str:
        return "PowerDns(<api key hidden>)"

    async def aclose(self) -> None:
        await self._api.aclose()

    async def zone_for(self, fqdn: str) -> str:
        name = names.normalize(fqdn)
        response = await self._api.request("GET", f"/servers/{self._server}/zones")
        zones = sorted((z["name"].rstrip(".") for z in response.json()), key=len, reverse=True)
        for zone in zones:
            if names.within(name, zone):
                return zone
        raise ZoneNotManaged("powerdns", name)

    async def _patch(self, zone: str, rrset: dict[str, Any]) -> None:
        await self._api.request("PATCH", f"/servers/{self._server}/zones/{names.absolute(zone)}", json={"rrsets": [rrset]})

    async def replace(self, fqdn: str, rtype: RecordType, records: list[DnsRecord]) -> None:
        name = names.normalize(fqdn)
        zone = await self.zone_for(name)
        if not records:
            await self.delete(name, rtype)
            return
        await self._patch(zone, {
            "name": names.absolute(name), "type": rtype, "ttl": min(r.ttl for r in records), "changetype": "REPLACE",
            "records": [{"content": _to_api(rtype, r.content), "disabled": False} for r in records],
        })

    async def delete(self, fqdn: str, rtype: RecordType) -> None:
        name = names.normalize(fqdn)
        zone = await self.zone_for(name)
        await self._patch(zone, {"name": names.absolute(name), "type": rtype, "changetype": "DELETE"})

    async def records(self, fqdn: str) -> list[DnsRecord]:
        name = names.normalize(fqdn)
        zone = await self.zone_for(name)
        response = await self._api.request("GET", f"/servers/{self._server}/zones/{names.absolute(zone)}")
        found = []
        for rrset in response.json().get("rrsets", []):
            if rrset["name"].rstrip(".") != name:
                continue
            for record in rrset["records"]:
                if not record.get("disabled"):
                    found.append(DnsRecord(name=name, type=rrset["type"], ttl=rrset["ttl"],
                                           content=_from_api(rrset["type"], record["content"])))
        return [r for r in found if r.type in {"A", "AAAA", "CNAME", "TXT"}]

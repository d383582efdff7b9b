"""DNS providers behind one interface (`DnsProvider`): PowerDNS and Cloudflare.

Each provider maps kenzy's `DnsRecord`s to its API; the HTTP plumbing (client, retries with
backoff, error mapping) lives once in ``_http.py`` and name handling (labels, IDN, zones) in
``_names.py``. Providers load lazily through `provider_for`.
"""

from __future__ import annotations

import importlib
from typing import Any, Literal, Protocol

from pydantic import BaseModel

__all__ = ["PROVIDERS", "DnsProvider", "DnsRecord", "RecordType", "provider_for"]

RecordType = Literal["A", "AAAA", "CNAME", "TXT"]


class DnsRecord(BaseModel):
    """One DNS record, provider-neutral. ``name`` is the absolute name without the trailing dot."""

    name: str
    type: RecordType
    content: str
    ttl: int = 300
    proxied: bool | None = None
    """Cloudflare only: serve through its CDN."""


class DnsProvider(Protocol):
    """What kenzy needs from a DNS provider. Every method is idempotent."""

    name: str

    async def zone_for(self, fqdn: str) -> str:
        """The managed zone (without trailing dot) that holds ``fqdn``.

        Raises:
            ZoneNotManaged: no zone of this provider contains the name.
        """
        ...

    async def replace(self, fqdn: str, rtype: RecordType, records: list[DnsRecord]) -> None:
        """Make exactly ``records`` exist for (``fqdn``, ``rtype``): create, update or delete."""
        ...

    async def delete(self, fqdn: str, rtype: RecordType) -> None:
        """Remove every record of (``fqdn``, ``rtype``); nothing to do when there is none."""
        ...

    async def records(self, fqdn: str) -> list[DnsRecord]:
        """Every record at ``fqdn`` (all types)."""
        ...

    async def aclose(self) -> None:
        """Release the HTTP client."""
        ...


PROVIDERS = {
    "powerdns": "kenzy.dns.powerdns:PowerDns",
    "cloudflare": "kenzy.dns.cloudflare:CloudflareDns",
}
"""Provider name -> "module:class", imported on first use."""


def provider_for(name: str, **options: Any) -> DnsProvider:
    """An instance of provider ``name`` configured with ``options``.

    Raises:
        UsageError: unknown provider name.
    """
    from kenzy.errors import UsageError

    target = PROVIDERS.get(name)
    if target is None:
        raise UsageError(f"unknown DNS provider {name!r}; use one of: {', '.join(sorted(PROVIDERS))}")
    module, _, cls = target.partition(":")
    return getattr(importlib.import_module(module), cls)(**options)  # type: ignore[no-any-return]

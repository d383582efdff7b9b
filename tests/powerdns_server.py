"""A real PowerDNS Authoritative server on loopback (sqlite backend, HTTP API), for tests."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from daemon import daemon, free_dual_port, free_port

SCHEMA = Path("/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql")


@dataclass
class PowerDnsServer:
    api_url: str
    api_key: str
    dns_port: int

    def create_zone(self, zone: str) -> None:
        body = {"name": zone.rstrip(".") + ".", "kind": "Native", "nameservers": [f"ns1.{zone.rstrip('.')}."],
                "soa_edit_api": "DEFAULT"}
        response = httpx.post(f"{self.api_url}/api/v1/servers/localhost/zones", json=body,
                              headers={"X-API-Key": self.api_key}, trust_env=False)
        assert response.status_code in (201, 409), response.text

    def resolve(self, name: str, rtype: str) -> list[str]:
        """Answers of the server itself, over DNS (dnspython)."""
        import dns.message
        import dns.query
        import dns.rdatatype

        query = dns.message.make_query(name.rstrip(".") + ".", dns.rdatatype.from_text(rtype))
        answer = dns.query.udp(query, "127.0.0.1", port=self.dns_port, timeout=5)
        return sorted(item.to_text().strip('"').rstrip(".") for rrset in answer.answer
                      for item in rrset if dns.rdatatype.to_text(rrset.rdtype) == rtype)


def _configure() -> tuple[Path, PowerDnsServer]:
    """A fresh directory with the sqlite schema and a pdns.conf on new loopback ports."""
    root = Path(tempfile.mkdtemp(prefix="kenzy-pdns-"))
    db = root / "pdns.sqlite3"
    conn = sqlite3.connect(db)
    conn.executescript(SCHEMA.read_text())
    conn.close()
    api_port, dns_port = free_port(), free_dual_port()  # PowerDNS listens on TCP and UDP
    key = "pdns-" + os.urandom(8).hex()
    (root / "pdns.conf").write_text("\n".join([
        "launch=gsqlite3", f"gsqlite3-database={db}", "api=yes", f"api-key={key}", "webserver=yes",
        "webserver-address=127.0.0.1", f"webserver-port={api_port}", "webserver-allow-from=127.0.0.0/8",
        "local-address=127.0.0.1", f"local-port={dns_port}", f"socket-dir={root}", "daemon=no", "guardian=no",
        "disable-syslog=yes", "loglevel=3", "zone-cache-refresh-interval=0", "cache-ttl=0",
        "negquery-cache-ttl=0", "query-cache-ttl=0", "",
    ]))
    return root, PowerDnsServer(f"http://127.0.0.1:{api_port}", key, dns_port)


@contextmanager
def powerdns() -> Iterator[PowerDnsServer]:
    """A running server; a start that fails (a port taken between choosing and binding it)
    is tried again on other ports, twice at most, and each failure's log is printed."""
    if shutil.which("pdns_server", path="/usr/sbin:/usr/bin") is None:
        import pytest

        pytest.skip("PowerDNS is not installed (pdns-server pdns-backend-sqlite3)")
    with ExitStack() as stack:
        for attempt in range(3):
            root, server = _configure()
            ready = lambda s=server: httpx.get(f"{s.api_url}/api/v1/servers",  # noqa: E731
                                               headers={"X-API-Key": s.api_key}, trust_env=False)
            try:
                stack.enter_context(daemon(["/usr/sbin/pdns_server", f"--config-dir={root}"], root, ready, "PowerDNS"))
                break
            except AssertionError as exc:
                print(f"PowerDNS start {attempt + 1} failed: {exc}", file=sys.stderr)
                if attempt == 2:
                    raise
        yield server

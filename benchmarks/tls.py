"""Time from set_dns to a certificate served over HTTPS, per site and for 10 sites at once,
against a real PowerDNS and Pebble (no-sleep) on loopback. Prints its figures.

    .venv/bin/python benchmarks/tls.py [--sites 10]

Targets: <= 3 s per site; <= 10 s for 10 sites concurrently.
"""

from __future__ import annotations

import argparse
import ssl
import statistics
import sys
import time
from pathlib import Path

import anyio
import httpx
from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

from pebble_server import pebble  # noqa: E402
from powerdns_server import powerdns  # noqa: E402

from _common import free_port, fresh_home, teardown
from kenzy.api import Kenzy  # noqa: E402
from kenzy.settings import Settings  # noqa: E402

ZONE = "bench.test"



async def secure(k: Kenzy, sub: str, root: bytes) -> float:
    t0 = time.perf_counter()
    await k.set_dns(subdomain=sub)
    await k.issue_certificate(subdomain=sub)
    fqdn = f"{sub}.{ZONE}"
    context = ssl.create_default_context(cadata=root.decode())
    async with httpx.AsyncClient(verify=context, trust_env=False, timeout=30) as client:
        response = await client.get(f"https://127.0.0.1:{k.settings.https_port}/",
                                    headers={"Host": f"{fqdn}:{k.settings.https_port}"}, extensions={"sni_hostname": fqdn})
    assert response.status_code == 200, response.status_code
    return time.perf_counter() - t0


async def main(sites: int) -> None:
    home = fresh_home()
    with powerdns() as dns:
        dns.create_zone(ZONE)
        with pebble(f"127.0.0.1:{dns.dns_port}") as acme:
            settings = Settings(home=home, http_port=free_port(), https_port=free_port(), base_domain=ZONE,
                                dns_provider="powerdns", dns_api_url=dns.api_url, dns_api_key=SecretStr(dns.api_key),
                                acme_server=acme.directory_url, acme_ca_bundle=acme.ca_bundle)
            k = Kenzy(settings)
            root = acme.root_pem()
            try:
                names = [f"Loja Segura {i + 1}" for i in range(sites + 3)]
                created = [await k.provision_local(business_name=n, industry="beleza") for n in names]
                sequential = [await secure(k, s.subdomain, root) for s in created[:3]]
                print(f"set_dns -> HTTPS per site (3 sites, one at a time): p50 {statistics.median(sequential):.2f} s, "
                      f"max {max(sequential):.2f} s (target <= 3 s)")
                t0 = time.perf_counter()
                async with anyio.create_task_group() as tg:
                    for site in created[3:]:
                        tg.start_soon(secure, k, site.subdomain, root)
                print(f"{sites} sites concurrently: {time.perf_counter() - t0:.2f} s (target <= 10 s)")
            finally:
                await teardown(k)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=10)
    anyio.run(main, parser.parse_args().sites)

"""Certificates from a real Pebble ACME server, proving names through a real PowerDNS."""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import httpx
import pytest
from pydantic import SecretStr

from conftest import needs_stack
from kenzy.api import Kenzy
from kenzy.errors import NotConfigured
from kenzy.tls.acme import CertificateError
from pebble_server import PebbleServer, pebble
from powerdns_server import PowerDnsServer, powerdns

pytestmark = [pytest.mark.anyio, needs_stack]

ZONE = "tls.test"


@pytest.fixture(scope="module")
def acme_env() -> Iterator[tuple[PowerDnsServer, PebbleServer]]:
    with powerdns() as dns:
        dns.create_zone(ZONE)
        with pebble(f"127.0.0.1:{dns.dns_port}") as acme:
            yield dns, acme


def _kenzy(kz: Kenzy, dns: PowerDnsServer, acme: PebbleServer, **extra: object) -> Kenzy:
    return Kenzy(kz.settings.model_copy(update={
        "base_domain": ZONE, "dns_provider": "powerdns", "dns_api_url": dns.api_url,
        "dns_api_key": SecretStr(dns.api_key), "acme_server": acme.directory_url, "acme_ca_bundle": acme.ca_bundle,
        "https_port": kz.settings.https_port, **extra}))


async def _https_get(k: Kenzy, fqdn: str, root_pem: bytes, path: str = "/") -> httpx.Response:
    context = ssl.create_default_context(cadata=root_pem.decode())
    async with httpx.AsyncClient(verify=context, trust_env=False, timeout=20) as client:
        return await client.get(f"https://127.0.0.1:{k.settings.https_port}{path}",
                                headers={"Host": f"{fqdn}:{k.settings.https_port}"},
                                extensions={"sni_hostname": fqdn})


async def test_certificate_issued_and_served(kz: Kenzy, acme_env) -> None:  # type: ignore[no-untyped-def]
    dns, acme = acme_env
    k = _kenzy(kz, dns, acme)
    site = await k.provision_local(business_name="Livraria Página Segura", industry="beleza")
    await k.set_dns(subdomain=site.subdomain)
    result = await k.issue_certificate(subdomain=site.subdomain)
    fqdn = f"{site.subdomain}.{ZONE}"
    assert result.renewed and result.domains == [fqdn, f"www.{fqdn}"]
    assert result.url == f"https://{fqdn}:{k.settings.https_port}"
    response = await _https_get(k, fqdn, acme.root_pem())  # verified against Pebble's root
    assert response.status_code == 200 and "Livraria Página Segura" in response.text
    assert response.headers["strict-transport-security"].startswith("max-age=")
    async with httpx.AsyncClient(trust_env=False) as client:
        plain = await client.get(f"http://127.0.0.1:{k.settings.http_port}/wp-admin/?x=1",
                                 headers={"Host": f"{fqdn}:{k.settings.http_port}"})
    assert plain.status_code == 301
    assert plain.headers["location"] == f"https://{fqdn}:{k.settings.https_port}/wp-admin/?x=1"
    config = k.context.local.layout.site(site.subdomain).wp_config.read_text()
    assert "define( 'FORCE_SSL_ADMIN', true );" in config
    assert dns.resolve(f"_acme-challenge.{fqdn}", "TXT") == []  # challenge records cleaned up
    status = await k.site_status(subdomain=site.subdomain)
    assert status.http_status == 200 and status.site.url == result.url
    kept = await k.issue_certificate(subdomain=site.subdomain, only_if_expiring=True)
    assert kept.renewed is False and kept.not_after == result.not_after
    await k.destroy_site(subdomain=site.subdomain)
    assert not (k.context.local.layout.tls / site.subdomain).exists()


async def test_failed_challenge_changes_nothing(kz: Kenzy, acme_env) -> None:  # type: ignore[no-untyped-def]
    dns, acme = acme_env
    k = _kenzy(kz, dns, acme)
    site = await k.provision_local(business_name="Sapataria Sem Prova", industry="beleza")
    vhost = k.context.local.layout.vhost_conf(site.subdomain).read_text()
    # The provider publishes into a zone Pebble's DNS does not serve: the TXT lookup fails.
    with powerdns() as other:
        other.create_zone(ZONE)
        wrong = _kenzy(kz, other, acme)
        with pytest.raises(CertificateError, match=f"could not verify the TXT record .*_acme-challenge.{site.subdomain}.{ZONE}"):
            await wrong.issue_certificate(subdomain=site.subdomain)
    assert k.context.local.layout.vhost_conf(site.subdomain).read_text() == vhost
    assert not (k.context.local.layout.tls / site.subdomain).exists()
    record = await k.context.store.get(site.subdomain)
    assert record is not None and record.url.startswith("http://")
    status = await k.site_status(subdomain=site.subdomain)
    assert status.http_status == 200
    no_acme = Kenzy(k.settings.model_copy(update={"acme_server": None}))
    with pytest.raises(NotConfigured, match="KENZY_ACME_SERVER"):
        await no_acme.issue_certificate(subdomain=site.subdomain)
    await k.destroy_site(subdomain=site.subdomain)


async def test_cli_dns_and_certs(kz: Kenzy, acme_env) -> None:  # type: ignore[no-untyped-def]
    import json
    import os
    import subprocess
    import sys

    dns, acme = acme_env
    k = _kenzy(kz, dns, acme)
    site = await k.provision_local(business_name="Doceria Cron Renova", industry="restaurante")
    env = {**os.environ, "KENZY_HOME": str(kz.settings.home), "KENZY_HTTP_PORT": str(kz.settings.http_port),
           "KENZY_HTTPS_PORT": str(kz.settings.https_port), "KENZY_STACK_USER": kz.settings.stack_user,
           "KENZY_BASE_DOMAIN": ZONE, "KENZY_DNS_PROVIDER": "powerdns", "KENZY_DNS_API_URL": dns.api_url,
           "KENZY_DNS_API_KEY": dns.api_key, "KENZY_ACME_SERVER": acme.directory_url,
           "KENZY_ACME_CA_BUNDLE": str(acme.ca_bundle)}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kenzy", *args], env=env, capture_output=True, text=True, timeout=120)

    published = cli("dns", site.subdomain, "--json")
    assert published.returncode == 0, published.stderr
    assert json.loads(published.stdout)["fqdn"] == f"{site.subdomain}.{ZONE}"
    cron = json.loads(cli("certs", "renew", "--json").stdout)["certificates"]
    assert all(c["subdomain"] != site.subdomain for c in cron)  # no certificate yet: nothing to renew
    await k.issue_certificate(subdomain=site.subdomain)
    forced = json.loads(cli("certs", "renew", "--force", "--json").stdout)["certificates"]
    assert [c["renewed"] for c in forced if c["subdomain"] == site.subdomain] == [True]
    cron = json.loads(cli("certs", "renew", "--json").stdout)["certificates"]
    assert [c["renewed"] for c in cron if c["subdomain"] == site.subdomain] == [False]  # not due: kept
    listed = json.loads(cli("certs", "list", "--json").stdout)["certificates"]
    row = next(c for c in listed if c["subdomain"] == site.subdomain)
    assert row["not_after"] and row["url"].startswith("https://")
    for secret in (dns.api_key,):
        assert secret not in published.stdout + published.stderr
    await k.destroy_site(subdomain=site.subdomain)


async def test_http01_through_the_sites_vhost(kz: Kenzy) -> None:
    with powerdns() as dns:
        dns.create_zone(ZONE)
        with pebble(f"127.0.0.1:{dns.dns_port}", http_port=kz.settings.http_port) as acme:
            k = _kenzy(kz, dns, acme, acme_challenge="http-01")
            site = await k.provision_local(business_name="Papelaria Via HTTP", industry="beleza")
            fqdn = f"{site.subdomain}.{ZONE}"
            with pytest.raises(CertificateError, match=f"could not verify the URL http://.*{fqdn}/.well-known/acme-challenge/"):
                await k.issue_certificate(subdomain=site.subdomain)  # no DNS record yet: Pebble cannot find it
            assert (await k.context.store.get(site.subdomain)).url.startswith("http://")  # type: ignore[union-attr]
            await k.set_dns(subdomain=site.subdomain)
            result = await k.issue_certificate(subdomain=site.subdomain)
            assert result.url.startswith("https://")
            response = await _https_get(k, fqdn, acme.root_pem())
            assert response.status_code == 200 and "Papelaria Via HTTP" in response.text
            assert [p for p in k.context.local.acme_webroot(site.subdomain).rglob("*") if p.is_file()] == []
            await k.destroy_site(subdomain=site.subdomain)

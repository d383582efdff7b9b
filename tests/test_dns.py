"""set_dns against a real PowerDNS on loopback: records created, replaced, resolved, removed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from conftest import needs_stack
from kenzy.api import Kenzy
from kenzy.dns import DnsRecord, provider_for
from kenzy.errors import InvalidInput, NotConfigured, ZoneNotManaged
from powerdns_server import PowerDnsServer, powerdns

pytestmark = pytest.mark.anyio

ZONE = "kenzy.test"


@pytest.fixture(scope="module")
def pdns() -> Iterator[PowerDnsServer]:
    with powerdns() as server:
        server.create_zone(ZONE)
        yield server


def _dns_kenzy(kz: Kenzy, pdns: PowerDnsServer, **extra: object) -> Kenzy:
    settings = kz.settings.model_copy(update={
        "base_domain": ZONE, "dns_provider": "powerdns", "dns_api_url": pdns.api_url,
        "dns_api_key": SecretStr(pdns.api_key), "dns_target": "127.0.0.1", **extra})
    return Kenzy(settings)


async def test_provider_records_replace_and_delete(pdns: PowerDnsServer) -> None:
    provider = provider_for("powerdns", api_url=pdns.api_url, api_key=pdns.api_key)
    try:
        name = f"loja.{ZONE}"
        await provider.replace(name, "A", [DnsRecord(name=name, type="A", content="127.0.0.10")])
        await provider.replace(name, "A", [DnsRecord(name=name, type="A", content="127.0.0.10")])
        assert pdns.resolve(name, "A") == ["127.0.0.10"]  # twice: one record
        await provider.replace(name, "A", [DnsRecord(name=name, type="A", content="127.0.0.11"),
                                           DnsRecord(name=name, type="A", content="127.0.0.12")])
        assert pdns.resolve(name, "A") == ["127.0.0.11", "127.0.0.12"]
        await provider.replace(f"_acme-challenge.{name}", "TXT", [DnsRecord(name=name, type="TXT", content='tok"en')])
        assert pdns.resolve(f"_acme-challenge.{name}", "TXT") == ['tok\\"en']
        idn = f"são-joão.{ZONE}"
        await provider.replace(idn, "A", [DnsRecord(name=idn, type="A", content="127.0.0.13")])
        assert pdns.resolve(f"xn--so-joo-3tae.{ZONE}", "A") == ["127.0.0.13"]
        await provider.delete(name, "A")
        await provider.delete(name, "A")  # idempotent
        assert pdns.resolve(name, "A") == []
        with pytest.raises(ZoneNotManaged, match="no zone for 'x.other.test'"):
            await provider.zone_for("x.other.test")
        for bad in ("bad_label", "x" * 64, ""):
            with pytest.raises(InvalidInput):
                await provider.replace(f"{bad}.{ZONE}" if bad else "", "A", [])
        assert "pdns-" not in repr(provider)
    finally:
        await provider.aclose()


@needs_stack
async def test_set_dns_publishes_and_destroy_removes(kz: Kenzy, pdns: PowerDnsServer) -> None:
    k = _dns_kenzy(kz, pdns)
    site = await k.provision_local(business_name="Floricultura Jardim DNS", industry="beleza")
    first = await k.set_dns(subdomain=site.subdomain)
    again = await k.set_dns(subdomain=site.subdomain)
    fqdn = f"{site.subdomain}.{ZONE}"
    assert first.fqdn == again.fqdn == fqdn and first.provider == "powerdns"
    assert first.records == [f"{fqdn} A 127.0.0.1", f"www.{fqdn} CNAME {fqdn}"]
    assert pdns.resolve(fqdn, "A") == ["127.0.0.1"]
    assert pdns.resolve(f"www.{fqdn}", "CNAME") == [fqdn]
    provider = provider_for("powerdns", api_url=pdns.api_url, api_key=pdns.api_key)
    try:
        assert len(await provider.records(fqdn)) == 1  # never duplicated
    finally:
        await provider.aclose()
    destroyed = await k.destroy_site(subdomain=site.subdomain)
    assert "dns records" in destroyed.removed
    assert pdns.resolve(fqdn, "A") == [] and pdns.resolve(f"www.{fqdn}", "CNAME") == []


@needs_stack
async def test_set_dns_errors_change_nothing(kz: Kenzy, pdns: PowerDnsServer) -> None:
    k = _dns_kenzy(kz, pdns)
    site = await k.provision_local(business_name="Ótica Visão DNS", industry="beleza")
    try:
        unmanaged = Kenzy(k.settings.model_copy(update={"base_domain": "other.test"}))
        with pytest.raises(ZoneNotManaged):
            await unmanaged.set_dns(subdomain=site.subdomain)
        no_key = Kenzy(k.settings.model_copy(update={"dns_api_key": None}))
        with pytest.raises(NotConfigured, match="KENZY_DNS_API_KEY"):
            await no_key.set_dns(subdomain=site.subdomain)
        plain = Kenzy(k.settings.model_copy(update={"dns_provider": None}))
        with pytest.raises(NotConfigured, match="KENZY_DNS_PROVIDER"):
            await plain.set_dns(subdomain=site.subdomain)
        cname = Kenzy(k.settings.model_copy(update={"dns_target": "edge.kenzy.test"}))
        result = await cname.set_dns(subdomain=site.subdomain)
        assert result.records[0] == f"{site.subdomain}.{ZONE} CNAME edge.kenzy.test"
        assert pdns.resolve(f"{site.subdomain}.{ZONE}", "CNAME") == ["edge.kenzy.test"]
    finally:
        await k.destroy_site(subdomain=site.subdomain)

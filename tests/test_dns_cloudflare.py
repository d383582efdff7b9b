"""The Cloudflare DNS provider against a local double of the Cloudflare API v4."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from kenzy.dns import DnsRecord, provider_for
from kenzy.dns._http import Unavailable
from kenzy.dns.cloudflare import CloudflareDns
from kenzy.errors import InvalidInput, ProviderError, ZoneNotManaged
from cloudflare_double import DoubleState, cloudflare_double

pytestmark = pytest.mark.anyio

TOKEN = "cf-test-token-s3cr3t-0123456789"


@pytest.fixture
def double() -> Iterator[tuple[str, DoubleState]]:
    with cloudflare_double(TOKEN, zones=["example.com", "b.example.com"]) as served:
        yield served


@pytest.fixture
async def dns(double: tuple[str, DoubleState]) -> AsyncIterator[CloudflareDns]:
    async with CloudflareDns(api_token=TOKEN, base_url=double[0], retries=2, backoff=0.01) as provider:
        yield provider


@pytest.fixture
def state(double: tuple[str, DoubleState]) -> DoubleState:
    return double[1]


def a(name: str, ip: str, **kwargs: Any) -> DnsRecord:
    return DnsRecord(name=name, type="A", content=ip, **kwargs)


def zone_pages(state: DoubleState) -> list[str]:
    return [r["query"].get("page", "1") for r in state.calls("GET") if r["path"] == "/zones"]


async def test_zone_lookup_follows_pages_and_the_longest_zone_wins(dns: CloudflareDns, state: DoubleState) -> None:
    for i in range(30):  # sorted between b.example.com (page 1) and example.com (last page)
        state.add_zone(f"c{i:02}.org")
    state.add_zone("pending.example.com", status="pending")
    state.max_per_page = 5

    assert await dns.zone_for("a.b.example.com") == "b.example.com"
    assert zone_pages(state) == [str(page) for page in range(1, 8)]
    assert all(r["query"]["status"] == "active" for r in state.requests)
    assert await dns.zone_for("www.example.com") == "example.com"
    assert await dns.zone_for("B.Example.COM.") == "b.example.com"
    assert await dns.zone_for("x.pending.example.com") == "example.com"  # pending zones are not managed
    assert await dns.zone_for("www.c29.org") == "c29.org"
    assert len(zone_pages(state)) == 7, "zone ids are cached"


async def test_unmanaged_zone(dns: CloudflareDns) -> None:
    with pytest.raises(ZoneNotManaged, match="www.example.org"):
        await dns.zone_for("www.example.org")
    with pytest.raises(ZoneNotManaged):
        await dns.replace("notexample.com", "A", [a("notexample.com", "192.0.2.1")])


async def test_replace_creates_proxied_a_and_unproxied_txt(dns: CloudflareDns, state: DoubleState) -> None:
    await dns.replace("www.example.com", "A", [a("www.example.com", "192.0.2.10")])
    await dns.replace("www.example.com", "TXT", [DnsRecord(name="www.example.com", type="TXT", content="hello")])

    [record] = state.records_at("www.example.com", "A")
    assert (record["content"], record["proxied"]) == ("192.0.2.10", True)
    [txt] = state.records_at("www.example.com", "TXT")
    assert (txt["content"], txt["proxied"], txt["ttl"]) == ("hello", False, 300)
    assert "proxied" not in [r for r in state.calls("POST") if r["body"]["type"] == "TXT"][0]["body"]
    assert sorted((r.type, r.content, r.proxied) for r in await dns.records("www.example.com")) == [
        ("A", "192.0.2.10", True), ("TXT", "hello", None)]


async def test_proxied_default_and_per_record_override(double: tuple[str, DoubleState]) -> None:
    url, state = double
    async with CloudflareDns(api_token=TOKEN, base_url=url, proxied=False) as dns:
        await dns.replace("direct.example.com", "A", [a("direct.example.com", "192.0.2.1")])
        await dns.replace("cdn.example.com", "A", [a("cdn.example.com", "192.0.2.2", proxied=True)])
    assert state.records_at("direct.example.com")[0]["proxied"] is False
    assert state.records_at("cdn.example.com")[0]["proxied"] is True


async def test_replace_twice_leaves_one_set_and_writes_nothing(dns: CloudflareDns, state: DoubleState) -> None:
    wanted = [a("www.example.com", "192.0.2.10"), a("www.example.com", "192.0.2.11")]
    await dns.replace("www.example.com", "A", wanted)
    writes = len(state.requests)
    await dns.replace("www.example.com", "A", wanted)

    assert sorted(r["content"] for r in state.records_at("www.example.com", "A")) == ["192.0.2.10", "192.0.2.11"]
    assert [r["method"] for r in state.requests[writes:]] == ["GET"]


async def test_replace_with_another_ip_updates_in_place(dns: CloudflareDns, state: DoubleState) -> None:
    await dns.replace("www.example.com", "A", [a("www.example.com", "192.0.2.10")])
    [before] = state.records_at("www.example.com", "A")
    await dns.replace("www.example.com", "A", [a("www.example.com", "192.0.2.99")])

    [after] = state.records_at("www.example.com", "A")
    assert (after["id"], after["content"]) == (before["id"], "192.0.2.99")
    assert [r["path"] for r in state.calls("PUT")] == [f"/zones/{before['zone_id']}/dns_records/{before['id']}"]
    assert not state.calls("DELETE")


async def test_replace_with_fewer_records_deletes_the_extras(dns: CloudflareDns, state: DoubleState) -> None:
    ips = ["192.0.2.1", "192.0.2.2", "192.0.2.3"]
    await dns.replace("www.example.com", "A", [a("www.example.com", ip) for ip in ips])
    kept = next(r for r in state.records_at("www.example.com") if r["content"] == "192.0.2.2")
    state.add_record("example.com", "other.example.com", "A", "192.0.2.1")

    await dns.replace("www.example.com", "A", [a("www.example.com", "192.0.2.2")])
    assert [(r["id"], r["content"]) for r in state.records_at("www.example.com")] == [(kept["id"], "192.0.2.2")]
    assert len(state.calls("DELETE")) == 2
    assert len(state.records_at("other.example.com")) == 1

    await dns.replace("www.example.com", "A", [])
    assert state.records_at("www.example.com") == []


async def test_replace_pages_through_many_records(dns: CloudflareDns, state: DoubleState) -> None:
    state.max_per_page = 2
    for i in range(7):
        state.add_record("example.com", "many.example.com", "TXT", f"v{i}")
    await dns.replace("many.example.com", "TXT", [DnsRecord(name="many.example.com", type="TXT", content="v3")])
    assert [r["content"] for r in state.records_at("many.example.com")] == ["v3"]
    assert not state.calls("POST") and not state.calls("PUT")


async def test_delete_removes_and_is_idempotent(dns: CloudflareDns, state: DoubleState) -> None:
    await dns.replace("www.example.com", "A", [a("www.example.com", "192.0.2.1"), a("www.example.com", "192.0.2.2")])
    await dns.replace("www.example.com", "TXT", [DnsRecord(name="www.example.com", type="TXT", content="keep")])
    await dns.delete("www.example.com", "A")
    assert [r["type"] for r in state.records_at("www.example.com")] == ["TXT"]

    deletes = len(state.calls("DELETE"))
    await dns.delete("www.example.com", "A")
    assert len(state.calls("DELETE")) == deletes == 2


async def test_idn_names_become_punycode(dns: CloudflareDns, state: DoubleState) -> None:
    await dns.replace("Café.example.com", "A", [a("café.example.com", "192.0.2.7")])
    assert [r["name"] for r in state.records_at("xn--caf-dma.example.com")] == ["xn--caf-dma.example.com"]
    assert [r.name for r in await dns.records("café.example.com")] == ["xn--caf-dma.example.com"]


@pytest.mark.parametrize("name", ["bad_label.example.com", "a" * 64 + ".example.com", "a..example.com", ""])
async def test_invalid_names_fail_before_any_request(dns: CloudflareDns, state: DoubleState, name: str) -> None:
    with pytest.raises(InvalidInput):
        await dns.zone_for(name)
    with pytest.raises(InvalidInput):
        await dns.replace(name, "A", [])
    with pytest.raises(InvalidInput):
        await dns.delete(name, "A")
    with pytest.raises(InvalidInput):
        await dns.records(name)
    assert state.requests == []


async def test_records_of_another_name_or_type_are_refused(dns: CloudflareDns, state: DoubleState) -> None:
    with pytest.raises(InvalidInput):
        await dns.replace("www.example.com", "A", [a("api.example.com", "192.0.2.1")])
    with pytest.raises(InvalidInput):
        await dns.replace("www.example.com", "TXT", [a("www.example.com", "192.0.2.1")])
    assert state.requests == []


async def test_rate_limit_is_retried_after_retry_after(dns: CloudflareDns, state: DoubleState) -> None:
    state.fail_next(2, 429)
    assert await dns.zone_for("www.example.com") == "example.com"
    assert [r["status"] for r in state.requests] == [429, 429, 200]

    state.fail_next(1, 429)  # the listing of records
    await dns.replace("www.example.com", "A", [a("www.example.com", "192.0.2.1")])
    assert len(state.records_at("www.example.com")) == 1


async def test_persistent_503_raises_unavailable(dns: CloudflareDns, state: DoubleState) -> None:
    state.fail_next(10, 503)
    with pytest.raises(Unavailable) as caught:
        await dns.zone_for("www.example.com")
    assert caught.value.status == 503
    assert len(state.requests) == 3  # the first try and 2 retries


async def test_validation_error_envelope_raises_with_code_and_message(dns: CloudflareDns, state: DoubleState) -> None:
    with pytest.raises(ProviderError) as caught:
        await dns.replace("www.example.com", "A", [a("www.example.com", "not-an-ip")])
    assert caught.value.status == 400
    assert "9005: Content for A record must be a valid IPv4 address." in str(caught.value)
    assert state.records_at("www.example.com") == []


async def test_http_200_with_success_false_raises(dns: CloudflareDns, state: DoubleState) -> None:
    state.fail_next(1, 200, code=1234, message="Something went sideways")
    with pytest.raises(ProviderError) as caught:
        await dns.zone_for("www.example.com")
    assert caught.value.status == 200
    assert str(caught.value).endswith("1234: Something went sideways")


async def test_wrong_token_is_refused_and_never_shown(double: tuple[str, DoubleState],
                                                       caplog: pytest.LogCaptureFixture) -> None:
    url, state = double
    secret = "wrong-token-must-stay-hidden-42"
    caplog.set_level(logging.DEBUG)
    async with CloudflareDns(api_token=secret, base_url=url) as dns:
        with pytest.raises(ProviderError) as caught:
            await dns.zone_for("www.example.com")
        assert secret not in repr(dns) and "***" in repr(dns)
    assert caught.value.status == 403
    assert "10000: Authentication error" in str(caught.value)
    for text in (str(caught.value), repr(caught.value), caplog.text):
        assert secret not in text and TOKEN not in text
    assert len(state.requests) == 1  # a 403 is not retried


async def test_provider_for_builds_cloudflare(double: tuple[str, DoubleState]) -> None:
    dns = provider_for("cloudflare", api_token=TOKEN, base_url=double[0])
    try:
        assert isinstance(dns, CloudflareDns) and dns.name == "cloudflare"
        assert await dns.zone_for("x.example.com") == "example.com"
    finally:
        await dns.aclose()


def test_double_rejects_an_identical_record() -> None:
    with cloudflare_double(TOKEN, zones=["example.com"]) as (url, state), httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, trust_env=False) as client:
        path = f"/zones/{state.zone_id('example.com')}/dns_records"
        body = {"type": "A", "name": "www.example.com", "content": "192.0.2.1", "ttl": 300}
        first = client.post(path, json=body).json()
        assert first["success"] is True and first["result"]["proxied"] is False
        second = client.post(path, json=body)
        assert second.status_code == 400
        assert second.json() == {"success": False, "errors": [{"code": 81057, "message": "Record already exists."}],
                                 "messages": [], "result": None}

"""The MCP server with the official client, over stdio and over streamable HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from typing import Any

import httpx
import pytest

from conftest import free_port, needs_stack
from kenzy.api import Kenzy
from kenzy.tools import REGISTRY

pytestmark = [pytest.mark.anyio]


def _env(kz: Kenzy | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KENZY_")}
    if kz is not None:
        env.update(KENZY_HOME=str(kz.settings.home), KENZY_HTTP_PORT=str(kz.settings.http_port),
                   KENZY_STACK_USER=kz.settings.stack_user)
    env.update(extra)
    return env


def _stdio(env: dict[str, str]) -> Any:
    from mcp.client.stdio import StdioServerParameters

    return StdioServerParameters(command=sys.executable, args=["-m", "kenzy", "mcp"], env=env)


async def test_stdio_lists_every_tool_with_kenzy_schemas(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from mcp import Client

    async with Client(_stdio(_env(KENZY_HOME=str(tmp_path)))) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert set(tools) == set(REGISTRY)
        for name, spec in REGISTRY.items():
            assert tools[name].input_schema == spec.input_schema()  # the same shape the agent sees
            assert tools[name].output_schema == spec.output_model.model_json_schema()
            assert tools[name].description == spec.description
        assert tools["destroy_site"].annotations.destructive_hint is True
        assert tools["list_sites"].annotations.read_only_hint is True
        plan = await client.call_tool("plan_site", {"request": "Crie um site para a Pizzaria Roma em Natal, com iFood"})
        assert not plan.is_error
        assert plan.structured_content["business_name"] == "Pizzaria Roma"
        assert plan.structured_content["industry"] == "restaurante" and plan.structured_content["city"] == "Natal"
        assert plan.structured_content["options"]["ifood"] is True and plan.structured_content["missing"] == []
        listed = await client.call_tool("list_sites", {})
        assert not listed.is_error and listed.structured_content == {"sites": []}
        bad = await client.call_tool("provision_local", {"business_name": "", "industry": "restaurante"})
        assert bad.is_error and "business name: is empty" in bad.content[0].text
        unknown = await client.call_tool("provision_local", {"business_name": "Bar", "industry": "cassino"})
        assert unknown.is_error and "restaurante" in unknown.content[0].text  # names the supported ones
        missing = await client.call_tool("set_dns", {"subdomain": "nao-existe"})
        assert missing.is_error and "no site named 'nao-existe'" in missing.content[0].text
        blueprint = await client.read_resource("kenzy://blueprints/saude")
        assert json.loads(blueprint.contents[0].text)["schema_type"] == "MedicalClinic"
        prompt = await client.get_prompt("create-site", {"request": "Um site para a Pizzaria Roma"})
        assert "Pizzaria Roma" in prompt.messages[0].content.text and "plan_site" in prompt.messages[0].content.text
    assert not (tmp_path / "run").exists()  # nothing was provisioned by bad calls


@needs_stack
async def test_stdio_creates_a_real_site_with_progress(kz: Kenzy) -> None:
    from mcp import Client

    progress: list[tuple[float, float | None, str | None]] = []

    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        progress.append((value, total, message))

    async with Client(_stdio(_env(kz))) as client:
        created = await client.call_tool(
            "provision_local", {"business_name": "Padaria Pão de Mel", "industry": "restaurante", "city": "Campinas"},
            progress_callback=on_progress,
        )
        assert not created.is_error, created.content
        site = created.structured_content
        assert site["subdomain"] == "padaria-pao-de-mel" and site["status"] == "active"
        assert [m for _, _, m in progress][:3] == ["unix user", "database", "redis user"]
        assert progress[-1][0] == progress[-1][1] == 8
        filled = await client.call_tool("fill_content", {"subdomain": site["subdomain"]}, progress_callback=on_progress)
        assert not filled.is_error and filled.structured_content["items"]["pratos"] >= 4
        record = await client.read_resource(f"kenzy://sites/{site['subdomain']}")
        assert json.loads(record.contents[0].text)["url"] == site["url"]
        everything = json.dumps([created.structured_content, filled.structured_content])
        creds = await kz.credentials(site["subdomain"])
        for secret in (creds.admin_password, creds.db_password, creds.redis_password):
            assert secret.get_secret_value() not in everything
        destroyed = await client.call_tool("destroy_site", {"subdomain": site["subdomain"]})
        assert not destroyed.is_error


def _wait_port(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "server exited"
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError("the MCP HTTP server did not start")


@pytest.fixture
def http_server(tmp_path):  # type: ignore[no-untyped-def]
    port = free_port()
    token = "test-token-" + os.urandom(8).hex()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kenzy", "mcp", "--http", "--port", str(port)],
        env=_env(KENZY_HOME=str(tmp_path), KENZY_MCP_TOKEN=token), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        _wait_port(port, proc)
        yield f"http://127.0.0.1:{port}/mcp", token, proc
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=30)
        assert token.encode() not in out + err  # the token is never logged


async def test_http_requires_the_token(http_server) -> None:  # type: ignore[no-untyped-def]
    url, token, _ = http_server
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
    headers = {"Accept": "application/json, text/event-stream"}
    async with httpx.AsyncClient(timeout=10, trust_env=False) as client:
        assert (await client.post(url, json=init, headers=headers)).status_code == 401
        wrong = await client.post(url, json=init, headers={**headers, "Authorization": "Bearer nope"})
        assert wrong.status_code == 401 and "KENZY_MCP_TOKEN" in wrong.text and token not in wrong.text
        ok = await client.post(url, json=init, headers={**headers, "Authorization": f"Bearer {token}"})
        assert ok.status_code == 200


async def test_http_with_the_official_client(http_server) -> None:  # type: ignore[no-untyped-def]
    import httpx2
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    url, token, _ = http_server
    async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30) as http:
        async with Client(streamable_http_client(url, http_client=http)) as client:
            names = {t.name for t in (await client.list_tools()).tools}
            assert names == set(REGISTRY)
            result = await client.call_tool("list_sites", {})
            assert not result.is_error and result.structured_content == {"sites": []}
            bad = await client.call_tool("site_status", {"subdomain": "../etc"})
            assert bad.is_error and "invalid subdomain" in bad.content[0].text


def test_http_refuses_to_start_without_a_token(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run([sys.executable, "-m", "kenzy", "mcp", "--http", "--port", str(free_port())],
                            env=_env(KENZY_HOME=str(tmp_path)), capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "KENZY_MCP_TOKEN" in result.stderr

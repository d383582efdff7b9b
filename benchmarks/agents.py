"""Planner, MCP and CLI start-up figures. Prints them; asserts nothing.

    .venv/bin/python benchmarks/agents.py

Targets: offline planning p50 <= 20 ms; MCP plan_site round trip over stdio p50 <= 25 ms;
`kenzy --help` <= 0.5 s; MCP server cold start to first response <= 2.5 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

import anyio

REQUESTS = [
    "Crie um site para o Restaurante do João em Campinas, com delivery pelo iFood e WhatsApp (19) 99876-5432",
    "quero um site pro meu escritório de advocacia Silva & Souza em recife com agendamento",
    "Clínica odontológica Sorriso Aberto em Belo Horizonte, aceitamos convênios e telemedicina",
    "a pizza place called Bella Napoli in Curitiba with delivery",
    "Site para a Barbearia do Zé em São Paulo, pix chave 11987654321",
    "Academia Força Total em Porto Alegre com aula experimental grátis",
]


def ms(values: list[float]) -> str:
    ordered = sorted(values)
    return f"p50 {statistics.median(ordered) * 1000:.2f} ms, p95 {ordered[int(0.95 * (len(ordered) - 1))] * 1000:.2f} ms"


def planning() -> None:
    from kenzy.planner import plan_request

    plan_request(REQUESTS[0])  # warm the blueprint tables
    times = []
    for _ in range(50):
        for request in REQUESTS:
            t0 = time.perf_counter()
            plan_request(request)
            times.append(time.perf_counter() - t0)
    print(f"offline planning ({len(times)} requests): {ms(times)} (target p50 <= 20 ms)")


def cli_help() -> None:
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kenzy", "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - t0)
    print(f"kenzy --help wall time: median {statistics.median(times):.3f} s over 5 runs (target <= 0.5 s)")


async def mcp() -> None:
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters

    home = tempfile.mkdtemp(prefix="kenzy-bench-")
    env = {**os.environ, "KENZY_HOME": home}
    params = StdioServerParameters(command=sys.executable, args=["-m", "kenzy", "mcp"], env=env)
    t0 = time.perf_counter()
    async with Client(params) as client:
        await client.list_tools()
        cold = time.perf_counter() - t0
        await client.call_tool("plan_site", {"request": REQUESTS[0]})
        times = []
        for _ in range(10):
            for request in REQUESTS:
                t1 = time.perf_counter()
                result = await client.call_tool("plan_site", {"request": request})
                times.append(time.perf_counter() - t1)
                assert not result.is_error
    print(f"MCP server cold start to first response (spawn, handshake, tools/list): {cold:.2f} s (target <= 2.5 s)")
    print(f"MCP plan_site round trip over stdio ({len(times)} calls): {ms(times)} (target p50 <= 25 ms)")


if __name__ == "__main__":
    planning()
    cli_help()
    anyio.run(mcp)

"""Provisioning and page-serving benchmark for the local runtime. Prints its figures.

    .venv/bin/python benchmarks/provision.py [--sites 10] [--concurrency 4] [--seconds 5]

Runs on a fresh, private KENZY_HOME and port (never touches your sites), then removes
everything it created. Targets (2-core machine): p50 <= 2.5 s per site sequential; 10 sites
at concurrency 4 in <= 15 s; idle memory growth <= 5 MB per extra site; >= 5,000 req/s cached.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import time
from pathlib import Path

import anyio

from _common import free_port, fresh_home, teardown
from kenzy.api import Kenzy
from kenzy.settings import Settings



def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _tree(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        current = todo.pop()
        found.add(current)
        todo.extend(children.get(current, []))
    return found


def stack_memory(home: Path) -> tuple[float, float, int]:
    """(RSS MiB, PSS MiB, process count) of every process of the stack under ``home``."""
    rss = pss = 0
    pids: set[int] = set()
    for pid_file in (home / "run").glob("*.pid"):
        text = pid_file.read_text().strip()
        if text.isdigit():
            pids |= _tree(int(text))
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        rss += int(re.search(r"^Rss:\s+(\d+)", rollup, re.M).group(1))  # type: ignore[union-attr]
        pss += int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1))  # type: ignore[union-attr]
    return rss / 1024, pss / 1024, len(pids)


def wrk(port: int, host: str, path: str, seconds: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{seconds}s", "-H", f"Host: {host}", f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"wrk saw {non2xx.group(1)} errors on {path}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]


async def main(sites: int, concurrency: int, seconds: int) -> None:
    home = fresh_home()
    settings = Settings(home=home, http_port=free_port())
    k = Kenzy(settings)
    runtime = k.context.local
    try:
        started = time.perf_counter()
        await runtime.stack.up()
        cold = time.perf_counter() - started
        started = time.perf_counter()
        await runtime.stack.up()
        warm = time.perf_counter() - started
        await anyio.sleep(2)
        rss0, pss0, procs0 = stack_memory(home)
        print(f"stack up: cold {cold:.2f} s, already up {warm * 1000:.0f} ms")
        print(f"idle stack, 0 sites: RSS {rss0:.1f} MiB, PSS {pss0:.1f} MiB, {procs0} processes")

        # Warm-up site (builds the WordPress master copy once), not counted.
        warmup = await k.provision_local(business_name="Aquecimento", industry="restaurante")

        per_site: list[float] = []
        per_step: dict[str, list[float]] = {}
        for i in range(sites):
            t0 = time.perf_counter()
            site = await k.provision_local(business_name=f"Sequencial {i + 1}", industry="restaurante")
            per_site.append(time.perf_counter() - t0)
            for entry in await k.context.store.journal_for(site.subdomain):
                if entry["state"] == "done":
                    per_step.setdefault(entry["step"], []).append(entry["seconds"])
        print(f"\n{sites} sites one after another: total {sum(per_site):.1f} s")
        print(f"  per site: p50 {_pct(per_site, .5):.2f} s, p95 {_pct(per_site, .95):.2f} s  (target p50 <= 2.5 s)")
        print("  per step (p50 / p95, s):")
        for step, values in per_step.items():
            print(f"    {step:<18} {_pct(values, .5):6.3f} / {_pct(values, .95):6.3f}")

        limiter = anyio.Semaphore(concurrency)
        conc_times: list[float] = []

        async def one(i: int) -> None:
            async with limiter:
                t0 = time.perf_counter()
                await k.provision_local(business_name=f"Concorrente {i + 1}", industry="saude")
                conc_times.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        async with anyio.create_task_group() as tg:
            for i in range(sites):
                tg.start_soon(one, i)
        wall = time.perf_counter() - t0
        print(f"\n{sites} sites at concurrency {concurrency}: {wall:.1f} s wall (target <= 15 s); "
              f"per site p50 {_pct(conc_times, .5):.2f} s, p95 {_pct(conc_times, .95):.2f} s")

        total_sites = 2 * sites + 1
        await anyio.sleep(12)  # pm = ondemand: workers exit after 10 s idle
        rss1, pss1, procs1 = stack_memory(home)
        print(f"\nidle stack, {total_sites} sites: RSS {rss1:.1f} MiB, PSS {pss1:.1f} MiB, {procs1} processes")
        print(f"  growth per site: RSS {(rss1 - rss0) / total_sites:.2f} MiB, "
              f"PSS {(pss1 - pss0) / total_sites:.2f} MiB (target <= 5 MB)")
        disk = sum(f.stat().st_size for f in runtime.layout.site(warmup.subdomain).root.rglob("*")
                   if f.is_file() and f.stat().st_nlink == 1)
        print(f"  disk per site (not hard-linked): {disk / 1e6:.1f} MB")

        host = f"{warmup.subdomain}.localhost:{settings.http_port}"
        subprocess.run(["curl", "-s", "-o", "/dev/null", "-H", f"Host: {host}",
                        f"http://127.0.0.1:{settings.http_port}/"], check=True)
        cached = wrk(settings.http_port, host, "/", seconds)
        uncached = wrk(settings.http_port, host, "/?nocache=1", seconds)
        print(f"\npage benchmark (wrk, 2 threads, 32 connections, {seconds} s each):")
        print(f"  cached   {cached:10,.0f} req/s (target >= 5,000)")
        print(f"  uncached {uncached:10,.0f} req/s")
    finally:
        await teardown(k)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per run (<= 10)")
    opts = parser.parse_args()
    os.environ.setdefault("AGNO_TELEMETRY", "false")
    anyio.run(main, opts.sites, opts.concurrency, min(opts.seconds, 10))

"""Running a test daemon: start it, wait until it answers, stop it and remove its files."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    """A loopback port nobody listens on right now (TCP by default, or UDP)."""
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_dual_port() -> int:
    """A loopback port free for both TCP and UDP (a DNS server binds both). The TCP probe
    comes first: the kernel's choice also avoids ports held by TIME_WAIT connections, which
    a UDP probe alone does not see."""
    for _ in range(100):
        port = free_port()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            try:
                udp.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError("no loopback port free for both TCP and UDP")


@contextmanager
def daemon(args: list[str], root: Path, ready: Callable[[], httpx.Response], name: str,
           env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``args``; yield once ``ready()`` answers 200; stop it and delete ``root`` after.
    Its output goes to ``root/daemon.log``, whose end the failure message quotes."""
    root.mkdir(parents=True, exist_ok=True)
    log = root / "daemon.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if ready().status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-2000:]
                raise AssertionError(f"{name} did not start (exit {proc.poll()}):\n{tail}")
            time.sleep(0.05)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        shutil.rmtree(root, ignore_errors=True)

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


@contextmanager
def daemon(args: list[str], root: Path, ready: Callable[[], httpx.Response], name: str,
           env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``args``; yield once ``ready()`` answers 200; stop it and delete ``root`` after."""
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if ready().status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, f"{name} did not start"
            time.sleep(0.05)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        shutil.rmtree(root, ignore_errors=True)

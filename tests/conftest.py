"""Shared fixtures. The stack tests run the real MariaDB, Redis, PHP-FPM and nginx on
loopback, under a throw-away ``KENZY_HOME`` that site users can traverse."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from kenzy.api import Kenzy
from kenzy.runtimes.local._stack import Stack
from kenzy.settings import Settings


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True, scope="session")
def _no_model_requests() -> Iterator[None]:
    """No test reaches a hosted model; the real-model tests opt in against a local server."""
    from pydantic_ai import models

    os.environ.setdefault("AGNO_TELEMETRY", "false")
    os.environ.setdefault("OPENAI_API_KEY", "sk-no-network")
    previous = models.ALLOW_MODEL_REQUESTS
    models.ALLOW_MODEL_REQUESTS = False
    yield
    models.ALLOW_MODEL_REQUESTS = previous


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_home(prefix: str) -> Path:
    """A home directory under /tmp that per-site users can traverse (pytest's tmp is 0700)."""
    home = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    home.chmod(0o755)
    return home


@pytest.fixture(scope="session")
def stack_settings() -> Iterator[Settings]:
    """Settings of the session's stack: own home, own free port."""
    home = make_home("kenzy-test-")
    yield Settings(home=home, http_port=free_port(), https_port=free_port(), stack_user="kenzy")
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
async def kz(stack_settings: Settings) -> AsyncIterator[Kenzy]:
    """A `Kenzy` on a running stack; at the end every site is destroyed and the stack stopped."""
    k = Kenzy(stack_settings)
    await k.context.local.stack.up()
    yield k
    for site in (await k.list_sites()).sites:
        await k.destroy_site(subdomain=site.subdomain)
    await k.context.local.stack.down()


def site_client(settings: Settings, subdomain: str, **kwargs: object) -> httpx.AsyncClient:
    """An HTTP client for one site: 127.0.0.1 with the site's Host header (glibc does not
    resolve ``*.localhost``)."""
    return httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{settings.http_port}",
        headers={"Host": f"{subdomain}.localhost:{settings.http_port}"},
        timeout=30,
        trust_env=False,
        **kwargs,  # type: ignore[arg-type]
    )


def stack_of(settings: Settings) -> Stack:
    from kenzy.vault import Vault

    return Stack(settings, Vault.from_settings(None, settings.secret_key_path))


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (per-site unix users)")
needs_stack = pytest.mark.skipif(shutil.which("mariadbd", path="/usr/sbin:/usr/bin") is None, reason="stack not installed")

"""What every benchmark needs: a private home and port, and removing everything afterwards."""

from __future__ import annotations

import shutil
import socket
import tempfile
from pathlib import Path

from kenzy.api import Kenzy


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_home() -> Path:
    """A KENZY_HOME under /tmp that per-site users can traverse."""
    home = Path(tempfile.mkdtemp(prefix="kenzy-bench-", dir="/tmp"))
    home.chmod(0o755)
    return home


async def teardown(k: Kenzy) -> None:
    """Destroy every site, stop the stack and delete the home."""
    for site in (await k.list_sites()).sites:
        await k.destroy_site(subdomain=site.subdomain)
    await k.context.local.stack.down()
    shutil.rmtree(k.settings.home, ignore_errors=True)

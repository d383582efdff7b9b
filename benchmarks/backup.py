"""Backup figures for a site with 50 MB of uploads, on the filesystem store and on a real
S3 server (SeaweedFS ``weed mini``). Prints them.

    .venv/bin/python benchmarks/backup.py [--megabytes 50] [--store local|s3|both]

Targets: full backup <= 10 s; incremental upload after changing one 1 MB file <= 2 MB;
restore <= 15 s. The drill (``kenzy backup verify``: restore into a scratch site, check,
remove) is printed as well.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import anyio
from pydantic import SecretStr

from _common import free_port, fresh_home, teardown
from kenzy.api import Kenzy
from kenzy.settings import Settings

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))


async def run(store_name: str, store: str, megabytes: int, **extra: object) -> None:
    k = Kenzy(Settings(home=fresh_home(), http_port=free_port(), https_port=free_port(), backup_store=store, **extra))
    try:
        site = await k.provision_local(business_name="Estúdio Fotografia Pesada", industry="beleza")
        await k.fill_content(subdomain=site.subdomain)
        uploads = k.context.local.layout.site(site.subdomain).wp_content / "uploads" / "fotos"
        uploads.mkdir(parents=True, exist_ok=True)
        for i in range(megabytes):
            (uploads / f"foto-{i:03}.jpg").write_bytes(os.urandom(1_000_000))  # incompressible, like photos
        if os.geteuid() == 0:
            for path in [uploads, *uploads.iterdir()]:
                shutil.chown(path, site.identifier, k.settings.stack_user)
        print(f"[{store_name}]")
        full = await k.backup(subdomain=site.subdomain)
        print(f"  full backup: {full.seconds:.2f} s, {full.objects} objects, {full.bytes_total / 1e6:.1f} MB of content, "
              f"{full.bytes_uploaded / 1e6:.1f} MB stored (target <= 10 s)")
        (uploads / "foto-007.jpg").write_bytes(os.urandom(1_000_000))
        incremental = await k.backup(subdomain=site.subdomain)
        print(f"  incremental after changing one 1 MB file: {incremental.seconds:.2f} s, "
              f"{incremental.bytes_uploaded / 1e6:.2f} MB uploaded (target <= 2 MB)")
        t0 = time.perf_counter()
        await k.restore(subdomain=site.subdomain, backup_id=full.backup_id)
        print(f"  restore of the full backup in place (RTO): {time.perf_counter() - t0:.2f} s (target <= 15 s)")
        drill = await k.verify_backup(subdomain=site.subdomain)
        print(f"  drill (clone into a scratch site, check {drill.files_checked} uploads over HTTP, remove): "
              f"RTO {drill.rto_seconds:.2f} s, {'ok' if drill.ok else drill.problems}")
    finally:
        await teardown(k)


async def main(megabytes: int, which: str) -> None:
    with ExitStack() as stack:
        if which in ("local", "both"):
            await run("filesystem store", "local", megabytes)
        if which in ("s3", "both"):
            from seaweedfs_server import ACCESS_KEY, SECRET_KEY, seaweedfs

            server = stack.enter_context(seaweedfs())
            await run("S3 store (SeaweedFS)", server.store_url("kenzy-bench", "backups"), megabytes,
                      s3_access_key_id=ACCESS_KEY, s3_secret_access_key=SecretStr(SECRET_KEY))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--store", choices=["local", "s3", "both"], default="both")
    args = parser.parse_args()
    anyio.run(main, args.megabytes, args.store)

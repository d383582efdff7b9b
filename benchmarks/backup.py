"""Backup figures on the filesystem store for a site with 50 MB of uploads. Prints them.

    .venv/bin/python benchmarks/backup.py [--megabytes 50]

Targets: full backup <= 10 s; incremental upload after changing one 1 MB file <= 2 MB;
restore <= 15 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import time

import anyio

from _common import free_port, fresh_home, teardown
from kenzy.api import Kenzy
from kenzy.settings import Settings


async def main(megabytes: int) -> None:
    k = Kenzy(Settings(home=fresh_home(), http_port=free_port(), https_port=free_port(), backup_store="local"))
    try:
        site = await k.provision_local(business_name="Estúdio Fotografia Pesada", industry="beleza")
        await k.fill_content(subdomain=site.subdomain)
        site_user = site.identifier
        uploads = k.context.local.layout.site(site.subdomain).wp_content / "uploads" / "fotos"
        uploads.mkdir(parents=True, exist_ok=True)
        for i in range(megabytes):
            (uploads / f"foto-{i:03}.jpg").write_bytes(os.urandom(1_000_000))  # incompressible, like photos
        if os.geteuid() == 0:
            for path in [uploads, *uploads.iterdir()]:
                shutil.chown(path, site_user, k.settings.stack_user)
        full = await k.backup(subdomain=site.subdomain)
        print(f"full backup: {full.seconds:.2f} s, {full.objects} objects, {full.bytes_total / 1e6:.1f} MB of content, "
              f"{full.bytes_uploaded / 1e6:.1f} MB stored (target <= 10 s)")
        (uploads / "foto-007.jpg").write_bytes(os.urandom(1_000_000))
        incremental = await k.backup(subdomain=site.subdomain)
        print(f"incremental after changing one 1 MB file: {incremental.seconds:.2f} s, "
              f"{incremental.bytes_uploaded / 1e6:.2f} MB uploaded (target <= 2 MB)")
        t0 = time.perf_counter()
        await k.restore(subdomain=site.subdomain, backup_id=full.backup_id)
        print(f"restore of the full backup (RTO): {time.perf_counter() - t0:.2f} s (target <= 15 s)")
    finally:
        await teardown(k)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=50)
    anyio.run(main, parser.parse_args().megabytes)

"""Blueprint import + content fill time per site (offline writer), and the home page's weight.

    .venv/bin/python benchmarks/content.py [--sites 6]

Runs on a fresh, private KENZY_HOME and port, then removes everything. Targets: import +
fill <= 1 s per site; home page <= 150 KB transferred excluding images, <= 20 requests.
"""

from __future__ import annotations

import argparse
import statistics
import time

import anyio

from kenzy import blueprints
from _common import free_port, fresh_home, teardown
from kenzy.api import Kenzy
from kenzy.settings import Settings



async def page_weight(url: str) -> tuple[int, int, int, int]:
    """(requests, bytes excluding images, image requests, image bytes) of loading ``url``."""
    from playwright.async_api import async_playwright

    sizes: list[tuple[str, int]] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        page = await browser.new_page(viewport={"width": 1280, "height": 900})

        async def on_response(response) -> None:  # type: ignore[no-untyped-def]
            try:
                body = await response.body()
            except Exception:  # noqa: BLE001 - redirects have no body
                body = b""
            headers = await response.all_headers()
            sizes.append((response.request.resource_type, len(body) + sum(len(k) + len(v) + 4 for k, v in headers.items())))

        page.on("response", on_response)
        await page.goto(url, wait_until="networkidle")
        await page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        await page.wait_for_timeout(500)
        await browser.close()
    other = [s for kind, s in sizes if kind != "image"]
    images = [s for kind, s in sizes if kind == "image"]
    return len(sizes), sum(other), len(images), sum(images)


async def main(sites: int) -> None:
    home = fresh_home()
    settings = Settings(home=home, http_port=free_port())
    k = Kenzy(settings)
    try:
        await k.context.local.stack.up()
        industries = (blueprints.industries() * sites)[:sites]
        import_times, fill_times = [], []
        first_url = None
        for i, industry in enumerate(industries):
            site = await k.provision_local(business_name=f"Negócio Exemplo {i + 1}", industry=industry,
                                           city="Campinas", options={"whatsapp": "19 99999-0000"})
            first_url = first_url or site.url
            t0 = time.perf_counter()
            await k.import_acf(subdomain=site.subdomain)
            import_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            await k.fill_content(subdomain=site.subdomain)
            fill_times.append(time.perf_counter() - t0)
        totals = [a + b for a, b in zip(import_times, fill_times, strict=True)]
        print(f"{sites} sites, offline writer:")
        print(f"  import_acf   p50 {statistics.median(import_times):.2f} s  max {max(import_times):.2f} s")
        print(f"  fill_content p50 {statistics.median(fill_times):.2f} s  max {max(fill_times):.2f} s")
        print(f"  import + fill p50 {statistics.median(totals):.2f} s  max {max(totals):.2f} s  (target <= 1 s)")
        for site in (await k.list_sites()).sites[:3]:
            requests, other, n_images, image_bytes = await page_weight(site.url + "/")
            print(f"  {site.industry:<12} home page: {requests} requests (target <= 20), "
                  f"{other / 1024:.1f} KB excluding images (target <= 150 KB), "
                  f"{n_images} images {image_bytes / 1024:.1f} KB")
    finally:
        await teardown(k)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=6)
    anyio.run(main, parser.parse_args().sites)

"""Render and validate the Kubernetes manifests of many sites: strict schemas of two
Kubernetes versions plus kenzy's own checks, all offline; then provision one site through
`provision_k8s` against the local HTTP double of the API (`tests/k8s_api_double.py`) and count
its requests. Prints its figures.

    .venv/bin/python benchmarks/k8s.py [--sites 1000] [--versions 1.30 1.34]

Target: <= 10 s for 1,000 sites.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import anyio

from kenzy import blueprints
from kenzy.models import SitePlan
from kenzy.runtimes.k8s import _schemas
from kenzy.runtimes.k8s.checks import run_checks
from kenzy.runtimes.k8s.manifests import render_site, to_yaml
from kenzy.runtimes.k8s.options import K8sOptions, K8sSecrets
from kenzy.runtimes.k8s.validation import validate


def main(sites: int, versions: tuple[str, ...]) -> None:
    industries = blueprints.industries()
    plans = [SitePlan(business_name=f"Negócio {i:04d}", industry=industries[i % len(industries)]) for i in range(sites)]
    options = K8sOptions(base_domain="sites.example")
    secrets = K8sSecrets()

    t0 = time.perf_counter()
    validate(render_site(plans[0], options, secrets), versions)  # loads and compiles the schemas once
    warm = time.perf_counter() - t0

    render = schema = own = 0.0
    objects = 0
    t_all = time.perf_counter()
    for plan in plans:
        t = time.perf_counter()
        manifests = render_site(plan, options, secrets)
        render += time.perf_counter() - t
        t = time.perf_counter()
        for version in versions:
            for obj in manifests:
                _schemas.check(obj, version)
        schema += time.perf_counter() - t
        t = time.perf_counter()
        found = run_checks(manifests)
        own += time.perf_counter() - t
        assert not found, found
        objects += len(manifests)
    total = time.perf_counter() - t_all

    t = time.perf_counter()
    text = to_yaml(manifests)
    yaml_ms = (time.perf_counter() - t) * 1000
    per_site = objects // sites
    print(f"{sites} sites, {objects} objects ({per_site} per site), Kubernetes {' and '.join(versions)} strict")
    print(f"  render:          {render:6.2f} s  ({render / sites * 1000:.2f} ms/site)")
    print(f"  schemas:         {schema:6.2f} s  ({schema / objects / len(versions) * 1e6:.0f} µs/object/version)")
    print(f"  kenzy's checks:  {own:6.2f} s  ({own / sites * 1000:.2f} ms/site)")
    print(f"  total:           {total:6.2f} s  (target <= 10 s); schema load and compile once: {warm:.2f} s")
    print(f"  one site as YAML: {len(text) / 1024:.0f} KiB in {yaml_ms:.1f} ms")
    print(f"  apply requests per site: {per_site} (one server-side-apply PATCH per object, Namespace first)")


async def provision_one() -> None:
    """provision_k8s, a repeated provision_k8s and destroy_site of one site, against the double."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from k8s_api_double import k8s_api_double

    from kenzy.api import Kenzy
    from kenzy.settings import Settings

    home = Path(tempfile.mkdtemp(prefix="kenzy-bench-k8s-"))
    token = "benchmark-token"
    try:
        with k8s_api_double(token) as (url, state):
            k = Kenzy(Settings(home=home, base_domain="sites.example", kube_host=url, kube_token=token))
            print("provisioning one site against the API double (loopback HTTP, workloads ready at once):")
            def create(name: str) -> Any:
                return lambda: k.provision_k8s(business_name=name, industry="restaurante")

            for label, call in (("provision_k8s (first: imports kubernetes-asyncio)", create("Pizzaria Bella")),
                                ("provision_k8s (second site)", create("Cantina Roma")),
                                ("provision_k8s again (no-op)", create("Cantina Roma")),
                                ("destroy_site", lambda: k.destroy_site(subdomain="cantina-roma"))):
                before = len(state.requests)
                t = time.perf_counter()
                await call()
                seconds = time.perf_counter() - t
                verbs = Counter(r["method"] for r in state.requests[before:])
                detail = ", ".join(f"{n} {verb}" for verb, n in sorted(verbs.items()))
                print(f"  {label:50s} {sum(verbs.values()):3d} requests ({detail}) in {seconds:.2f} s")
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--versions", nargs="+", default=["1.30", "1.34"])
    args = parser.parse_args()
    main(args.sites, tuple(args.versions))
    anyio.run(provision_one)

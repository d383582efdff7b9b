"""Failure at every step rolls everything back; re-running completes; concurrency is safe."""

from __future__ import annotations

import os

import anyio
import pytest

from conftest import needs_stack, site_client
from kenzy.api import Kenzy
from kenzy.errors import ProvisionError, SiteConflict
from kenzy.models import SitePlan

pytestmark = [pytest.mark.anyio, needs_stack]

STEPS = ["unix user", "database", "redis user", "files", "php pool", "wordpress install", "vhost", "verify"]


class Crash(Exception):
    """The injected failure."""


def _leftovers(kz: Kenzy, plan: SitePlan) -> dict[str, bool]:
    layout = kz.context.local.layout
    from kenzy import naming

    ident = naming.identifier(plan.subdomain)
    found = {
        "files": layout.site(plan.subdomain).root.exists(),
        "pool": layout.pool_conf(ident).exists(),
        "socket": layout.php_socket(ident).exists(),
        "vhost": layout.vhost_conf(plan.subdomain).exists(),
        "cache": layout.cache_dir(plan.subdomain).exists(),
    }
    if os.geteuid() == 0:
        from kenzy.runtimes.local import _unix

        found["unix user"] = _unix.user_exists(ident)
    return found


@pytest.mark.parametrize("step", STEPS)
async def test_failure_at_each_step_rolls_back_then_rerun_completes(kz: Kenzy, step: str) -> None:
    plan = SitePlan(business_name=f"Falha no passo {STEPS.index(step) + 1}", industry="saude")
    runtime = kz.context.local

    def fault(name: str) -> None:
        if name == step:
            raise Crash(f"injected after {name}")

    with pytest.raises(ProvisionError, match=f"step '{step}' failed: Crash: injected") as info:
        await runtime.provision(plan, fault=fault)
    assert "rollback could not remove" not in str(info.value)
    assert await kz.context.store.get(plan.subdomain) is None
    assert not any(_leftovers(kz, plan).values()), _leftovers(kz, plan)
    from kenzy import naming

    ident = naming.identifier(plan.subdomain)
    checks = await runtime._admins(runtime.stack.context())[0].exists(ident)
    assert checks == {"database": False, "db_user": False}
    assert not await runtime._admins(runtime.stack.context())[1].exists(ident)
    journal = await kz.context.store.journal_for(plan.subdomain)
    assert [e["step"] for e in journal if e["state"] == "failed"] == [step]
    undone = [e["step"] for e in journal if e["state"] == "undone"]
    with_undo = [s for s in STEPS[: STEPS.index(step) + 1] if s not in {"wordpress install", "verify"}]
    assert undone == list(reversed(with_undo))
    audit = await kz.context.store.audit_log(5)
    assert any(a["subdomain"] == plan.subdomain and a["outcome"] == "rolled back" for a in audit)

    # The same command again converges to a working site.
    site, created = await runtime.provision(plan)
    assert created
    async with site_client(kz.settings, site.subdomain) as client:
        assert (await client.get("/")).status_code == 200
    await kz.destroy_site(subdomain=site.subdomain)
    assert not any(_leftovers(kz, plan).values())


async def test_a_real_failure_rolls_back(kz: Kenzy) -> None:
    """Not injected: the WordPress core path is broken, so the files step really fails."""
    from kenzy.runtimes.local.runtime import LocalRuntime

    broken = kz.settings.model_copy(update={"wordpress_path": kz.settings.home / "no-wordpress-here"})
    runtime = LocalRuntime(broken, kz.context.store, kz.context.vault)
    plan = SitePlan(business_name="Core Quebrado", industry="beleza")
    with pytest.raises(ProvisionError, match="step 'files' failed"):
        await runtime.provision(plan)
    assert not any(_leftovers(kz, plan).values())
    assert await kz.context.store.get(plan.subdomain) is None


async def test_concurrent_different_sites(kz: Kenzy) -> None:
    names = ["Academia Força", "Salão Bela", "Pizzaria Roma", "Clínica Vida"]
    industries = ["academia", "beleza", "restaurante", "saude"]
    results: dict[str, object] = {}

    async def create(name: str, industry: str) -> None:
        results[name] = await kz.provision_local(business_name=name, industry=industry)

    async with anyio.create_task_group() as tg:
        for name, industry in zip(names, industries, strict=True):
            tg.start_soon(create, name, industry)
    for name in names:
        site = results[name]
        async with site_client(kz.settings, site.subdomain) as client:  # type: ignore[attr-defined]
            resp = await client.get("/")
        assert resp.status_code == 200 and name in resp.text
    for name in names:
        await kz.destroy_site(subdomain=results[name].subdomain)  # type: ignore[attr-defined]


async def test_concurrent_same_subdomain_makes_one_site(kz: Kenzy) -> None:
    outcomes: list[object] = []

    async def create(industry: str) -> None:
        try:
            outcomes.append(await kz.provision_local(business_name="Bar Único", industry=industry))
        except SiteConflict as exc:
            outcomes.append(exc)

    async with anyio.create_task_group() as tg:
        for industry in ["restaurante"] * 4 + ["saude"]:
            tg.start_soon(create, industry)
    sites = [o for o in outcomes if not isinstance(o, Exception)]
    conflicts = [o for o in outcomes if isinstance(o, SiteConflict)]
    assert {s.identifier for s in sites} == {"kz_bar_unico"}  # type: ignore[attr-defined]
    assert sum(s.created for s in sites) <= 1 or all(  # type: ignore[attr-defined]
        s.created_at == sites[0].created_at for s in sites  # type: ignore[attr-defined]
    )
    assert len({s.created_at for s in sites}) == 1  # type: ignore[attr-defined]
    if len(conflicts) == 0:  # the saude request came first and won
        assert all(s.industry == "saude" for s in sites)  # type: ignore[attr-defined]
    listed = [s for s in (await kz.list_sites()).sites if s.subdomain == "bar-unico"]
    assert len(listed) == 1
    await kz.destroy_site(subdomain="bar-unico")


async def test_concurrent_same_subdomain_across_processes(kz: Kenzy) -> None:
    """Two `kenzy create` processes for one subdomain: one site (the locks are flock-based)."""
    import json
    import sys

    env = {**os.environ, "KENZY_HOME": str(kz.settings.home), "KENZY_HTTP_PORT": str(kz.settings.http_port),
           "KENZY_STACK_USER": kz.settings.stack_user}
    cmd = [sys.executable, "-m", "kenzy", "create", "--name", "Dois Processos", "--industry", "academia", "--json"]
    outputs: list[dict[str, object]] = []

    async def run() -> None:
        result = await anyio.run_process(cmd, env=env, check=True)
        outputs.append(json.loads(result.stdout))

    async with anyio.create_task_group() as tg:
        tg.start_soon(run)
        tg.start_soon(run)
    assert {o["identifier"] for o in outputs} == {"kz_dois_processos"}
    assert sorted(bool(o["created"]) for o in outputs) == [False, True]
    await kz.destroy_site(subdomain="dois-processos")

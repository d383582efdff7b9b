"""The command line, run as a user would, against the session's stack."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import needs_stack
from kenzy.api import Kenzy

pytestmark = [pytest.mark.anyio, needs_stack]


@pytest.fixture
async def kenzy_cli(kz: Kenzy):  # type: ignore[no-untyped-def]
    env = {**os.environ, "KENZY_HOME": str(kz.settings.home), "KENZY_HTTP_PORT": str(kz.settings.http_port),
           "KENZY_STACK_USER": kz.settings.stack_user, "COLUMNS": "200"}

    def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kenzy", *args], capture_output=True, text=True,
                              env=env, input=input, timeout=300)

    return run


async def test_create_status_credentials_destroy(kenzy_cli, kz: Kenzy) -> None:  # type: ignore[no-untyped-def]
    created = kenzy_cli("create", "--name", "Padaria Pão Quente", "--industry", "restaurante", "--json")
    assert created.returncode == 0, created.stderr
    site = json.loads(created.stdout)
    assert {"subdomain", "url", "admin_url", "status"} <= set(site)
    assert site["subdomain"] == "padaria-pao-quente" and site["status"] == "active"
    assert site["url"] == f"http://padaria-pao-quente.localhost:{kz.settings.http_port}"

    human = kenzy_cli("create", "--name", "Padaria Pão Quente", "--industry", "restaurante")
    assert human.returncode == 0 and "Already exists" in human.stdout and site["url"] in human.stdout

    listed = json.loads(kenzy_cli("sites", "--json").stdout)
    assert "padaria-pao-quente" in [s["subdomain"] for s in listed]
    status = json.loads(kenzy_cli("status", "padaria-pao-quente", "--json").stdout)
    assert status["http_status"] == 200 and all(status["checks"].values())

    creds = json.loads(kenzy_cli("credentials", "padaria-pao-quente", "--json").stdout)
    secrets = [creds["admin_password"], creds["db_password"], creds["redis_password"]]
    assert all(len(s) >= 20 for s in secrets)
    everything_else = created.stdout + created.stderr + human.stdout + json.dumps(listed) + json.dumps(status)
    logs = "".join(p.read_text(errors="replace") for p in (kz.settings.home / "logs").glob("*") if p.is_file())
    site_logs = kz.context.local.layout.site("padaria-pao-quente").logs
    logs += "".join(p.read_text(errors="replace") for p in site_logs.glob("*"))
    journal = json.dumps(_journal(kz.settings.state_path))
    for secret in secrets:
        assert secret not in everything_else and secret not in logs and secret not in journal

    refused = kenzy_cli("destroy", "padaria-pao-quente", input="n\n")
    assert refused.returncode == 1 and "nothing was deleted" in refused.stderr
    assert json.loads(kenzy_cli("status", "padaria-pao-quente", "--json").stdout)["http_status"] == 200
    destroyed = kenzy_cli("destroy", "padaria-pao-quente", "--yes")
    assert destroyed.returncode == 0 and "Destroyed" in destroyed.stdout
    assert "padaria-pao-quente" not in kenzy_cli("sites", "--json").stdout


def _journal(path: Path) -> list[tuple[object, ...]]:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM journal").fetchall() + conn.execute("SELECT * FROM audit").fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["create", "--name", "", "--industry", "restaurante"], 2, "business name: is empty"),
        (["create", "--name", "Bar", "--industry", "cassino"], 2, "'cassino' is unknown"),
        (["create", "--name", "Bar", "--industry", "restaurante", "--subdomain", "admin"], 2, "reserved"),
        (["create", "--name", "a" * 500, "--industry", "restaurante"], 2, "limit is 120"),
        (["create", "--name", "Bar`whoami`", "--industry", "restaurante"], 2, "not allowed"),
        (["destroy", "fantasma", "--yes"], 1, "no site named 'fantasma'"),
        (["status", "../../etc"], 2, "invalid subdomain"),
        (["credentials", "fantasma"], 1, "no site named"),
    ],
)
async def test_bad_input_exits_with_a_clear_error(kenzy_cli, args: list[str], code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    result = kenzy_cli(*args)
    assert result.returncode == code, result.stdout + result.stderr
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr


async def test_stack_status_json(kenzy_cli) -> None:  # type: ignore[no-untyped-def]
    result = kenzy_cli("stack", "status", "--json")
    services = json.loads(result.stdout)
    assert [s["name"] for s in services] == ["mariadb", "redis", "php-fpm", "nginx"]
    assert all(s["running"] and s["pid"] and s["version"] for s in services)


async def test_create_from_a_sentence(kenzy_cli, kz: Kenzy) -> None:  # type: ignore[no-untyped-def]
    sentence = "Crie um site para a Barbearia Navalha de Ouro em Belo Horizonte, com agendamento e WhatsApp 31 98765-0000"
    planned = kenzy_cli("plan", sentence, "--json")
    plan = json.loads(planned.stdout)
    assert {"business_name", "industry", "subdomain", "city", "language", "options", "template", "missing"} <= set(plan)
    assert plan["industry"] == "beleza" and plan["city"] == "Belo Horizonte" and plan["missing"] == []
    dry = kenzy_cli("create", sentence, "--dry-run", "--json")
    assert dry.returncode == 0 and json.loads(dry.stdout)["business_name"] == plan["business_name"]
    assert await kz.context.store.get(plan["subdomain"]) is None  # a dry run creates nothing
    refused = kenzy_cli("create", sentence, input="n\n")
    assert refused.returncode == 1 and "nothing was created" in refused.stderr
    created = kenzy_cli("create", sentence, "--yes", "--json")
    assert created.returncode == 0, created.stderr
    site = json.loads(created.stdout)
    assert site["status"] == "active" and site["url"].startswith(f"http://{plan['subdomain']}.localhost")
    assert site["headline"] and any("KENZY_DNS_PROVIDER" in s for s in site["skipped"])
    assert kenzy_cli("destroy", site["subdomain"], "--yes").returncode == 0


async def test_create_asks_instead_of_guessing(kenzy_cli) -> None:  # type: ignore[no-untyped-def]
    result = kenzy_cli("create", "quero um site pro meu restaurante", "--yes")
    assert result.returncode == 2 and "nome do negócio" in result.stderr
    empty = kenzy_cli("create", "   ", "--yes")
    assert empty.returncode == 2 and "request" in empty.stderr


async def test_chat_session(kenzy_cli, kz: Kenzy) -> None:  # type: ignore[no-untyped-def]
    script = ("Crie um site para o Estúdio Pilates Leveza em Florianópolis\n"
              "qual o status do site?\n"
              "apague o site\n"
              "n\n"
              "sair\n")
    result = kenzy_cli("chat", input=script)
    assert result.returncode == 0, result.stderr
    assert "estudio-pilates-leveza.localhost" in result.stdout and "no ar" in result.stdout
    assert "Nada foi apagado" in result.stdout
    assert await kz.context.store.get("estudio-pilates-leveza") is not None
    await kz.destroy_site(subdomain="estudio-pilates-leveza")

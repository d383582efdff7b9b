"""Blueprints, content and the theme on real sites: one site per industry, filled and rendered."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import needs_stack, site_client
from kenzy import acf_format, blueprints
from kenzy.agents.writer import WriterError
from kenzy.api import Kenzy

pytestmark = [pytest.mark.anyio, needs_stack]

ARTIFACTS = Path(__file__).parent.parent / "test-artifacts"

SITES: dict[str, dict[str, Any]] = {
    "restaurante": {"name": "Pizzaria Bella Napoli", "city": "Curitiba",
                    "options": {"whatsapp": "(41) 99876-5432", "ifood": True, "delivery": True, "pix": "pix@bellanapoli.com.br", "reservas": True}},
    "advocacia": {"name": "Almeida & Costa Advogados", "city": "Recife",
                  "options": {"whatsapp": "81 3222-1100", "agendamento": "https://agenda.example/almeida", "lgpd": True, "oab": "OAB/PE 12.345"}},
    "saude": {"name": "Clínica Sorriso Aberto", "city": "Belo Horizonte",
              "options": {"telemedicina": True, "agendamento": "https://agenda.example/sorriso", "convenios": True, "crm": "CRO-MG 5.432"}},
    "beleza": {"name": "Salão Bela Flor", "city": "Salvador", "options": {"whatsapp": "71987654321", "pix": "11.222.333/0001-44"}},
    "academia": {"name": "Academia Força Total", "city": "Porto Alegre", "options": {"aula_experimental": True, "whatsapp": "51 99999-0000"}},
    "petshop": {"name": "Pet Feliz", "city": "Campinas", "options": {"leva_e_traz": True, "whatsapp": "19 98888-7777"}},
}
ITEMS = {  # the repeater whose rows must show on the home page, and the sub-field to look for
    "restaurante": ("pratos", "nome"), "advocacia": ("areas_atuacao", "titulo"), "saude": ("especialidades", "nome"),
    "beleza": ("servicos", "nome"), "academia": ("planos", "nome"), "petshop": ("servicos", "nome"),
}


@pytest.fixture(scope="module")
async def filled(kz: Kenzy) -> dict[str, Any]:
    out = {}
    for industry, spec in SITES.items():
        site = await kz.provision_local(business_name=spec["name"], industry=industry, city=spec["city"],
                                        options=spec["options"])
        result = await kz.fill_content(subdomain=site.subdomain)
        out[industry] = (site, result)
    return out


async def _read(kz: Kenzy, subdomain: str, industry: str) -> dict[str, Any]:
    fields = [f for g in blueprints.get(industry).field_groups for f in g["fields"]]
    return await kz.context.local.run_php(subdomain, "read_values", {"keys": acf_format.meta_prefixes(fields)})


async def _home(kz: Kenzy, subdomain: str, path: str = "/") -> str:
    async with site_client(kz.settings, subdomain) as client:
        resp = await client.get(path)
    assert resp.status_code == 200, resp.text[:300]
    return resp.text


def _visible(text: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", text))


@pytest.mark.parametrize("industry", list(SITES))
async def test_home_page_shows_the_business(kz: Kenzy, filled: dict[str, Any], industry: str) -> None:
    site, result = filled[industry]
    spec = SITES[industry]
    page = _visible(await _home(kz, site.subdomain))
    assert spec["name"] in page and spec["city"] in page
    assert result.headline and result.headline in page
    values = acf_format.unflatten([f for g in blueprints.get(industry).field_groups for f in g["fields"]],
                                  (await _read(kz, site.subdomain, industry))["meta"])
    repeater, key = ITEMS[industry]
    rows = values[repeater]
    assert len(rows) >= 2 and result.items[repeater] == len(rows)
    for row in rows:
        assert row[key] in page, row[key]
    opts = spec["options"]
    if "whatsapp" in opts:
        digits = re.sub(r"\D", "", opts["whatsapp"])
        assert f'href="https://wa.me/55{digits}"' in page
    if opts.get("ifood"):
        assert 'href="https://www.ifood.com.br/"' in page and "Peça pelo iFood" in page
    if "pix" in opts:
        assert opts["pix"] in page and "Aceitamos PIX" in page
    if "agendamento" in opts:
        assert opts["agendamento"] in page
    if opts.get("reservas"):
        assert "Reserve sua mesa" in page
    if opts.get("lgpd"):
        assert "LGPD" in page
    for fact in ("oab", "crm"):
        if fact in opts:
            assert opts[fact] in page
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(scripts) == 1
    data = json.loads(scripts[0])
    assert data["@type"] == blueprints.get(industry).schema_type
    assert data["name"] == spec["name"] and data["address"]["addressLocality"] == spec["city"]
    assert data["image"].endswith(".webp") and data["logo"].endswith(".webp")


async def test_page_structure_weight_and_accessibility_basics(kz: Kenzy, filled: dict[str, Any]) -> None:
    site, _ = filled["restaurante"]
    raw = await _home(kz, site.subdomain)
    assert re.search(r'<html lang="pt-BR"', raw)
    for landmark in ('<header class="site-header" role="banner"', '<main id="conteudo" role="main"',
                     '<footer class="site-footer" role="contentinfo"', "<nav class=\"nav\" aria-label="):
        assert landmark in raw
    levels = [int(h) for h in re.findall(r"<h([1-6])", raw)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))  # no skipped levels
    for img in re.findall(r"<img [^>]*>", raw):
        assert re.search(r'alt="[^"]+"', img) and "width=" in img and "height=" in img and ".webp" in img
        assert 'loading="lazy"' in img or 'fetchpriority="high"' in img
    assert "jquery" not in raw.lower() and "wp-block-library" not in raw and "wp-emoji" not in raw
    stylesheets = re.findall(r"<link rel='stylesheet'[^>]*>", raw)
    assert len(stylesheets) == 1 and "themes/kenzy/style.css" in stylesheets[0]
    menu = _visible(await _home(kz, site.subdomain, "/cardapio/"))
    assert "Cardápio" in menu and "R$" in menu


async def test_import_is_idempotent_and_values_round_trip(kz: Kenzy, filled: dict[str, Any]) -> None:
    site, _ = filled["saude"]
    before = await _read(kz, site.subdomain, "saude")
    again = await kz.import_acf(subdomain=site.subdomain)
    assert again.unchanged and again.created == 0
    assert before["counts"]["acf-field-group"] == 2
    fields_total = sum(1 for g in blueprints.get("saude").field_groups for _ in blueprints.iter_fields(g["fields"]))
    assert before["counts"]["acf-field"] == fields_total
    await kz.fill_content(subdomain=site.subdomain)  # the same brief again
    after = await _read(kz, site.subdomain, "saude")
    assert after["counts"] == before["counts"]  # no new posts, pages, images or meta rows
    assert after["meta"] == before["meta"]
    assert after["groups"] == ["group_kenzy_base", "group_kenzy_saude"]
    # Local JSON written where ACF looks for it, in ACF's shape.
    theme = kz.context.local.site_paths(site.subdomain).wp_content / "themes" / "kenzy" / "acf-json"
    local = json.loads((theme / "group_kenzy_saude.json").read_text())
    assert local["key"] == "group_kenzy_saude" and isinstance(local["modified"], int)
    assert [f["name"] for f in local["fields"]][:2] == ["crm", "especialidades"]
    # ACF's storage format: value + _name = key, repeater count and name_i_sub rows.
    meta = after["meta"]
    count = int(meta["especialidades"])
    assert meta["_especialidades"] == "field_saude_especialidades"
    assert all(f"especialidades_{i}_nome" in meta for i in range(count))
    assert meta["_especialidades_0_nome"] == "field_saude_especialidades_nome"
    assert meta["opcoes_telemedicina"] == "1" and meta["_opcoes"] == "field_saude_opcoes"


async def test_acf_posts_hold_acf_storage_format(kz: Kenzy, filled: dict[str, Any]) -> None:
    site, _ = filled["restaurante"]
    rows = await kz.context.local.run_php(site.subdomain, "acf_dump", {})
    group = rows["groups"]["group_kenzy_restaurante"]
    assert group["post_status"] == "publish" and group["post_excerpt"] == "restaurante"
    assert group["settings"]["location"] == [[{"param": "page_type", "operator": "==", "value": "front_page"}]]
    pratos = rows["fields"]["field_restaurante_pratos"]
    assert pratos["post_excerpt"] == "pratos" and pratos["post_parent"] == group["ID"]
    assert pratos["settings"]["type"] == "repeater" and pratos["settings"]["min"] == 4
    assert "sub_fields" not in pratos["settings"] and "key" not in pratos["settings"]
    preco = rows["fields"]["field_restaurante_pratos_preco"]
    assert preco["post_parent"] == pratos["ID"] and preco["post_excerpt"] == "preco"


async def test_templates_are_selectable_and_distinct(kz: Kenzy, filled: dict[str, Any]) -> None:
    site, _ = filled["restaurante"]
    modern = await _home(kz, site.subdomain)
    assert "t-modern" in modern and "tpl-restaurant_modern" in modern
    result = await kz.fill_content(subdomain=site.subdomain, template="restaurant_classic")
    assert result.template == "restaurant_classic"
    classic = await _home(kz, site.subdomain)  # the cache was purged by fill_content
    assert "t-classic" in classic and "tpl-restaurant_classic" in classic
    from kenzy.errors import InvalidInput

    with pytest.raises(InvalidInput, match="not a restaurante template"):
        await kz.fill_content(subdomain=site.subdomain, template="law_modern")
    await kz.fill_content(subdomain=site.subdomain, template="restaurant_modern")


async def test_english_site(kz: Kenzy) -> None:
    site = await kz.provision_local(business_name="Bella Napoli Pizza", industry="restaurante", locale="en_US",
                                    city="Austin", options={"delivery": True})
    result = await kz.fill_content(subdomain=site.subdomain)
    page = _visible(await _home(kz, site.subdomain))
    assert 'lang="en-US"' in page and "Menu" in page and "Opening hours" in page and "$" in page
    assert "Cardápio" not in page and result.headline in page
    await kz.destroy_site(subdomain=site.subdomain)


async def test_nothing_from_a_brief_or_a_model_runs_as_script(kz: Kenzy, filled: dict[str, Any]) -> None:
    from pydantic_ai.messages import ModelResponse, ToolCallPart
    from pydantic_ai.models.function import AgentInfo, FunctionModel

    from kenzy.agents.copybank import write_offline
    from kenzy.content import Brief

    site, _ = filled["beleza"]
    bp = blueprints.get("beleza")
    brief = Brief(business_name=site.business_name, industry="beleza")
    evil = "<script>alert('x')</script><img src=x onerror=alert(1)>"

    def hostile(messages: list, info: AgentInfo) -> ModelResponse:  # type: ignore[type-arg]
        content = write_offline(bp, brief)
        content["hero_titulo"] = evil[:90]
        content["servicos"][0]["nome"] = evil[:60]
        content["sobre"] = f"<p>{evil}</p>"
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, content)])

    kz.context.writer_model = FunctionModel(hostile)
    try:
        await kz.fill_content(subdomain=site.subdomain, description=evil)
    finally:
        kz.context.writer_model = None
    page = await _home(kz, site.subdomain)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in page  # shown as text, escaped
    await kz.fill_content(subdomain=site.subdomain)


async def test_an_invalid_writer_writes_nothing(kz: Kenzy, filled: dict[str, Any]) -> None:
    from pydantic_ai.messages import ModelResponse, ToolCallPart
    from pydantic_ai.models.function import AgentInfo, FunctionModel

    site, _ = filled["academia"]
    before = await _read(kz, site.subdomain, "academia")

    def broken(messages: list, info: AgentInfo) -> ModelResponse:  # type: ignore[type-arg]
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, {"hero_titulo": 42})])

    kz.context.writer_model = FunctionModel(broken)
    try:
        with pytest.raises(WriterError, match="nothing was written"):
            await kz.fill_content(subdomain=site.subdomain)
    finally:
        kz.context.writer_model = None
    assert await _read(kz, site.subdomain, "academia") == before


async def test_bad_fill_input_changes_nothing(kz: Kenzy, filled: dict[str, Any]) -> None:
    from kenzy.errors import InvalidInput, SiteNotFound

    site, _ = filled["petshop"]
    before = await _read(kz, site.subdomain, "petshop")
    with pytest.raises(InvalidInput, match="description"):
        await kz.fill_content(subdomain=site.subdomain, description="x" * 10_000)
    with pytest.raises(InvalidInput, match="city"):
        await kz.fill_content(subdomain=site.subdomain, city="<script>x</script>")
    with pytest.raises(SiteNotFound):
        await kz.fill_content(subdomain="nao-existe")
    with pytest.raises(SiteNotFound):
        await kz.import_acf(subdomain="nao-existe")
    assert await _read(kz, site.subdomain, "petshop") == before


@pytest.mark.parametrize("industry", list(SITES))
async def test_screenshot_and_no_horizontal_overflow(kz: Kenzy, filled: dict[str, Any], industry: str) -> None:
    pytest.importorskip("playwright")
    from playwright.async_api import async_playwright

    site, _ = filled[industry]
    ARTIFACTS.mkdir(exist_ok=True)
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        try:
            page = await browser.new_page(viewport={"width": 375, "height": 812})
            errors: list[str] = []
            page.on("dialog", lambda d: errors.append(d.message))
            await page.goto(f"{site.url}/")
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, f"{industry}: page is {width}px wide at 375px"
            # Lazy images below the fold may still be loading after the load event: make them
            # eager, wait for each (10 s at most), then every one must have decoded.
            broken = await page.evaluate("""async () => {
                const imgs = [...document.images];
                imgs.forEach(i => { i.loading = 'eager'; });
                const settled = Promise.all(imgs.map(i => i.complete ? null
                    : new Promise(done => { i.addEventListener('load', done); i.addEventListener('error', done); })));
                await Promise.race([settled, new Promise(done => setTimeout(done, 10000))]);
                return imgs.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.currentSrc || i.src);
            }""")
            assert broken == [], f"{industry}: images that did not load: {broken}"
            await page.screenshot(path=str(ARTIFACTS / f"{industry}-375.png"), full_page=True)
            await page.set_viewport_size({"width": 1280, "height": 900})
            await page.screenshot(path=str(ARTIFACTS / f"{industry}-1280.png"), full_page=True)
            assert errors == []
        finally:
            await browser.close()


async def test_hero_from_an_image_generator(kz: Kenzy, filled: dict[str, Any]) -> None:
    from test_images import fake_images

    site, _ = filled["advocacia"]
    with fake_images() as (base_url, seen):
        settings = kz.settings.model_copy(update={"image_model": "openai:gpt-image-1", "image_base_url": base_url})
        generated = Kenzy(settings)
        await generated.fill_content(subdomain=site.subdomain)
    assert len(seen) == 1 and "law office" in seen[0]["prompt"]
    page = await _home(kz, site.subdomain)
    assert 'alt="Foto ilustrativa de Almeida &amp; Costa Advogados"' in page
    with fake_images(status=500, payload={"error": "boom"}) as (base_url, _):
        broken = Kenzy(kz.settings.model_copy(update={"image_model": "openai:x", "image_base_url": base_url}))
        before = await _read(kz, site.subdomain, "advocacia")
        from kenzy.errors import ProviderError

        with pytest.raises(ProviderError, match="HTTP 500"):
            await broken.fill_content(subdomain=site.subdomain)
        assert await _read(kz, site.subdomain, "advocacia") == before  # nothing written
    await kz.fill_content(subdomain=site.subdomain)

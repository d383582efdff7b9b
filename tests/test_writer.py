"""The content writer, offline and through pydantic-ai, without the stack."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from kenzy import blueprints
from kenzy.agents.copybank import write_offline
from kenzy.agents.writer import WriterError, write_content
from kenzy.content import Brief, content_model, site_values
from kenzy.errors import InvalidInput

pytestmark = pytest.mark.anyio

BUSINESSES = {
    "restaurante": ["Restaurante do João", "Pizzaria Bella Napoli", "Sushi Kenzo", "Cantina da Nonna"],
    "advocacia": ["Silva & Souza Advogados", "Escritório Almeida"],
    "saude": ["Clínica Sorriso", "Clínica Vida Plena"],
    "beleza": ["Salão Bela Flor", "Barbearia do Zé"],
    "academia": ["Academia Força Total", "Studio Pilates Equilíbrio"],
    "petshop": ["Pet Feliz", "Banho e Tosa Amigo Fiel"],
}
CASES = [(i, n, loc) for i, names in BUSINESSES.items() for n in names for loc in ("pt_BR", "en_US")]


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


@pytest.mark.parametrize(("industry", "name", "locale"), CASES)
def test_offline_copy_is_valid_real_and_in_the_right_language(industry: str, name: str, locale: str) -> None:
    bp = blueprints.get(industry)
    brief = Brief(business_name=name, industry=industry, locale=locale, city="Campinas")
    content = write_offline(bp, brief)
    model = content_model(bp)
    validated = model.model_validate(content)  # every length, choice and row limit holds
    texts = _texts(validated.model_dump())
    joined = " ".join(texts).lower()
    assert "lorem" not in joined and "[" not in joined and "{{" not in joined and "{%" not in joined
    assert name.lower() in joined
    assert validated.hero_titulo and validated.sobre.startswith("<p>")  # type: ignore[attr-defined]
    portuguese = re.search(r"\b(você|nossa|nosso|para|com|atendimento)\b", joined)
    english = re.search(r"\b(you|our|with|the|and)\b", joined)
    if locale == "pt_BR":
        assert portuguese and re.search(r"[ãçéêóúâí]", joined)
    else:
        assert english and not re.search(r"\b(você|atendimento|nossa)\b", joined)
    assert write_offline(bp, brief) == content  # deterministic


@pytest.mark.parametrize("industry", sorted(BUSINESSES))
def test_two_businesses_never_share_a_hero_line(industry: str) -> None:
    bp = blueprints.get(industry)
    names = BUSINESSES[industry] + ["Casa Aurora", "Ponto Central", "Nova Era", "Bom Lugar", "Vila Rica"]
    heroes = [write_offline(bp, Brief(business_name=n, industry=industry))["hero_titulo"] for n in names]
    assert len(set(heroes)) == len(heroes), heroes


def test_restaurant_cuisine_follows_the_name() -> None:
    bp = blueprints.get("restaurante")
    pizza = write_offline(bp, Brief(business_name="Pizzaria Bella Napoli", industry="restaurante"))
    sushi = write_offline(bp, Brief(business_name="Sushi Kenzo", industry="restaurante"))
    assert pizza["cozinha"] == "pizzaria" and sushi["cozinha"] == "japonesa"
    categories = {c["nome"] for c in pizza["categorias_menu"]}
    assert all(d["categoria"] in categories for d in pizza["pratos"])


async def test_write_content_runs_the_pydantic_ai_agent() -> None:
    bp = blueprints.get("saude")
    brief = Brief(business_name="Clínica Sorriso", industry="saude", city="Curitiba")
    content = await write_content(bp, brief)
    assert isinstance(content, content_model(bp))
    assert content.model_dump() == content_model(bp).model_validate(write_offline(bp, brief)).model_dump()


async def test_invalid_model_output_is_retried_then_fails_clearly() -> None:
    from pydantic_ai.messages import ModelResponse, ToolCallPart
    from pydantic_ai.models.function import AgentInfo, FunctionModel

    bp = blueprints.get("restaurante")
    brief = Brief(business_name="Bar do Zé", industry="restaurante")
    calls: list[int] = []

    def bad(messages: list, info: AgentInfo) -> ModelResponse:  # type: ignore[type-arg]
        calls.append(1)
        content = write_offline(bp, brief)
        content["pratos"] = content["pratos"][:1]  # below the blueprint's minimum of 4
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, content)])

    with pytest.raises(WriterError, match="did not fit the restaurante blueprint after 3 attempts"):
        await write_content(bp, brief, model=FunctionModel(bad))
    assert len(calls) == 3  # the first answer and two corrections

    def fixed_on_retry(messages: list, info: AgentInfo) -> ModelResponse:  # type: ignore[type-arg]
        content = write_offline(bp, brief)
        if len(messages) == 1:
            content["hero_titulo"] = "x" * 500  # too long: sent back for correction
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, content)])

    content = await write_content(bp, brief, model=FunctionModel(fixed_on_retry))
    assert len(content.hero_titulo) <= 90  # type: ignore[attr-defined]


async def test_html_from_a_model_is_reduced_to_paragraphs() -> None:
    from pydantic_ai.messages import ModelResponse, ToolCallPart
    from pydantic_ai.models.function import AgentInfo, FunctionModel

    bp = blueprints.get("beleza")
    brief = Brief(business_name="Salão Bela Flor", industry="beleza")

    def sneaky(messages: list, info: AgentInfo) -> ModelResponse:  # type: ignore[type-arg]
        content = write_offline(bp, brief)
        content["sobre"] = '<p onclick="x()">Olá</p><script>alert(1)</script><p><a href="javascript:x">ok</a></p>'
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, content)])

    content = await write_content(bp, brief, model=FunctionModel(sneaky))
    assert content.sobre == "<p>Olá</p><p>alert(1)</p><p>ok</p>"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"business_name": ""}, "business name: is empty"),
        ({"business_name": "<script>alert(1)</script>"}, "not allowed"),
        ({"business_name": "Bar", "description": "a" * 10_000}, "description: is 10000 characters long"),
        ({"business_name": "Bar", "city": "<b>Campinas</b>"}, "city: contains '<'"),
        ({"business_name": "Bar", "email": "not-an-email"}, "not an e-mail"),
        ({"business_name": "Bar", "options": {"pix": "<img src=x onerror=alert(1)>"}}, "option pix"),
        ({"business_name": "Bar", "industry": "cassino"}, "industry"),
    ],
)
def test_bad_briefs_are_rejected(kwargs: dict, match: str) -> None:  # type: ignore[type-arg]
    with pytest.raises((InvalidInput, ValidationError), match=match):
        Brief(**{"industry": "restaurante", **kwargs})


def test_brief_facts_are_not_invented() -> None:
    bp = blueprints.get("advocacia")
    brief = Brief(business_name="Silva & Souza Advogados", industry="advocacia",
                  options={"whatsapp": "(11) 98765-4321", "agendamento": "https://agenda.example/silva"})
    values = site_values(bp, brief, write_offline(bp, brief))
    assert values["oab"] == ""  # no registration number unless the brief gives one
    assert all("oab" not in row or row["oab"] in ("", None) for row in values["equipe"])
    assert values["opcoes"]["whatsapp"] == "5511987654321"
    assert values["chamada"]["url"] == "https://wa.me/5511987654321"
    assert values["consultas"]["agendamento_url"] == "https://agenda.example/silva"

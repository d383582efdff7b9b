"""Names, subdomains and identifiers: a table of real-world inputs plus properties."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kenzy import naming
from kenzy.errors import InvalidInput
from kenzy.models import SitePlan

IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,29}$")
LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


@pytest.mark.parametrize(
    ("name", "subdomain"),
    [
        ("Restaurante São João 🍕", "restaurante-sao-joao"),
        ("Joe's Pizza", "joes-pizza"),
        ("Clínica Odontológica Sorriso & Cia.", "clinica-odontologica-sorriso-cia"),
        ("  Padaria   Pão Quente  ", "padaria-pao-quente"),
        ("Advocacia Müller-Schmidt", "advocacia-muller-schmidt"),
        ("Café 24h", "cafe-24h"),
        ("ÁÉÍÓÚ ÇÃÕ", "aeiou-cao"),
        ("Admin", "admin-site"),
        ("WWW", "www-site"),
        ("A" * 120, "a" * 40),
        ("Oficina do Zé Número 1 Para Todos os Carros e Motos da Cidade", "oficina-do-ze-numero-1-para-todos-os"),
    ],
)
def test_subdomain_from_name(name: str, subdomain: str) -> None:
    assert naming.subdomain_for(name) == subdomain


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("x" * 500, "500 characters"),
        ('Bar "do Zé"', "'\"'"),
        ("Pizza`id`", "'`'"),
        ("Loja $(rm -rf /)", "'$'"),
        ("Bar; DROP TABLE sites", "';'"),
        ("<script>alert(1)</script>", "'<'"),
        ("../../etc/passwd", "path"),
        ("Loja\x00Nula", "control character"),
        ("Loja\nNova", "control character"),
        ("Loja\x1b[31m", "control character"),
        ("🍕🍕🍕", "no letters or digits"),
        ("a\\b", "'\\\\'"),
        ("a|b", "'|'"),
    ],
)
def test_bad_names_are_rejected(name: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(reason)):
        naming.subdomain_for(name)


@pytest.mark.parametrize(
    "subdomain",
    ["", "www", "admin", "api", "mail", "-abc", "abc-", "a_b", "ABC", "a.b", "a/b", "..", "../etc",
     "a b", "xn--abc", "x" * 64, "ção", "a\x00b", "a;b", "a'b"],
)
def test_bad_subdomains_are_rejected(subdomain: str) -> None:
    with pytest.raises(InvalidInput):
        naming.validate_subdomain(subdomain)


def test_unknown_industry_and_locale_are_rejected() -> None:
    with pytest.raises(InvalidInput, match="industry.*unknown.*restaurante"):
        SitePlan(business_name="Bar", industry="cassino")
    with pytest.raises(InvalidInput, match="locale"):
        SitePlan(business_name="Bar", industry="restaurante", locale="fr_FR")


def test_plan_derives_and_keeps_subdomain() -> None:
    plan = SitePlan(business_name="Restaurante São João 🍕", industry="restaurante")
    assert plan.subdomain == "restaurante-sao-joao"
    assert plan.business_name == "Restaurante São João 🍕"
    assert SitePlan(business_name="X Y", industry="saude", subdomain="xy").subdomain == "xy"


@given(st.text(max_size=200))
def test_slug_is_always_a_label_or_empty(text: str) -> None:
    slug = naming.slugify(text)
    assert slug == "" or LABEL.match(slug)
    assert len(slug) <= naming.SLUG_LENGTH
    assert naming.slugify(slug) == slug  # idempotent


@given(st.text(min_size=1, max_size=naming.MAX_NAME_LENGTH))
def test_any_accepted_name_gives_a_valid_subdomain(name: str) -> None:
    try:
        sub = naming.subdomain_for(name)
    except InvalidInput:
        return
    assert naming.validate_subdomain(sub) == sub


labels = st.from_regex(LABEL, fullmatch=True).filter(
    lambda s: s not in naming.RESERVED_SUBDOMAINS and s[2:4] != "--"
)


@given(labels)
def test_identifier_is_safe_everywhere(sub: str) -> None:
    ident = naming.identifier(sub)
    assert IDENT.match(ident), ident  # unix user, MariaDB database/user, Redis user
    assert len(ident) <= 30


@given(labels, labels)
def test_identifier_is_injective(a: str, b: str) -> None:
    if a != b:
        assert naming.identifier(a) != naming.identifier(b)

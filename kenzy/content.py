"""Briefs and content models: what the writer is asked for and the typed shape of its answer.

The content model of a blueprint is a Pydantic model built from its ACF fields (every field
the writer fills, with repeater row limits, select choices and length limits). Fields that
hold facts about the business (contact data, options, registration numbers, images) are not
the writer's: `site_values` fills them from the brief.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import Annotated, Any, Literal
from urllib.parse import quote_plus

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model, field_validator

from kenzy import naming
from kenzy.blueprints import Blueprint
from kenzy.errors import InvalidInput

__all__ = ["BRIEF_OWNED", "Brief", "content_model", "jsonld", "site_values", "whatsapp_digits"]

BRIEF_OWNED = frozenset(
    {"hero_imagem", "logo", "chamada", "telefone", "email", "endereco", "cidade", "mapa_url", "opcoes",
     "oab", "crm", "registro", "ativo", "ifood_url", "agendamento_url"}
)
"""Field names whose values are facts from the brief, never invented by a writer."""

MAX_DESCRIPTION = 2000
_UNSAFE = set("<>\"`{}\\")


def _plain(field: str, value: str | None, limit: int) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    if not value:
        return None
    if len(value) > limit:
        raise InvalidInput(field, f"is {len(value)} characters long; the limit is {limit}")
    for char in value:
        if unicodedata.category(char) == "Cc" or char in _UNSAFE:
            raise InvalidInput(field, f"contains {char!r}, which is not allowed")
    return value


class Brief(BaseModel):
    """What the writer knows about the business."""

    model_config = ConfigDict(frozen=True)

    business_name: str
    industry: str
    locale: Literal["pt_BR", "en_US"] = "pt_BR"
    city: str | None = None
    description: str | None = None
    """Free text about the business (up to 2,000 characters); treated as text, never HTML."""
    tone: Literal["acolhedor", "profissional", "descontraido"] = "acolhedor"
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    """Plan options: ``whatsapp`` (number), ``pix`` (key), ``ifood`` (URL or true), flags..."""

    @field_validator("business_name")
    @classmethod
    def _name(cls, value: str) -> str:
        return naming.validate_business_name(value)

    @field_validator("industry")
    @classmethod
    def _industry(cls, value: str) -> str:
        from kenzy import blueprints

        blueprints.get(value)
        return value

    @field_validator("city", "address", "phone")
    @classmethod
    def _short(cls, value: str | None, info: Any) -> str | None:
        return _plain(info.field_name, value, 160)

    @field_validator("description")
    @classmethod
    def _description(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if len(value) > MAX_DESCRIPTION:
            raise InvalidInput("description", f"is {len(value)} characters long; the limit is {MAX_DESCRIPTION}")
        return value or None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value and not re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[a-z]{2,}", value, re.I):
            raise InvalidInput("email", f"{value!r} is not an e-mail address")
        return value or None

    @field_validator("options")
    @classmethod
    def _options(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key, item in value.items():
            if isinstance(item, str):
                _plain(f"option {key}", item, 300)
        return value


# content models ----------------------------------------------------------------------------


def _field_type(field: dict[str, Any], model_name: str) -> Any:
    ftype = field["type"]
    required = bool(field.get("required"))
    if ftype in {"text", "textarea", "wysiwyg", "email", "url"}:
        limit = int(field.get("maxlength") or 0) or None
        return Annotated[str, StringConstraints(min_length=1 if required else 0, max_length=limit)]
    if ftype == "number":
        lo = field.get("min")
        hi = field.get("max")
        return Annotated[float, Field(ge=float(lo) if lo not in (None, "") else None,
                                      le=float(hi) if hi not in (None, "") else None)]
    if ftype == "select":
        return Literal[tuple(field["choices"])]  # type: ignore[misc]
    if ftype == "true_false":
        return bool
    if ftype == "link":
        return dict[str, str]
    if ftype in {"group", "repeater"}:
        row = _model(f"{model_name}_{field['name']}", field["sub_fields"])
        if row is None:
            return None
        if ftype == "group":
            return row
        lo = int(field.get("min") or 0)
        hi = int(field.get("max") or 0) or None
        return Annotated[list[row], Field(min_length=lo, max_length=hi)]  # type: ignore[valid-type]
    return None  # images: made by kenzy, not written


def _model(name: str, fields: list[dict[str, Any]]) -> type[BaseModel] | None:
    definitions: dict[str, Any] = {}
    for field in fields:
        if field["name"] in BRIEF_OWNED:
            continue
        annotation = _field_type(field, name)
        if annotation is None:
            continue
        description = field.get("label", "")
        if field["type"] == "true_false":
            definitions[field["name"]] = (annotation, Field(default=False, description=description))
        elif field.get("required") or field["type"] in {"repeater", "group", "select"}:
            definitions[field["name"]] = (annotation, Field(description=description))
        else:
            definitions[field["name"]] = (annotation | None, Field(default=None, description=description))
    if not definitions:
        return None
    return create_model(name, __config__=ConfigDict(extra="forbid"), **definitions)


_MODELS: dict[str, type[BaseModel]] = {}


def content_model(blueprint: Blueprint) -> type[BaseModel]:
    """The typed answer a writer must give for ``blueprint`` (validated before anything is written).

    One class per distinct blueprint, so results of two calls are instances of the same model.
    """
    key = blueprint.industry + ":" + hashlib.sha256(
        json.dumps(blueprint.field_groups, sort_keys=True).encode()).hexdigest()
    if key not in _MODELS:
        fields = [f for group in blueprint.field_groups for f in group["fields"]]
        model = _model(f"Content_{blueprint.industry}", fields)
        assert model is not None
        _MODELS[key] = model
    return _MODELS[key]


# values from the brief ---------------------------------------------------------------------


def whatsapp_digits(number: Any) -> str | None:
    """``"(19) 99876-5432"`` -> ``"5519998765432"``; None when there is no usable number."""
    if not isinstance(number, str | int):
        return None
    digits = re.sub(r"\D", "", str(number))
    if len(digits) in (10, 11):
        digits = "55" + digits
    return digits if 12 <= len(digits) <= 15 else None


def _flag(options: dict[str, Any], name: str) -> bool:
    value = options.get(name)
    return bool(value) and value not in ("false", "0", "no", "nao", "não")


def site_values(blueprint: Blueprint, brief: Brief, content: dict[str, Any]) -> dict[str, Any]:
    """The full nested values of the site: the writer's content plus the brief's facts."""
    opts = brief.options
    english = brief.locale == "en_US"
    wa = whatsapp_digits(opts.get("whatsapp"))
    ifood = opts.get("ifood")
    ifood_url = ifood if isinstance(ifood, str) and ifood.startswith("https://") else (
        "https://www.ifood.com.br/" if _flag(opts, "ifood") else "")
    booking = next((v for v in (opts.get("agendamento_url"), opts.get("agendamento"))
                    if isinstance(v, str) and v.startswith(("https://", "http://"))), None)
    if wa:
        cta = {"title": "Message us on WhatsApp" if english else "Fale conosco no WhatsApp",
               "url": f"https://wa.me/{wa}", "target": "_blank"}
    else:
        cta = {"title": "Contact us" if english else "Entre em contato", "url": "#contato", "target": ""}
    where = ", ".join(p for p in (brief.address, brief.city) if p)
    facts: dict[str, Any] = {
        "hero_imagem": "@image:hero",
        "logo": "@image:logo",
        "chamada": cta,
        "telefone": brief.phone or "",
        "email": brief.email or "",
        "endereco": brief.address or "",
        "cidade": brief.city or "",
        "mapa_url": f"https://www.google.com/maps/search/?api=1&query={quote_plus(where)}" if where else "",
        "oab": str(opts.get("oab") or ""),
        "crm": str(opts.get("crm") or ""),
    }
    option_fields = {
        "whatsapp": wa or "",
        "pix": str(opts.get("pix") or "") if opts.get("pix") is not True else "",
        "lgpd": _flag(opts, "lgpd"),
        "telemedicina": _flag(opts, "telemedicina"),
        "aula_experimental": _flag(opts, "aula_experimental"),
        "leva_e_traz": _flag(opts, "leva_e_traz"),
        "agendamento_url": booking or "",
    }
    values = dict(content)
    for group in blueprint.field_groups:
        for field in group["fields"]:
            name = field["name"]
            if name in facts:
                values[name] = facts[name]
            elif name == "opcoes":
                values[name] = {s["name"]: option_fields.get(s["name"], "") for s in field["sub_fields"]}
            elif name == "delivery":
                values[name] = {**content.get(name, {}), "ativo": _flag(opts, "delivery") or bool(ifood_url),
                                "ifood_url": ifood_url}
            elif name == "reservas":
                values[name] = {**content.get(name, {}), "ativo": _flag(opts, "reservas")}
            elif name == "consultas":
                values[name] = {**content.get(name, {}), "agendamento_url": booking or ""}
    return values


def jsonld(blueprint: Blueprint, brief: Brief, values: dict[str, Any], url: str) -> dict[str, Any]:
    """schema.org JSON-LD for the business (the theme adds image and logo URLs)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": blueprint.schema_type,
        "name": brief.business_name,
        "url": url + "/",
        "description": values.get("seo_descricao") or "",
    }
    if brief.phone:
        data["telephone"] = brief.phone
    if brief.email:
        data["email"] = brief.email
    if brief.city or brief.address:
        data["address"] = {"@type": "PostalAddress", "addressCountry": "BR" if brief.locale == "pt_BR" else "US"}
        if brief.address:
            data["address"]["streetAddress"] = brief.address
        if brief.city:
            data["address"]["addressLocality"] = brief.city
    hours = values.get("horarios") or []
    if hours:
        data["openingHours"] = [f"{row['dias']} {row['horas']}" for row in hours]
    if blueprint.industry == "restaurante":
        choices = next(f for g in blueprint.field_groups for f in g["fields"] if f["name"] == "cozinha")["choices"]
        data["servesCuisine"] = choices.get(values.get("cozinha", ""), "")
        data["acceptsReservations"] = bool(values.get("reservas", {}).get("ativo"))
        menu = next((p for p in blueprint.pages if p.section == "menu"), None)
        if menu:
            data["hasMenu"] = f"{url}/{menu.slug}/"
    lists = {"areas_atuacao": "titulo", "especialidades": "nome", "servicos": "nome", "modalidades": "nome"}
    for name, key in lists.items():
        if values.get(name):
            data["knowsAbout"] = [row[key] for row in values[name]]
    return data

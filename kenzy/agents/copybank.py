"""The offline writer: real copy from the banks in ``prompts/copy/<locale>/``, seeded by the business.

A bank is a TOML file per industry (plus ``_base.toml``) with one table per field: ``pick``
(alternative lines), ``paragraphs`` (alternatives per paragraph, for wysiwyg), ``rows`` or
``sets`` (repeater rows, optionally ``by.<select>.<value>`` variants), ``default`` and
``detect`` (select). Every string is a Jinja2 template over the brief. The same business
always gets the same copy; two businesses almost never get the same lines.
"""

from __future__ import annotations

import hashlib
import html
import random
import tomllib
import unicodedata
from functools import cache
from typing import Any

from kenzy._resources import data_dir
from kenzy.blueprints import Blueprint
from kenzy.content import BRIEF_OWNED, Brief

__all__ = ["write_offline"]


@cache
def _bank(locale: str, industry: str) -> dict[str, Any]:
    root = data_dir("prompts") / "copy" / locale
    merged: dict[str, Any] = {}
    for name in ("_base", industry):
        path = root / f"{name}.toml"
        if path.is_file():
            merged.update(tomllib.loads(path.read_text(encoding="utf-8")))
    return merged


@cache
def _env() -> Any:
    import jinja2

    return jinja2.Environment(undefined=jinja2.ChainableUndefined, autoescape=False)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


class _Writer:
    def __init__(self, blueprint: Blueprint, brief: Brief) -> None:
        self.blueprint = blueprint
        self.brief = brief
        self.bank = _bank(brief.locale, blueprint.industry)
        in_word = " in " if brief.locale == "en_US" else " em "
        self.context = {
            "name": brief.business_name,
            "city": brief.city or "",
            "in_city": f"{in_word}{brief.city}" if brief.city else "",
            "label": blueprint.label(brief.locale),
            "options": {k: v for k, v in brief.options.items() if v},
            "tone": brief.tone,
        }
        self.seed = f"{brief.business_name}|{blueprint.industry}|{brief.locale}"
        self.selected: dict[str, str] = {}

    def rng(self, path: str) -> random.Random:
        digest = hashlib.sha256(f"{self.seed}|{path}".encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))

    def render(self, template: Any) -> Any:
        if not isinstance(template, str):
            return template
        return " ".join(_env().from_string(template).render(**self.context).split())

    def line(self, path: str, spec: dict[str, Any], limit: int | None) -> str:
        picks = list(spec.get("pick") or [])
        self.rng(path).shuffle(picks)
        for template in picks:
            text = self.render(template)
            if text and (limit is None or len(text) <= limit):
                return text
        text = self.render(picks[0]) if picks else self.brief.business_name
        return text[: (limit or len(text))].rsplit(" ", 1)[0]

    def variant(self, spec: dict[str, Any]) -> dict[str, Any]:
        """The ``by.<select>.<value>`` variant of a repeater's bank for the selects chosen so far."""
        for select, variants in (spec.get("by") or {}).items():
            chosen = self.selected.get(select)
            if chosen in variants:
                return variants[chosen]
        return spec

    def render_row(self, row: dict[str, Any], field: dict[str, Any]) -> dict[str, Any]:
        item: dict[str, Any] = {}
        for sub in field["sub_fields"]:
            if sub["name"] in BRIEF_OWNED:
                continue
            value = row.get(sub["name"])
            if sub["type"] == "true_false":
                item[sub["name"]] = bool(value)
            elif sub["type"] == "number":
                item[sub["name"]] = float(value) if value is not None else float(sub.get("min") or 1)
            elif value is not None:
                limit = int(sub.get("maxlength") or 0) or None
                text = self.render(value)
                item[sub["name"]] = text if limit is None or len(text) <= limit else text[:limit].rsplit(" ", 1)[0]
        return item

    def rows(self, path: str, spec: dict[str, Any], field: dict[str, Any]) -> list[dict[str, Any]]:
        spec = self.variant(spec)
        rng = self.rng(path)
        lo = int(field.get("min") or 0)
        hi = int(field.get("max") or 0) or 8
        if "sets" in spec:
            chosen_rows = list(rng.choice(spec["sets"]))
        else:
            pool = list(spec.get("rows") or [])
            lower = max(lo, min(hi, 4))
            target = rng.randint(lower, max(lower, min(hi, (lo + hi) // 2 + 2)))
            chosen_rows = rng.sample(pool, min(len(pool), target))
        return [self.render_row(row, field) for row in chosen_rows[:hi]]

    def link(self, values: dict[str, Any], bank: dict[str, Any], by_name: dict[str, dict[str, Any]]) -> None:
        """Make linked repeaters agree: ``[pratos] link = {categoria = "categorias_menu.nome"}``
        keeps exactly the categories the chosen dishes use (and the dishes of kept categories)."""
        for name, spec in bank.items():
            if not isinstance(spec, dict) or name not in values:
                continue
            for sub, target in (spec.get("link") or {}).items():
                other, key = target.split(".", 1)
                field = by_name.get(other)
                if field is None:
                    continue
                used: dict[str, int] = {}
                for row in values[name]:
                    used[row.get(sub)] = used.get(row.get(sub), 0) + 1
                pool = self.variant(bank.get(other) or {}).get("rows") or []
                rendered = [self.render_row(r, field) for r in pool]
                keep = [r for r in rendered if r.get(key) in used]
                hi = int(field.get("max") or 0) or len(keep)
                keep = sorted(keep, key=lambda r: -used[r[key]])[:hi]
                kept = {r[key] for r in keep}
                values[other] = [r for r in rendered if r.get(key) in kept]
                values[name] = [row for row in values[name] if row.get(sub) in kept]

    def select(self, path: str, spec: dict[str, Any], field: dict[str, Any]) -> str:
        haystack = _fold(f"{self.brief.business_name} {self.brief.description or ''}")
        for value, words in (spec.get("detect") or {}).items():
            if any(_fold(word) in haystack for word in words):
                return value
        default = spec.get("default")
        return default if default in field["choices"] else next(iter(field["choices"]))

    def fields(self, fields: list[dict[str, Any]], prefix: str, bank: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        # Selects first: repeater variants depend on them.
        ordered = sorted(fields, key=lambda f: f["type"] != "select")
        for field in ordered:
            name = field["name"]
            if name in BRIEF_OWNED or field["type"] == "image":
                continue
            path = prefix + name
            spec = bank.get(name) or {}
            ftype = field["type"]
            if ftype == "select":
                values[name] = self.selected[name] = self.select(path, spec, field)
            elif ftype == "group":
                sub = self.fields(field["sub_fields"], path + ".", spec)
                if sub:
                    values[name] = sub
            elif ftype == "repeater":
                values[name] = self.rows(path, spec, field)
            elif ftype == "wysiwyg":
                rng = self.rng(path)
                paragraphs = [self.render(rng.choice(options)) for options in spec.get("paragraphs") or []]
                values[name] = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p)
            elif ftype == "true_false":
                values[name] = bool(spec.get("default", False))
            elif ftype in {"text", "textarea"} and (spec.get("pick") or field.get("required")):
                values[name] = self.line(path, spec, int(field.get("maxlength") or 0) or None)
        return values


def write_offline(blueprint: Blueprint, brief: Brief) -> dict[str, Any]:
    """The offline writer's content for ``brief``: deterministic, varied, in the brief's language."""
    writer = _Writer(blueprint, brief)
    fields = [f for group in blueprint.field_groups for f in group["fields"]]
    values = writer.fields(fields, "", writer.bank)
    writer.link(values, writer.bank, {f["name"]: f for f in fields})
    return values

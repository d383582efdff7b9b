"""Industry blueprints: one JSON file per industry in ``acf_blueprints/``.

A blueprint holds kenzy's metadata (industry id, labels, the words a request may use, the
templates, options and pages it offers, its schema.org type) and its ACF field groups in
ACF's local-JSON shape. ``_base.json`` holds the field group and options every industry
shares; `get` merges it in. ``_schema.json`` is the JSON Schema of the format; `check`
adds what a schema cannot say (unique keys, unique names per level, min <= max).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kenzy._resources import data_dir
from kenzy.errors import InvalidInput, UsageError

__all__ = [
    "FIELD_TYPES",
    "Blueprint",
    "BlueprintError",
    "Option",
    "Page",
    "check",
    "check_file",
    "get",
    "industries",
    "all_blueprints",
    "iter_fields",
]

FIELD_TYPES = frozenset(
    {"text", "textarea", "wysiwyg", "number", "email", "url", "image", "select", "true_false", "link",
     "group", "repeater"}
)


class BlueprintError(UsageError):
    """A blueprint file is invalid; the message names the file and the field."""


class Option(BaseModel):
    """A feature a plan can turn on (WhatsApp, PIX, iFood, agendamento, ...)."""

    id: str
    label_pt: str
    label_en: str
    value: Literal["flag", "text", "url", "phone"]
    """What the option carries: just on/off, or a text, URL or phone number."""
    words: list[str] = Field(default_factory=list)


class Page(BaseModel):
    """A page the site gets besides the front page, showing one section."""

    slug: str
    title_pt: str
    title_en: str
    section: str


class Blueprint(BaseModel):
    """One industry, with the shared base merged in."""

    model_config = ConfigDict(frozen=True)

    industry: str
    label_pt: str
    label_en: str
    words: list[str]
    schema_type: str
    templates: list[str]
    options: list[Option]
    pages: list[Page]
    field_groups: list[dict[str, Any]]
    """ACF field groups (base first), exactly as ACF's local JSON holds them."""

    @property
    def default_template(self) -> str:
        return self.templates[0]

    def label(self, locale: str) -> str:
        return self.label_pt if locale == "pt_BR" else self.label_en

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


def iter_fields(fields: list[dict[str, Any]], path: str = "") -> Any:
    """Yield ``(path, field)`` for every field and sub-field, depth first."""
    for index, field in enumerate(fields):
        here = f"{path}fields[{index}]"
        yield here, field
        yield from iter_fields(field.get("sub_fields", []), here + ".sub_")


def _schema() -> dict[str, Any]:
    return json.loads((data_dir("acf_blueprints") / "_schema.json").read_text(encoding="utf-8"))


def _check_fields(where: str, fields: list[dict[str, Any]], keys: dict[str, str], errors: list[str]) -> None:
    names: set[str] = set()
    for index, field in enumerate(fields):
        label = f"{where}.fields[{index}]"
        name = field.get("name", "?")
        label += f" ({name})"
        ftype = field.get("type")
        if ftype not in FIELD_TYPES:
            errors.append(f"{label}: unknown field type {ftype!r}; use one of {', '.join(sorted(FIELD_TYPES))}")
        key = field.get("key", "")
        if key in keys:
            errors.append(f"{label}: duplicate key {key!r} (also at {keys[key]})")
        keys[key] = label
        if name in names:
            errors.append(f"{label}: duplicate field name {name!r} at this level")
        names.add(name)
        if not isinstance(name, str) or not name.replace("_", "a").isalnum() or not name[:1].isalpha() or name != name.lower():
            errors.append(f"{label}: invalid name {name!r}; use lowercase letters, digits and _ (starting with a letter)")
        if ftype == "repeater":
            lo, hi = int(field.get("min") or 0), int(field.get("max") or 0)
            if hi and lo > hi:
                errors.append(f"{label}: min {lo} is greater than max {hi}")
        if ftype == "select" and not field.get("choices"):
            errors.append(f"{label}: a select needs choices")
        if ftype in {"repeater", "group"}:
            if not field.get("sub_fields"):
                errors.append(f"{label}: a {ftype} needs sub_fields")
            else:
                _check_fields(label + ".sub", field["sub_fields"], keys, errors)


def check(doc: Any, name: str, *, base: bool = False, keys: dict[str, str] | None = None) -> list[str]:
    """Every problem of one blueprint document, each a message naming ``name`` and the field."""
    import jsonschema

    errors: list[str] = []
    if not isinstance(doc, dict):
        return [f"{name}: a blueprint is a JSON object"]
    if not base:
        validator = jsonschema.Draft202012Validator(_schema())
        for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
            path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err.absolute_path).lstrip(".")
            if err.validator == "required":
                missing = err.message.split("'")[1] if "'" in err.message else err.message
                errors.append(f"{name}: {path or 'top level'}: missing required {missing!r}")
            else:
                errors.append(f"{name}: {path or 'top level'}: {err.message}")
    seen = keys if keys is not None else {}
    for gi, group in enumerate(doc.get("field_groups") or []):
        if not isinstance(group, dict):
            continue
        gkey = group.get("key", "")
        if gkey in seen:
            errors.append(f"{name}: field_groups[{gi}]: duplicate group key {gkey!r}")
        seen[gkey] = f"{name}: field_groups[{gi}]"
        _check_fields(f"{name}: field_groups[{gi}]", group.get("fields") or [], seen, errors)
    ids = [o.get("id") for o in doc.get("options") or [] if isinstance(o, dict)]
    for dup in {i for i in ids if ids.count(i) > 1}:
        errors.append(f"{name}: options: duplicate option id {dup!r}")
    return list(dict.fromkeys(errors))


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise BlueprintError(f"{path.name}: not valid JSON: {exc.msg} at line {exc.lineno}") from None


def check_file(path: Path) -> list[str]:
    """Check one blueprint file together with the shipped base (keys must not collide)."""
    base_path = data_dir("acf_blueprints") / "_base.json"
    keys: dict[str, str] = {}
    errors = check(_read(base_path), "_base.json", base=True, keys=keys) if path.resolve() != base_path.resolve() else []
    try:
        doc = _read(path)
    except BlueprintError as exc:
        return [str(exc)]
    return errors + check(doc, path.name, base=path.name == "_base.json", keys=keys)


@cache
def _load() -> dict[str, Blueprint]:
    root = data_dir("acf_blueprints")
    base = _read(root / "_base.json")
    found: dict[str, Blueprint] = {}
    for path in sorted(root.glob("*.json")):
        if path.name.startswith("_"):
            continue
        errors = check_file(path)
        if errors:
            raise BlueprintError("; ".join(errors))
        doc = _read(path)
        doc["options"] = base["options"] + doc["options"]
        doc["field_groups"] = base["field_groups"] + doc["field_groups"]
        found[doc["industry"]] = Blueprint.model_validate(doc)
    return found


def industries() -> list[str]:
    """Every industry id kenzy has a blueprint for."""
    return sorted(_load())


def all_blueprints() -> list[Blueprint]:
    """Every blueprint, ordered by industry id."""
    return [bp for _, bp in sorted(_load().items())]


def get(industry: str) -> Blueprint:
    """The blueprint for ``industry`` (with the shared base group and options merged in).

    Raises:
        InvalidInput: no blueprint has that id (the message lists the known ones).
    """
    try:
        return _load()[industry]
    except KeyError:
        raise InvalidInput(
            "industry", f"{industry!r} is unknown; choose one of: {', '.join(industries())}"
        ) from None

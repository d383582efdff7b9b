"""ACF's storage format for values, in Python.

ACF keeps a value as post meta ``name`` plus ``_name`` = the field key; a group's sub-field
``s`` as ``name_s``; a repeater as ``name`` = row count and ``name_<i>_<sub>`` per row.
`flatten` turns nested content into those meta rows; `unflatten` reads them back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["flatten", "meta_prefixes", "unflatten"]


def _scalar(field: dict[str, Any], value: Any) -> Any:
    ftype = field["type"]
    if value is None:
        return ""
    if ftype == "true_false":
        return "1" if value else "0"
    if ftype == "number":
        number = float(value)
        return str(int(number)) if number.is_integer() else f"{number:.2f}"
    if ftype == "image":
        if isinstance(value, str) and value.startswith("@image:"):
            return value  # resolved to the attachment's ID by the PHP step
        return str(int(value)) if value else ""
    if ftype == "link":
        return {"title": value.get("title", ""), "url": value.get("url", ""), "target": value.get("target", "")} if value else ""
    return value


def flatten(fields: Iterable[dict[str, Any]], values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Meta rows for ``values`` (a dict keyed by field name) under ACF's naming rules."""
    meta: dict[str, Any] = {}
    for field in fields:
        name = field["name"]
        if name not in values:
            continue
        key = prefix + name
        value = values[name]
        meta["_" + key] = field["key"]
        if field["type"] == "repeater":
            rows = value or []
            meta[key] = str(len(rows))
            for index, row in enumerate(rows):
                meta.update(flatten(field["sub_fields"], row, f"{key}_{index}_"))
        elif field["type"] == "group":
            meta[key] = ""
            meta.update(flatten(field["sub_fields"], value or {}, f"{key}_"))
        else:
            meta[key] = _scalar(field, value)
    return meta


def _read_scalar(field: dict[str, Any], raw: Any) -> Any:
    ftype = field["type"]
    if raw is None or raw == "":
        return False if ftype == "true_false" else None
    if ftype == "true_false":
        return str(raw) == "1"
    if ftype == "number":
        number = float(raw)
        return int(number) if number.is_integer() else number
    if ftype == "image":
        return int(raw)
    return raw


def unflatten(fields: Iterable[dict[str, Any]], meta: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested values read back from meta rows (the inverse of `flatten`)."""
    values: dict[str, Any] = {}
    for field in fields:
        key = prefix + field["name"]
        if key not in meta and field["type"] != "group":
            continue
        if field["type"] == "repeater":
            count = int(meta.get(key) or 0)
            values[field["name"]] = [unflatten(field["sub_fields"], meta, f"{key}_{i}_") for i in range(count)]
        elif field["type"] == "group":
            values[field["name"]] = unflatten(field["sub_fields"], meta, f"{key}_")
        else:
            values[field["name"]] = _read_scalar(field, meta.get(key))
    return values


def meta_prefixes(fields: Iterable[dict[str, Any]]) -> list[str]:
    """Top-level field names: every meta row kenzy writes starts with one (or ``_`` + one)."""
    return [field["name"] for field in fields]

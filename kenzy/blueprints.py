"""Industry blueprints: one JSON file per industry in ``acf_blueprints/``.

This module reads their metadata (id, labels, the words a request may use); the ACF field
groups inside them are imported into sites by ``import_acf``.
"""

from __future__ import annotations

import json
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from kenzy._resources import data_dir
from kenzy.errors import InvalidInput

__all__ = ["Blueprint", "get", "industries"]


class Blueprint(BaseModel):
    """A blueprint's kenzy metadata (its ACF field groups stay raw JSON)."""

    model_config = ConfigDict(extra="allow")

    industry: str
    label_pt: str
    label_en: str
    words: list[str] = Field(default_factory=list)
    schema_type: str = "LocalBusiness"
    templates: list[str] = Field(default_factory=list)


@cache
def _load() -> dict[str, Blueprint]:
    found: dict[str, Blueprint] = {}
    for path in sorted(data_dir("acf_blueprints").glob("*.json")):
        blueprint = Blueprint.model_validate(json.loads(path.read_text(encoding="utf-8")))
        found[blueprint.industry] = blueprint
    return found


def industries() -> list[str]:
    """Every industry id kenzy has a blueprint for."""
    return sorted(_load())


def get(industry: str) -> Blueprint:
    """The blueprint for ``industry``.

    Raises:
        InvalidInput: no blueprint has that id (the message lists the known ones).
    """
    try:
        return _load()[industry]
    except KeyError:
        raise InvalidInput(
            "industry", f"{industry!r} is unknown; choose one of: {', '.join(industries())}"
        ) from None

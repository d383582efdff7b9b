"""Locating the data that ships with kenzy (``acf_blueprints/``, ``prompts/``).

In a wheel they are package data under ``kenzy/_data/``; in a source checkout (editable
install) they sit at the repository's top level, as the design's layout fixes.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["data_dir"]

_PACKAGE = Path(__file__).parent


def data_dir(name: str) -> Path:
    """The directory of shipped data called ``name``."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kenzy's {name}/ is missing from this installation")

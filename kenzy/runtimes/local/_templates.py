"""Rendering the local runtime's config templates (jinja2, imported on first use)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

__all__ = ["render", "write_file"]

_DIR = Path(__file__).parent / "templates"


@cache
def _env() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(_DIR),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )


def render(template: str, **values: Any) -> str:
    """Render ``templates/<template>.j2``; every variable must be given."""
    return _env().get_template(f"{template}.j2").render(**values)


def write_file(path: Path, text: str, *, mode: int = 0o644, owner: str | None = None) -> None:
    """Write atomically (temp file + rename) with ``mode``, owned by ``owner`` when root."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.chmod(tmp, mode)
    if owner is not None and os.geteuid() == 0:
        import shutil

        shutil.chown(tmp, owner, owner)
    os.replace(tmp, path)

"""Output for the CLI: Rich tables and progress for people, JSON for programs."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel
from rich.console import Console

__all__ = ["err", "out", "print_json", "progress"]

out = Console()
err = Console(stderr=True)


def print_json(data: BaseModel | list[BaseModel] | dict[str, Any]) -> None:
    """Print ``data`` as JSON on stdout (plain, so it pipes into jq)."""
    if isinstance(data, BaseModel):
        payload: Any = data.model_dump(mode="json")
    elif isinstance(data, list):
        payload = [item.model_dump(mode="json") for item in data]
    else:
        payload = data
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


@contextlib.contextmanager
def progress(title: str, *, quiet: bool = False) -> Iterator[Any]:
    """A spinner on stderr that shows the current step; yields the callback tools call."""
    if quiet or not err.is_terminal:
        def report(step: str, index: int, total: int) -> None:
            if not quiet:
                err.print(f"[{index}/{total}] {step}", highlight=False)

        yield report
        return
    with err.status(title) as status:
        def report(step: str, index: int, total: int) -> None:
            status.update(f"{title} [{index}/{total}] {step}")

        yield report

"""A site's ``wp-content`` as backups see it, wherever the site runs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

__all__ = ["walk"]


def walk(content: Path) -> Iterator[tuple[str, Path, int]]:
    """``(path relative to content, absolute path, mode)`` of every regular file, sorted;
    symlinks are skipped (a site cannot smuggle another site's file into its backup)."""
    for root, dirs, files in os.walk(content):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            if path.is_symlink():
                continue
            yield str(path.relative_to(content)), path, path.stat().st_mode & 0o777

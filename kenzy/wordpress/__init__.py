"""WordPress pieces kenzy ships into every site, whatever the runtime: the install script,
the kenzy theme, the mu-plugin and the Redis object-cache drop-in."""

from __future__ import annotations

import base64
import json
import re
import secrets
from pathlib import Path
from typing import Any

__all__ = ["DROPINS", "MU_PLUGINS", "PUBLISHED_QUERY", "RESULT_MARKER", "THEMES", "core_version", "parse_result", "php_script", "salts"]

PUBLISHED_QUERY = (
    "SELECT ID, post_type, post_title FROM wp_posts WHERE post_status IN ('publish', 'inherit') "
    "AND post_type IN ('post', 'page', 'attachment') ORDER BY ID"
)
"""The published posts, pages and attachments as ``(ID, type, title)``: what backups record
and restore drills compare."""

_HERE = Path(__file__).parent
THEMES = _HERE / "theme"
MU_PLUGINS = _HERE / "mu-plugins"
DROPINS = _HERE / "dropins"

_SALT_NAMES = (
    "AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
    "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT",
)
_SALT_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#%()*+,-./:;<=>?@[]^_{|}~"


def salts() -> list[tuple[str, str]]:
    """Fresh, unique salts for a wp-config (no quotes or backslashes, safe in PHP strings)."""
    return [(name, "".join(secrets.choice(_SALT_ALPHABET) for _ in range(64))) for name in _SALT_NAMES]


def core_version(wordpress_path: Path) -> str:
    """The version of the WordPress core at ``wordpress_path``."""
    text = (wordpress_path / "wp-includes" / "version.php").read_text()
    match = re.search(r"\$wp_version\s*=\s*'([^']+)'", text)
    return match.group(1) if match else "unknown"


RESULT_MARKER = "@@KENZY@@"
"""Scripts print this, then their JSON result, last on stdout (WordPress may print before it)."""


def php_script(name: str, request: dict[str, Any]) -> bytes:
    """PHP source for ``php`` on stdin running ``php/<name>.php`` with ``request`` embedded.

    The request travels inside the program text, so no secret is ever in argv or a file.
    Every script starts from ``_bootstrap.php``, which loads WordPress.
    """
    if name == "install":
        request = {**request, "installing": True}
    payload = base64.b64encode(json.dumps(request).encode()).decode()
    return b"".join([
        f"<?php $kenzy_request = json_decode(base64_decode('{payload}'), true); ?>".encode(),
        (_HERE / "php" / "_bootstrap.php").read_bytes() + b"\n?>",
        (_HERE / "php" / f"{name}.php").read_bytes(),
    ])


def parse_result(stdout: bytes) -> dict[str, Any]:
    """The JSON result a script printed after `RESULT_MARKER`."""
    text = stdout.decode(errors="replace")
    if RESULT_MARKER not in text:
        raise ValueError(f"the PHP step printed no result: {text[-500:]!r}")
    return json.loads(text.rsplit(RESULT_MARKER, 1)[1])

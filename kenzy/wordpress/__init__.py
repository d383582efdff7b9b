"""WordPress pieces kenzy ships into every site, whatever the runtime: the install script,
the kenzy theme, the mu-plugin and the Redis object-cache drop-in."""

from __future__ import annotations

import base64
import json
import re
import secrets
from pathlib import Path
from typing import Any

__all__ = ["DROPINS", "MU_PLUGINS", "THEMES", "core_version", "install_script", "salts"]

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


def install_script(request: dict[str, Any]) -> bytes:
    """PHP source for ``php`` on stdin: the request is embedded, so no secret is in argv or a file."""
    payload = base64.b64encode(json.dumps(request).encode()).decode()
    head = f"<?php $kenzy_request = json_decode(base64_decode('{payload}'), true); ?>"
    return head.encode() + (_HERE / "php" / "install.php").read_bytes()

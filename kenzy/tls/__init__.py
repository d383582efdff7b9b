"""TLS certificates through ACME (Let's Encrypt, or any ACME server such as Pebble)."""

from __future__ import annotations

__all__: list[str] = []

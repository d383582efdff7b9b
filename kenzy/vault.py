"""Secrets at rest: AES-256-GCM with a key from ``KENZY_SECRET_KEY`` or ``<home>/secret.key``."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from kenzy.errors import UsageError

__all__ = ["Vault", "generate_password"]

_KEY_BYTES = 32
_NONCE_BYTES = 12


def generate_password(length: int = 24) -> str:
    """A random password of URL-safe characters (no quotes, no shell metacharacters)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(length))


class Vault:
    """Encrypts and decrypts short secrets. The key never leaves this object."""

    def __init__(self, key: bytes) -> None:
        if len(key) != _KEY_BYTES:
            raise UsageError("the secret key must be 32 bytes (base64-encoded in KENZY_SECRET_KEY)")
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead = AESGCM(key)
        # A separate subkey for derivation: the encryption key is never used for anything else.
        self._derive_key = hmac.new(key, b"kenzy/derive/v1", hashlib.sha256).digest()

    def __repr__(self) -> str:
        return "Vault(<key hidden>)"

    @classmethod
    def from_settings(cls, secret_key: str | None, key_file: Path) -> Vault:
        """Use ``secret_key`` (base64) if given, else read or create ``key_file`` with mode 0600."""
        if secret_key:
            try:
                return cls(base64.b64decode(secret_key, validate=True))
            except ValueError as exc:
                raise UsageError("KENZY_SECRET_KEY is not valid base64 of 32 bytes") from exc
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(base64.b64encode(secrets.token_bytes(_KEY_BYTES)))
        return cls(base64.b64decode(key_file.read_bytes().strip()))

    def derive(self, context: str, size: int = 32) -> str:
        """A secret that is always the same for the same key and ``context``, and unrelated to
        any other: HKDF-Expand (SHA-256) of ``size`` bytes, URL-safe base64 without padding.

        Lets kenzy re-create a value it never stored (a site's salts on every apply) without
        rotating it; whoever lacks the key cannot compute it.
        """
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

        raw = HKDFExpand(hashes.SHA256(), size, context.encode()).derive(self._derive_key)
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def encrypt(self, plaintext: str, *, context: str = "") -> str:
        """Encrypt ``plaintext``; ``context`` (e.g. the subdomain) is bound as associated data."""
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), context.encode())
        return base64.b64encode(nonce + sealed).decode()

    def decrypt(self, token: str, *, context: str = "") -> str:
        """Decrypt a token made by `encrypt` with the same ``context``."""
        from cryptography.exceptions import InvalidTag

        raw = base64.b64decode(token)
        try:
            return self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.encode()).decode()
        except InvalidTag as exc:
            raise UsageError(
                "stored secrets cannot be decrypted with this key; use the key they were written with"
            ) from exc

"""Sealing backup objects: gzip, then AES-256-GCM under the site's data key.

A site's data key is random, kept in the store wrapped by kenzy's master key (the `Vault`).
Object names are HMACs of the content's SHA-256 under the data key, so equal content is
stored once per site and names reveal nothing about the content.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import hmac
import secrets

from kenzy.errors import BackupError
from kenzy.vault import Vault

__all__ = ["BackupIntegrityError", "SiteKey"]

_NONCE = 12


class BackupIntegrityError(BackupError):
    """A backup object is missing, altered, or cannot be opened with this key; nothing was changed."""


class SiteKey:
    """One site's data key."""

    def __init__(self, key: bytes) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._key = key
        self._aead = AESGCM(key)

    def __repr__(self) -> str:
        return "SiteKey(<hidden>)"

    @classmethod
    def new(cls) -> SiteKey:
        return cls(secrets.token_bytes(32))

    def wrap(self, vault: Vault, subdomain: str) -> bytes:
        return vault.encrypt(base64.b64encode(self._key).decode(), context=f"backup-key:{subdomain}").encode()

    @classmethod
    def unwrap(cls, vault: Vault, subdomain: str, wrapped: bytes) -> SiteKey:
        from kenzy.errors import UsageError

        try:
            return cls(base64.b64decode(vault.decrypt(wrapped.decode(), context=f"backup-key:{subdomain}")))
        except UsageError:
            raise BackupIntegrityError(
                f"the backup key of {subdomain!r} cannot be opened with this master key; "
                "use the KENZY_SECRET_KEY (or secret.key) the backups were made with"
            ) from None

    def object_name(self, sha256: str) -> str:
        return hmac.new(self._key, sha256.encode(), hashlib.sha256).hexdigest()

    def seal(self, name: str, plaintext: bytes) -> bytes:
        nonce = secrets.token_bytes(_NONCE)
        return nonce + self._aead.encrypt(nonce, gzip.compress(plaintext, compresslevel=6), name.encode())

    def unseal(self, name: str, sealed: bytes) -> bytes:
        """Decrypt and decompress (AES-GCM authenticates the bytes and the name).

        Raises:
            BackupIntegrityError: the object was altered or belongs to another key.
        """
        from cryptography.exceptions import InvalidTag

        try:
            return gzip.decompress(self._aead.decrypt(sealed[:_NONCE], sealed[_NONCE:], name.encode()))
        except (InvalidTag, OSError, EOFError, ValueError):
            raise BackupIntegrityError(f"backup object {name[:12]}… is damaged or was altered") from None

    def open(self, name: str, sealed: bytes, expected_sha256: str) -> bytes:
        """`unseal`, then check the content's recorded hash.

        Raises:
            BackupIntegrityError: the object was altered or belongs to another key.
        """
        plaintext = self.unseal(name, sealed)
        if hashlib.sha256(plaintext).hexdigest() != expected_sha256:
            raise BackupIntegrityError(f"backup object {name[:12]}… does not match its recorded SHA-256")
        return plaintext

"""Backups: encrypted, compressed, content-addressed objects and manifests in object stores.

`ObjectStore` is the port: `FilesystemStore` (the default, under ``KENZY_HOME/backups``)
and `S3Store` (S3-compatible storage through aioboto3) implement it; `open_store` builds one
from a setting. The engine (``_engine``) dumps one site's database and files, seals each
object (gzip, then AES-256-GCM under the site's data key, itself wrapped by kenzy's master
key), uploads only objects the store lacks, writes the manifest last, and copies the backup
to a secondary store when one is configured. ``catalog`` records every run (failed ones
too), ``retention`` decides what to keep and ``schedule`` what is due.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["ObjectStore"]


class ObjectStore(Protocol):
    """Where backup objects live. Writes are atomic: an object exists whole or not at all.

    Every method may raise `kenzy.errors.StoreUnavailable` when the store cannot be reached.
    """

    def describe(self) -> str:
        """Where the store is, for messages (never credentials)."""
        ...

    async def put(self, key: str, data: bytes) -> None: ...

    async def get(self, key: str) -> bytes:
        """The object's bytes.

        Raises:
            KeyError: no such object.
        """
        ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None: ...

    async def keys(self, prefix: str) -> list[str]:
        """Every key starting with ``prefix``, sorted."""
        ...

    async def aclose(self) -> None:
        """Release connections; the store can be used again afterwards."""
        ...

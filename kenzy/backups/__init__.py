"""Backups: encrypted, compressed, content-addressed objects and manifests in an object store.

`ObjectStore` is the port; `FilesystemStore` the default implementation under
``KENZY_HOME/backups``. The engine (``_engine``) dumps one site's database and files,
seals each object (gzip, then AES-256-GCM under the site's data key, itself wrapped by
kenzy's master key), uploads only objects the store lacks, and writes the manifest last.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["ObjectStore"]


class ObjectStore(Protocol):
    """Where backup objects live. Writes are atomic: an object exists whole or not at all."""

    async def put(self, key: str, data: bytes) -> None: ...

    async def get(self, key: str) -> bytes:
        """The object's bytes.

        Raises:
            KeyError: no such object.
        """
        ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None: ...

    async def keys(self, prefix: str) -> list[str]: ...

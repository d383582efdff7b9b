"""`open_store`: an `ObjectStore` from a setting such as ``local`` or ``s3://bucket/prefix``."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kenzy.backups import ObjectStore
from kenzy.errors import InvalidInput
from kenzy.settings import Settings

__all__ = ["open_store"]

_OFF = {"", "none", "off"}


def open_store(spec: str | None, settings: Settings, *, setting: str = "KENZY_BACKUP_STORE") -> ObjectStore | None:
    """The store ``spec`` names, or None when backups are turned off (``none``).

    Forms: ``local`` (``KENZY_HOME/backups``), ``file:///abs/path``, and
    ``s3://bucket[/prefix][?endpoint=URL&region=R&addressing=path|virtual]`` (endpoint and
    region default to ``KENZY_S3_ENDPOINT`` / ``KENZY_S3_REGION``).

    Raises:
        InvalidInput: the value is none of these; the message names ``setting``.
    """
    value = (spec or "").strip()
    if value.lower() in _OFF:
        return None
    if value == "local":
        from kenzy.backups.filesystem import FilesystemStore

        return FilesystemStore(settings.home / "backups")
    parts = urlsplit(value)
    if parts.scheme == "file" and parts.path.startswith("/") and not parts.netloc:
        from kenzy.backups.filesystem import FilesystemStore

        return FilesystemStore(Path(parts.path))
    if parts.scheme == "s3" and parts.netloc and not parts.username:
        from kenzy.backups.s3 import S3Store

        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        unknown = set(query) - {"endpoint", "region", "addressing"}
        addressing = query.get("addressing", "path")
        if unknown or addressing not in {"path", "virtual"}:
            raise InvalidInput(setting, f"unknown S3 option(s) in {value!r}: use endpoint=, region= and addressing=path|virtual")
        secret = settings.s3_secret_access_key
        return S3Store(
            parts.netloc, parts.path.strip("/"),
            endpoint=query.get("endpoint") or settings.s3_endpoint,
            region=query.get("region") or settings.s3_region,
            addressing=addressing,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=secret.get_secret_value() if secret else None,
            concurrency=settings.backup_concurrency,
        )
    raise InvalidInput(setting, f"{value!r} is not a backup store: use local, file:///path, s3://bucket/prefix or none "
                                "(credentials go in KENZY_S3_ACCESS_KEY_ID / KENZY_S3_SECRET_ACCESS_KEY, never in the URL)")

"""What backups record: manifests (in the store, sealed) and catalog entries (in kenzy's state)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from kenzy.models import SitePlan

__all__ = ["BackupInfo", "DrillReport", "FileRef", "Manifest", "ObjectRef", "PruneReport", "RestoreInfo"]

Kind = Literal["full", "database"]


class ObjectRef(BaseModel):
    """One sealed object: its name in the store and the SHA-256 of its content."""

    name: str
    sha256: str
    size: int


class FileRef(ObjectRef):
    path: str
    """Relative to ``wp-content``."""
    mode: int


class Manifest(BaseModel):
    """Everything one backup holds, with every object's SHA-256. Written last."""

    id: str
    subdomain: str
    kind: Kind
    created_at: datetime
    plan: SitePlan
    """The site's plan: enough to rebuild it elsewhere (a clone, or after the site is gone)."""
    home: str
    """The site's address when it was backed up (a clone rewrites it to its own)."""
    database: ObjectRef
    files: list[FileRef] = []
    published: list[tuple[int, str, str]] = []
    """``(ID, type, title)`` of the published posts, pages and attachments: what a drill checks."""

    def object_names(self) -> set[str]:
        return {self.database.name, *(f.name for f in self.files)}


class BackupInfo(BaseModel):
    """One backup run, as the catalog records it."""

    backup_id: str
    subdomain: str
    kind: Kind
    status: Literal["running", "complete", "failed"] = "complete"
    created_at: datetime
    objects: int = 0
    bytes_total: int = 0
    """Size of the content the backup describes (before compression)."""
    bytes_uploaded: int = 0
    """Sealed bytes this backup wrote (objects already stored are not sent again)."""
    seconds: float = 0.0
    error: str | None = None
    """Why a failed backup failed."""
    replicated: bool | None = None
    """Copied to the secondary store; None when no secondary store is configured."""
    verified_at: datetime | None = None
    """When a restore drill last proved this backup."""
    rto_seconds: float | None = None
    """The drill's measured time from nothing to the restored site serving."""
    warnings: list[str] = Field(default_factory=list)


class RestoreInfo(BaseModel):
    """A finished restore."""

    backup_id: str
    subdomain: str
    """The site that was restored into (the clone's subdomain for ``--into``)."""
    source: str
    """The site the backup was made of."""
    kind: Kind
    url: str
    store: str
    """The store the objects came from (the secondary one when the primary was unavailable)."""
    objects: int
    seconds: float


class DrillReport(BaseModel):
    """A restore drill: the latest backup restored into a scratch site and checked."""

    backup_id: str
    subdomain: str
    scratch: str
    ok: bool
    rto_seconds: float
    http_status: int | None
    posts_checked: int
    files_checked: int
    problems: list[str] = []


class PruneReport(BaseModel):
    """What pruning removed from one site's backups."""

    subdomain: str
    kept: list[str]
    removed: list[str]
    objects_deleted: int
    """Objects (in every store) no remaining backup referenced."""

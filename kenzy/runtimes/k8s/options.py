"""What a site on Kubernetes is built from: `K8sOptions` (images, sizes, tiers, ingress) and
`K8sSecrets` (the passwords and salts its Secrets hold)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from kenzy import __version__
from kenzy.errors import InvalidInput

if TYPE_CHECKING:
    from kenzy.models import SiteCredentials
    from kenzy.settings import Settings

__all__ = ["SALT_NAMES", "TIERS", "K8sOptions", "K8sSecrets", "Resources", "Tier"]


class Resources(BaseModel):
    """CPU and memory as Kubernetes quantities (``"500m"``, ``"1"``; ``"512Mi"``, ``"1Gi"``)."""

    model_config = ConfigDict(frozen=True)

    cpu: str
    memory: str


class Tier(BaseModel):
    """A size of site: what its containers may use and how far it scales."""

    model_config = ConfigDict(frozen=True)

    limits: Resources
    """Limits of the PHP-FPM container and of MariaDB (the LimitRange default too)."""
    requests: Resources
    """Requests of the same containers (the LimitRange default request)."""
    max_replicas: int = Field(ge=1)
    """Upper bound of the HorizontalPodAutoscaler."""
    database_storage: str
    """Size of the MariaDB PVC."""
    content_storage: str
    """Size of the ``wp-content`` PVC (uploads, theme, plugins)."""
    redis_maxmemory_mb: int = Field(ge=16)
    """Redis memory cap (LRU eviction, no persistence)."""


TIERS: dict[str, Tier] = {
    "small": Tier(limits=Resources(cpu="500m", memory="512Mi"), requests=Resources(cpu="250m", memory="256Mi"),
                  max_replicas=3, database_storage="2Gi", content_storage="5Gi", redis_maxmemory_mb=64),
    "standard": Tier(limits=Resources(cpu="1", memory="1Gi"), requests=Resources(cpu="500m", memory="512Mi"),
                     max_replicas=10, database_storage="5Gi", content_storage="10Gi", redis_maxmemory_mb=128),
    "large": Tier(limits=Resources(cpu="2", memory="2Gi"), requests=Resources(cpu="1", memory="1Gi"),
                  max_replicas=20, database_storage="20Gi", content_storage="50Gi", redis_maxmemory_mb=512),
}
"""The tiers ``--tier`` accepts. ``standard`` is DESIGN.md's default: 1 CPU / 1 GiB limits,
0.5 CPU / 512 MiB requests, 1-10 replicas."""

PodSecurityLevel = Literal["baseline", "restricted"]


class K8sOptions(BaseModel):
    """How kenzy renders a site for Kubernetes. Build it with `from_settings`."""

    model_config = ConfigDict(frozen=True)

    base_domain: str = "localhost"
    """Sites answer at ``<subdomain>.<base_domain>`` (the Ingress host)."""
    tier: str = "standard"
    """One of `TIERS`: sizes, limits and the replica ceiling."""
    limits: Resources | None = None
    """Overrides the tier's limits."""
    requests: Resources | None = None
    """Overrides the tier's requests."""
    wordpress_image: str = "wordpress:6-php8.2-fpm"
    """The official WordPress PHP-FPM image (its entrypoint copies core and writes wp-config
    from ``WORDPRESS_*`` variables); any image built from it works."""
    nginx_image: str = "nginxinc/nginx-unprivileged:1.27-alpine"
    """nginx that runs as uid 101 on port 8080, so the pod needs no root."""
    mariadb_image: str = "mariadb:10.11"
    redis_image: str = "redis:7-alpine"
    kenzy_image: str = f"kenzy:{__version__}"
    """Image with kenzy installed, for the backup CronJob (docs/kubernetes.md shows how to build it)."""
    image_pull_policy: Literal["Always", "IfNotPresent", "Never"] = "IfNotPresent"
    namespace_prefix: str = Field(default="kz-", pattern=r"^[a-z0-9]([a-z0-9-]{0,20})$")
    """Each site's namespace is ``<prefix><subdomain>`` (cut and hashed past 63 characters)."""
    ingress_class: str = "nginx"
    """``spec.ingressClassName`` of the Ingress."""
    ingress_namespace: str = "ingress-nginx"
    """Namespace of the ingress controller: the only one whose pods may reach the web pods."""
    cluster_issuer: str = "letsencrypt"
    """cert-manager ClusterIssuer that issues the site's certificate."""
    tls: bool = True
    """Ask cert-manager for a certificate and serve HTTPS (WordPress gets FORCE_SSL_ADMIN)."""
    storage_class: str | None = None
    """StorageClass of both PVCs; None uses the cluster's default."""
    content_access_mode: Literal["ReadWriteMany", "ReadWriteOnce"] = "ReadWriteMany"
    """``wp-content`` is shared by every web replica, so it needs RWX storage to scale out;
    with ReadWriteOnce the autoscaler is capped at one replica."""
    min_replicas: int = Field(default=1, ge=1)
    max_replicas: int | None = Field(default=None, ge=1)
    """Overrides the tier's replica ceiling."""
    cpu_utilization: int = Field(default=70, ge=1, le=100)
    """HPA target: average CPU use, in percent of requests."""
    memory_utilization: int = Field(default=80, ge=1, le=100)
    """HPA target: average memory use, in percent of requests."""
    pod_security: PodSecurityLevel = "baseline"
    """Pod Security Standard the namespace enforces (``restricted`` is also warned and audited;
    kenzy's own pods meet it)."""
    real_ip_from: tuple[str, ...] = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
    """Addresses (the ingress controller's pods) whose ``X-Forwarded-For`` nginx trusts for the
    client address the login limit counts. Only the ingress namespace can reach the pods."""
    backup_schedule: str | None = None
    """Cron schedule of the backup CronJob; None: hourly at minute MM, MM spread by subdomain."""
    backup_command: tuple[str, ...] = ("kenzy", "backup", "run-due", "--site", "{subdomain}")
    """What the backup CronJob runs (``{subdomain}`` is replaced)."""
    backup_secret: str = "kenzy-backup"
    """Secret (created by the operator in each site namespace) with the backup store settings,
    e.g. ``KENZY_BACKUP_STORE``, ``KENZY_SECRET_KEY`` and the S3 keys."""
    backup_egress: tuple[str, ...] = ("0.0.0.0/0",)
    """Where the backup pod may connect on 443 (the object store); private ranges are excluded."""
    php_memory_limit_mb: int = Field(default=128, ge=32, le=4096)
    php_max_children: int = Field(default=5, ge=1, le=200)
    locale: str = "pt_BR"

    @model_validator(mode="after")
    def _check_tier(self) -> K8sOptions:
        if self.tier not in TIERS:
            raise InvalidInput("tier", f"{self.tier!r} is not a tier; use one of {', '.join(TIERS)}")
        if self.min_replicas > self.replica_ceiling:
            raise InvalidInput("min_replicas", f"{self.min_replicas} is above the ceiling of {self.replica_ceiling}")
        return self

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: object) -> K8sOptions:
        """Options from kenzy's settings (base domain, locale, PHP limits and the ``k8s_*``
        fields), then ``overrides``.

        Raises:
            InvalidInput: an unknown tier or an impossible replica range.
        """
        values: dict[str, object] = {
            "base_domain": settings.base_domain,
            "locale": settings.locale,
            "php_memory_limit_mb": settings.php_memory_limit_mb,
            "php_max_children": settings.php_max_children,
        }
        for name in cls.model_fields:
            value = getattr(settings, f"k8s_{name}", None)
            if value is not None:
                values[name] = tuple(value) if isinstance(value, list) else value
        return cls(**{**values, **overrides})

    @property
    def tier_spec(self) -> Tier:
        return TIERS[self.tier]

    @property
    def container_limits(self) -> Resources:
        return self.limits or self.tier_spec.limits

    @property
    def container_requests(self) -> Resources:
        return self.requests or self.tier_spec.requests

    @property
    def replica_ceiling(self) -> int:
        """The HPA's maxReplicas: 1 when ``wp-content`` cannot be shared between nodes."""
        if self.content_access_mode == "ReadWriteOnce":
            return 1
        return self.max_replicas or self.tier_spec.max_replicas


SALT_NAMES = (
    "AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
    "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT",
)


def _token(size: int = 32) -> SecretStr:
    return SecretStr(secrets.token_urlsafe(size))


class K8sSecrets(BaseModel):
    """The secret values of one site. Keep them (they must not change between applies)."""

    model_config = ConfigDict(frozen=True)

    admin_password: SecretStr = Field(default_factory=lambda: _token(15))
    db_password: SecretStr = Field(default_factory=_token)
    db_root_password: SecretStr = Field(default_factory=_token)
    redis_password: SecretStr = Field(default_factory=_token)
    salts: dict[str, SecretStr] = Field(default_factory=lambda: {name: _token(48) for name in SALT_NAMES})
    """WordPress's eight keys and salts, by constant name."""

    @classmethod
    def from_credentials(cls, credentials: SiteCredentials, derive: Callable[[str, int], str] | None = None,
                         ) -> K8sSecrets:
        """Reuse a site's stored passwords. The root password and the salts come from
        ``derive(name, size)`` (e.g. a `Vault.derive` bound to the site), so every render of the
        same site has the same values; without ``derive`` they are generated anew."""
        if derive is None:
            extra: dict[str, object] = {}
        else:
            extra = {"db_root_password": SecretStr(derive("db-root-password", 32)),
                     "salts": {name: SecretStr(derive(f"salt/{name}", 48)) for name in SALT_NAMES}}
        return cls(
            admin_password=credentials.admin_password,
            db_password=credentials.db_password,
            redis_password=credentials.redis_password,
            **extra,  # type: ignore[arg-type]
        )

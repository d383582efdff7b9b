"""Settings: ``KENZY_*`` environment variables, then an optional ``kenzy.toml``, then defaults.

Every default works on a fresh machine. Load settings at the edge (CLI, MCP server, your
service) and pass them down explicitly.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

__all__ = ["CONFIG_FILE_ENV", "Settings", "default_home"]

CONFIG_FILE_ENV = "KENZY_CONFIG"
"""Environment variable naming the TOML file to read (default ``./kenzy.toml``)."""


def default_home() -> Path:
    """``/var/lib/kenzy`` as root (site users must traverse it), else ``~/.local/share/kenzy``."""
    if os.geteuid() == 0:
        return Path("/var/lib/kenzy")
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "kenzy"


class Settings(BaseSettings):
    """kenzy's configuration. See the README's configuration table."""

    model_config = SettingsConfigDict(env_prefix="KENZY_", env_nested_delimiter="__", extra="ignore")

    home: Path = Field(default_factory=default_home)
    """Where the private stack, the sites and the state database live."""

    http_port: int = Field(default=8080, ge=1, le=65535)
    """Port nginx serves every site on (``http://<subdomain>.localhost:<port>``); 8080 needs no root."""

    bind_address: str = "127.0.0.1"
    """Address nginx listens on. Loopback by default: nothing is exposed until you choose to."""

    base_domain: str = "localhost"
    """Sites answer at ``<subdomain>.<base_domain>``; ``*.localhost`` resolves to loopback in browsers."""

    wordpress_path: Path = Path("/usr/share/wordpress")
    """WordPress core to copy from (Debian's ``wordpress`` package by default)."""

    locale: str = "pt_BR"
    """Default WordPress locale when the plan does not name a language."""

    secret_key: SecretStr | None = None
    """Base64 key (32 bytes) encrypting stored secrets; default: ``<home>/secret.key`` (0600)."""

    php_memory_limit_mb: int = Field(default=128, ge=32, le=4096)
    """PHP ``memory_limit`` per site request, in MiB."""

    php_max_children: int = Field(default=5, ge=1, le=200)
    """Upper bound of PHP workers per site (``pm.max_children``); ``pm = ondemand`` idles at 0."""

    redis_maxmemory_mb: int = Field(default=256, ge=16)
    """Redis memory cap for all sites together (LRU eviction), in MiB."""

    model: str | None = None
    """LLM for the content writer (and the supervisor), e.g. ``openai:gpt-4o-mini``,
    ``anthropic:claude-sonnet-4-5`` or ``ollama:llama3.1``; unset: kenzy's offline models."""

    model_base_url: str | None = None
    """Base URL of an OpenAI-compatible endpoint (vLLM, LM Studio, a gateway); used with ``model``."""

    model_api_key: SecretStr | None = None
    """API key for ``model_base_url`` (providers' own keys come from their usual variables)."""

    image_model: str | None = None
    """Image generator for the hero image, as ``openai:<model>`` (OpenAI's images API, or any
    server speaking it at ``image_base_url``); unset: kenzy draws the hero locally."""

    image_base_url: str = "https://api.openai.com/v1"
    """Base URL of the images API."""

    image_api_key: SecretStr | None = None
    """Key for the images API (default: ``OPENAI_API_KEY``)."""

    https_port: int = Field(default=8443, ge=1, le=65535)
    """Port nginx serves HTTPS on once a site has a certificate (8443 needs no root)."""

    acme_server: str | None = None
    """ACME directory for certificates: ``production`` or ``staging`` (Let's Encrypt) or a
    directory URL (e.g. Pebble's); unset: no certificates."""

    acme_challenge: Literal["dns-01", "http-01"] = "dns-01"
    """How names are proven: DNS-01 at the DNS provider, or HTTP-01 through the site's vhost
    (the ACME server must reach the site on port 80 of its name)."""

    acme_email: str | None = None
    """Contact e-mail for the ACME account."""

    acme_ca_bundle: Path | None = None
    """CA bundle to trust for the ACME server's own HTTPS (test servers such as Pebble)."""

    trust_cloudflare: bool = False
    """Trust Cloudflare's ``CF-Connecting-IP`` from Cloudflare's address ranges (behind its CDN).
    Off by default: otherwise anyone could forge the client address the login limit counts."""

    trusted_proxies: list[str] = Field(default_factory=list)
    """Other proxies (CIDRs) whose ``X-Forwarded-For`` is trusted for the client address."""

    dns_provider: str | None = None
    """DNS provider for ``set_dns``: ``powerdns`` or ``cloudflare``; unset: DNS is skipped."""

    dns_api_url: str | None = None
    """The provider's API: PowerDNS's webserver (``http://127.0.0.1:8081``); Cloudflare's default."""

    dns_api_key: SecretStr | None = None
    """PowerDNS API key or Cloudflare API token; never logged."""

    dns_target: str = "127.0.0.1"
    """Where site names point: an IPv4/IPv6 address (A/AAAA) or a host name (CNAME)."""

    dns_proxied: bool = True
    """Cloudflare: serve sites through its CDN (the ``proxied`` flag)."""

    kube_context: str | None = None
    """Kubernetes context for ``provision_k8s``. With this or any other ``kube_*`` connection setting
    new sites go to the cluster; with none they run on this machine."""

    kube_config: Path | None = None
    """Kubeconfig file(s) to read (``:``-separated like ``KUBECONFIG``); unset: ``$KUBECONFIG``
    or ``~/.kube/config``. Its ``current-context`` is used unless ``kube_context`` is set."""

    kube_in_cluster: bool = False
    """Use the pod's service account (kenzy itself runs inside the cluster)."""

    kube_host: str | None = None
    """API server URL (``https://host:6443``) for an explicit connection; takes precedence over
    the kubeconfig and in-cluster settings, and needs ``kube_token``."""

    kube_token: SecretStr | None = None
    """Bearer token for ``kube_host``; never logged."""

    kube_ca_file: Path | None = None
    """CA bundle that signed ``kube_host``'s certificate (default: the system's CAs)."""

    kube_insecure: bool = False
    """Skip TLS verification of ``kube_host`` (throw-away test clusters only)."""

    kube_rollout_timeout: float = Field(default=300, gt=0)
    """Seconds to wait for a site's workloads to become ready, or its namespace to be deleted;
    five minutes covers image pulls and volume provisioning on a fresh node."""

    k8s_tier: str | None = None
    """Size of sites on Kubernetes: ``small``, ``standard`` (default) or ``large``."""

    k8s_ingress_class: str | None = None
    """``ingressClassName`` of each site's Ingress; unset: ``nginx``."""

    k8s_cluster_issuer: str | None = None
    """cert-manager ClusterIssuer for the sites' certificates; unset: ``letsencrypt``."""

    k8s_storage_class: str | None = None
    """StorageClass of the sites' volumes; unset: the cluster's default."""

    k8s_wordpress_image: str | None = None
    """WordPress PHP-FPM image; unset: the official ``wordpress:6-php8.2-fpm``."""

    k8s_kenzy_image: str | None = None
    """Image with kenzy installed, run by the backup CronJob; unset: ``kenzy:<version>``."""

    backup_store: str = "local"
    """Where backups go: ``local`` (``KENZY_HOME/backups``), ``file:///path``,
    ``s3://bucket[/prefix][?endpoint=URL&region=R&addressing=path|virtual]`` or ``none``."""

    backup_secondary: str | None = None
    """A second store (same forms) every backup is copied to; restore falls back to it when
    the primary store is unavailable."""

    s3_endpoint: str | None = None
    """Endpoint of ``s3://`` stores that do not name one (unset: AWS)."""

    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None
    """S3 credentials; unset: the usual AWS sources (``AWS_ACCESS_KEY_ID``, profiles, roles)."""

    s3_secret_access_key: SecretStr | None = None

    backup_concurrency: int = Field(default=8, ge=1, le=64)
    """Objects (and multipart parts) sent or fetched at once."""

    backup_database_minutes: int = Field(default=60, ge=5)
    """`kenzy backup run-due`: a database backup when the last is this old (the RPO)."""

    backup_full_hours: int = Field(default=24, ge=1)
    """`kenzy backup run-due`: a full backup when the last full one is this old."""

    backup_keep_hourly: int = Field(default=48, ge=0)
    backup_keep_daily: int = Field(default=30, ge=0)
    backup_keep_weekly: int = Field(default=8, ge=0)
    backup_keep_monthly: int = Field(default=12, ge=0)
    """Retention defaults (per site with `kenzy backup policy`); see ``kenzy.backups.policy``."""

    mcp_token: SecretStr | None = None
    """Bearer token the MCP HTTP server requires (``kenzy mcp --http``); never logged."""

    stack_user: str = "kenzy"
    """Unix user running MariaDB, Redis and nginx when kenzy runs as root."""

    @field_validator("home", "wordpress_path", mode="after")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().absolute()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = Path(os.environ.get(CONFIG_FILE_ENV, "kenzy.toml"))
        sources: list[Any] = [init_settings, env_settings]
        if toml_file.is_file():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)

    @property
    def state_path(self) -> Path:
        """The SQLite state database (sites, journal, audit)."""
        return self.home / "kenzy.db"

    @property
    def secret_key_path(self) -> Path:
        """The key file used when ``secret_key`` is not set (created with mode 0600)."""
        return self.home / "secret.key"

    @property
    def is_root(self) -> bool:
        """True when kenzy runs as root and can give each site its own unix user."""
        return os.geteuid() == 0

    @property
    def kube_configured(self) -> bool:
        """True when a Kubernetes connection is configured (sites then go to the cluster)."""
        return bool(self.kube_context or self.kube_config or self.kube_host or self.kube_in_cluster)

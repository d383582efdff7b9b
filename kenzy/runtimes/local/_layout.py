"""Where everything of the local runtime lives under ``KENZY_HOME``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Layout", "SitePaths"]


@dataclass(frozen=True)
class SitePaths:
    """The files of one site. ``root`` is the only tree its PHP may touch (open_basedir)."""

    root: Path

    @property
    def docroot(self) -> Path:
        return self.root / "public"

    @property
    def wp_content(self) -> Path:
        return self.docroot / "wp-content"

    @property
    def wp_config(self) -> Path:
        """Above the docroot: never served, readable by the site user only."""
        return self.root / "wp-config.php"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    @property
    def sessions(self) -> Path:
        return self.root / "sessions"

    @property
    def logs(self) -> Path:
        return self.root / "logs"


@dataclass(frozen=True)
class Layout:
    """Paths of the private stack (config, data, sockets, logs, PID files) and of the sites."""

    home: Path

    @property
    def stack(self) -> Path:
        return self.home / "stack"

    @property
    def run(self) -> Path:
        """Sockets and PID files (mode 0755 so site users can reach the database socket)."""
        return self.home / "run"

    @property
    def logs(self) -> Path:
        return self.home / "logs"

    @property
    def sites(self) -> Path:
        return self.home / "sites"

    @property
    def core(self) -> Path:
        """The dereferenced master copy of WordPress core that sites hard-link from."""
        return self.home / "core"

    @property
    def locks(self) -> Path:
        return self.home / "locks"

    @property
    def stack_secrets(self) -> Path:
        return self.stack / "admin.secret"

    # services -----------------------------------------------------------------------------

    @property
    def mariadb_dir(self) -> Path:
        return self.stack / "mariadb"

    @property
    def mariadb_data(self) -> Path:
        return self.mariadb_dir / "data"

    @property
    def mariadb_socket(self) -> Path:
        return self.run / "mariadb.sock"

    @property
    def redis_dir(self) -> Path:
        return self.stack / "redis"

    @property
    def redis_socket(self) -> Path:
        return self.run / "redis.sock"

    @property
    def php_dir(self) -> Path:
        return self.stack / "php-fpm"

    @property
    def php_pools(self) -> Path:
        return self.php_dir / "pool.d"

    @property
    def nginx_dir(self) -> Path:
        return self.stack / "nginx"

    @property
    def nginx_sites(self) -> Path:
        return self.nginx_dir / "sites"

    @property
    def nginx_cache(self) -> Path:
        return self.nginx_dir / "cache"

    def pid_file(self, service: str) -> Path:
        return self.run / f"{service}.pid"

    def php_socket(self, ident: str) -> Path:
        return self.run / f"php-{ident}.sock"

    def pool_conf(self, ident: str) -> Path:
        return self.php_pools / f"{ident}.conf"

    def vhost_conf(self, subdomain: str) -> Path:
        return self.nginx_sites / f"{subdomain}.conf"

    def cache_dir(self, subdomain: str) -> Path:
        return self.nginx_cache / subdomain

    @property
    def tls(self) -> Path:
        """Certificates and keys (keys 0600) per site, and ACME account keys."""
        return self.home / "tls"

    def acme_webroot(self, subdomain: str) -> Path:
        """Where HTTP-01 challenge files for the site are served from (outside its tree)."""
        return self.home / "acme-webroot" / subdomain

    def site(self, subdomain: str) -> SitePaths:
        return SitePaths(self.sites / subdomain)

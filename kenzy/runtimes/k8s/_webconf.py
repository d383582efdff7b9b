"""Config text for the web pod: nginx and the PHP-FPM pool, rendered from the local runtime's
own templates so both runtimes carry the same security rules."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from kenzy.runtimes.k8s._site import DOCROOT, WEB_PORT, SiteSpec

if TYPE_CHECKING:
    import jinja2

__all__ = ["NGINX_DIR", "PHP_SCRATCH", "PHP_SOCKET", "nginx_files", "php_pool"]

_HERE = Path(__file__).parent
NGINX_DIR = "/etc/nginx/kenzy"
"""Where the pod's nginx finds ``security_headers.conf`` and ``fastcgi_params``."""
NGINX_CACHE = "/var/cache/nginx"
PHP_SOCKET_DIR = "/run/kenzy"
PHP_SOCKET = f"{PHP_SOCKET_DIR}/php-fpm.sock"
PHP_ROOT = "/var/www"
"""The pool's ``open_basedir``: the docroot plus its tmp, sessions and logs beside it."""
PHP_SCRATCH = ("tmp", "sessions", "logs")


@cache
def _env() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([_HERE / "templates", _HERE.parent / "local" / "templates"]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )


def _render(template: str, **values: object) -> str:
    return _env().get_template(template).render(**values)


def nginx_files(spec: SiteSpec) -> dict[str, str]:
    """``default.conf`` (the server block, for ``conf.d/``) and the two files it includes."""
    server = _render(
        "pod-nginx.conf.j2",
        subdomain=spec.subdomain,
        business=re.sub(r"[\r\n]", " ", spec.plan.business_name),
        real_ip_from=spec.options.real_ip_from,
        cache_dir=f"{NGINX_CACHE}/kenzy",
        zone=f"cache_{spec.identifier}",
        bind="0.0.0.0",
        port=WEB_PORT,
        host=spec.host,
        docroot=DOCROOT,
        nginx_dir=NGINX_DIR,
        php_socket=PHP_SOCKET,
        tls=False,  # the Ingress terminates TLS (and sends HSTS)
        acme_webroot="/var/www/acme",  # cert-manager answers HTTP-01 through the Ingress, not here
    )
    return {
        "default.conf": server,
        "security_headers.conf": _render("security_headers.j2"),
        "fastcgi_params": _render("fastcgi_params.j2"),
    }


def php_pool(spec: SiteSpec) -> str:
    """``zz-kenzy.conf``: overrides the image's ``[www]`` pool with the local runtime's rules."""
    from kenzy.runtimes.local.runtime import DISABLED_FUNCTIONS

    pool = _render(
        "pool.conf.j2",
        name="www",
        subdomain=spec.subdomain,
        as_root=False,
        user="www-data",
        group="www-data",
        web_group="www-data",
        socket=PHP_SOCKET,
        max_children=spec.options.php_max_children,
        root=PHP_ROOT,
        disable_functions=DISABLED_FUNCTIONS,
        memory_limit_mb=spec.options.php_memory_limit_mb,
    )
    return pool + (
        "; Kubernetes: the official image's wp-config reads WORDPRESS_* from the environment,\n"
        "; and nginx (another uid, in the same pod group) connects to the socket.\n"
        "clear_env = no\n"
    )

"""Pieces every pod template shares: security contexts, resources, the WordPress environment."""

from __future__ import annotations

from typing import Any

from kenzy.runtimes.k8s._site import DOCROOT, SiteSpec
from kenzy.runtimes.k8s.options import SALT_NAMES, Resources

__all__ = [
    "WP_UID",
    "container",
    "pod_security",
    "resources",
    "secret_env",
    "wordpress_env",
    "wordpress_volumes",
]

WP_UID = 33
"""``www-data`` in the official WordPress image: PHP-FPM and the PHP CLI run as it."""


def pod_security(uid: int, *, fs_group: int | None = None, supplemental: tuple[int, ...] = ()) -> dict[str, Any]:
    """Pod ``securityContext``: a fixed non-root uid, seccomp ``RuntimeDefault``."""
    context: dict[str, Any] = {
        "runAsNonRoot": True,
        "runAsUser": uid,
        "runAsGroup": uid,
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    if fs_group is not None:
        context["fsGroup"] = fs_group
        context["fsGroupChangePolicy"] = "OnRootMismatch"
    if supplemental:
        context["supplementalGroups"] = list(supplemental)
    return context


def resources(limits: Resources, requests: Resources) -> dict[str, Any]:
    return {"limits": limits.model_dump(), "requests": requests.model_dump()}


def container(spec: SiteSpec, name: str, image: str, *, read_only_root: bool = False,
              uid: int | None = None, **fields: Any) -> dict[str, Any]:
    """A container that cannot gain privileges and holds no capabilities. None of kenzy's
    images needs one back: nginx listens on 8080, the others on unprivileged ports too."""
    security: dict[str, Any] = {
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
        "readOnlyRootFilesystem": read_only_root,
    }
    if uid is not None:
        security.update(runAsUser=uid, runAsGroup=uid, runAsNonRoot=True)
    return {"name": name, "image": image, "imagePullPolicy": spec.options.image_pull_policy,
            **fields, "securityContext": security}


def secret_env(name: str, secret: str, key: str) -> dict[str, Any]:
    return {"name": name, "valueFrom": {"secretKeyRef": {"name": secret, "key": key}}}


def _config_extra(spec: SiteSpec) -> str:
    """PHP the official image appends to its wp-config: the local runtime's rules."""
    defines = [
        "define( 'DISALLOW_FILE_EDIT', true );",
        "define( 'AUTOMATIC_UPDATER_DISABLED', true );",
        "define( 'WP_AUTO_UPDATE_CORE', false );",
        "define( 'WP_HTTP_BLOCK_EXTERNAL', true );",
        "define( 'DISABLE_WP_CRON', true );",
        "define( 'FS_METHOD', 'direct' );",
        "define( 'KENZY_REDIS_SOCKET', 'redis' );",  # phpredis: a host name and port 0 mean TCP 6379
        "define( 'KENZY_REDIS_USER', 'default' );",
        "define( 'KENZY_REDIS_PASSWORD', getenv( 'KENZY_REDIS_PASSWORD' ) );",
        f"define( 'KENZY_REDIS_PREFIX', '{spec.identifier}:' );",
    ]
    if spec.options.tls:
        defines.append("define( 'FORCE_SSL_ADMIN', true );")
    return "\n".join(defines)


def wordpress_env(spec: SiteSpec) -> list[dict[str, Any]]:
    """Environment of every container running WordPress (PHP-FPM, the content Job)."""
    return [
        {"name": "WORDPRESS_DB_HOST", "value": "mariadb:3306"},
        {"name": "WORDPRESS_DB_NAME", "value": spec.identifier},
        {"name": "WORDPRESS_DB_USER", "value": spec.identifier},
        secret_env("WORDPRESS_DB_PASSWORD", "mariadb", "password"),
        *(secret_env(f"WORDPRESS_{name}", "wordpress", name.lower().replace("_", "-")) for name in SALT_NAMES),
        secret_env("KENZY_REDIS_PASSWORD", "redis", "password"),
        {"name": "WORDPRESS_CONFIG_EXTRA", "value": _config_extra(spec)},
    ]


def wordpress_volumes(*, content_read_only: bool = False) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The docroot (core, copied by the image at start) and ``wp-content`` (the PVC):
    the pod's volumes and the mounts of a container that uses them."""
    volumes = [
        {"name": "docroot", "emptyDir": {}},
        {"name": "wp-content", "persistentVolumeClaim": {"claimName": "wp-content"}},
    ]
    mounts = [
        {"name": "docroot", "mountPath": DOCROOT},
        {"name": "wp-content", "mountPath": f"{DOCROOT}/wp-content", "readOnly": content_read_only},
    ]
    return volumes, mounts

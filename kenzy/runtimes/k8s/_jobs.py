"""Run-to-completion work in the site's namespace: the content Job (the same PHP steps the
local runtime runs: install, ACF import, content) and the backup CronJob."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kenzy import blueprints, wordpress
from kenzy.errors import InvalidInput
from kenzy.runtimes.k8s import _pods
from kenzy.runtimes.k8s._site import DOCROOT, SiteSpec
from kenzy.runtimes.k8s.options import Resources

__all__ = ["backup_cronjob", "content_job", "step_requests"]

_KENZY_UID = 1000
_STEPS_DIR = "/kenzy"
_UPLOADS_DIR = "/kenzy-uploads"
_UPLOAD_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,200}")
_RUNNER = Path(__file__).parent / "templates" / "run_step.php"
_PHP = Path(wordpress.__file__).parent / "php"
_PHP_SCRIPTS = ("_bootstrap.php", "install.php", "acf_import.php", "content.php")
_SMALL_JOB = (Resources(cpu="500m", memory="512Mi"), Resources(cpu="100m", memory="256Mi"))

# The image's own entrypoint copies WordPress core into the docroot and writes wp-config.php
# from the WORDPRESS_* variables when its command is php-fpm; "php-fpm -t" then only checks
# the config and exits, so the steps run on exactly the files the web pods serve.
_SCRIPT = """\
set -eu
cd {docroot}
docker-entrypoint.sh php-fpm -t
cp -rL {steps}/wp-content/. wp-content/
if [ -d {uploads} ]; then mkdir -p wp-content/uploads/kenzy && cp -L {uploads}/* wp-content/uploads/kenzy/; fi
for step in {steps_list}; do
  echo "kenzy: $step"
  php -d memory_limit=256M -d open_basedir=/var/www/:{steps}/ -d disable_functions={disabled} \\
      {steps}/php/run_step.php "$step"
done
"""


def _digest(data: object) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def step_requests(spec: SiteSpec, content: Mapping[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """The requests of the PHP steps, as the local runtime sends them (secrets excluded)."""
    base = {"docroot": DOCROOT, "url": spec.url}
    groups = blueprints.get(spec.plan.industry).field_groups
    steps: dict[str, dict[str, Any]] = {
        "install": {**base, "installing": True, "title": spec.plan.business_name, "tagline": "",
                    "admin_user": "admin", "admin_email": f"admin@{spec.host}", "locale": spec.plan.locale},
        "acf_import": {**base, "groups": groups, "theme_dir": f"{DOCROOT}/wp-content/themes/kenzy",
                       "digest": _digest(groups)},
    }
    if content is not None:
        steps["content"] = {**base, **content}
    return steps


def _wp_content_files() -> dict[str, Path]:
    """kenzy's theme, mu-plugin and object-cache drop-in, by path under ``wp-content``."""
    files = {f"themes/kenzy/{p.relative_to(wordpress.THEMES / 'kenzy')}": p
             for p in sorted((wordpress.THEMES / "kenzy").rglob("*")) if p.is_file()}
    files.update({f"mu-plugins/{p.name}": p for p in sorted(wordpress.MU_PLUGINS.glob("*.php"))})
    files.update({p.name: p for p in sorted(wordpress.DROPINS.glob("*.php"))})
    return files


def content_job(spec: SiteSpec, content: Mapping[str, Any] | None = None,
                uploads: Mapping[str, bytes] | None = None) -> list[dict[str, Any]]:
    """The steps' ConfigMap (and one with the images, when given) and the Job that runs them.
    The Job's name carries a digest of what it runs: the same steps re-apply as a no-op, new
    content makes a new Job. The images are small (the hero, the logo and their sizes, tens
    of KB), far below a ConfigMap's 1 MiB."""
    from kenzy.runtimes.local.runtime import DISABLED_FUNCTIONS

    requests = step_requests(spec, content)
    files: dict[str, tuple[str, str]] = {"run_step.php": ("php/run_step.php", _RUNNER.read_text())}
    files.update({f"php--{n}": (f"php/{n}", (_PHP / n).read_text()) for n in _PHP_SCRIPTS})
    files.update({f"requests--{step}.json": (f"requests/{step}.json", json.dumps(req, ensure_ascii=False))
                  for step, req in requests.items()})
    files.update({"wp-content--" + rel.replace("/", "--"): (f"wp-content/{rel}", path.read_text())
                  for rel, path in _wp_content_files().items()})
    configmap = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": spec.meta("content-steps", "content"),
                 "data": {key: text for key, (_, text) in files.items()}}
    script = _SCRIPT.format(docroot=DOCROOT, steps=_STEPS_DIR, uploads=_UPLOADS_DIR, steps_list=" ".join(requests),
                            disabled=DISABLED_FUNCTIONS)
    images = _uploads_configmap(spec, uploads or {})
    volumes, mounts = _pods.wordpress_volumes()
    steps = _pods.container(
        spec, "steps", spec.options.wordpress_image, command=["bash", "-c", script],
        env=[*_pods.wordpress_env(spec), _pods.secret_env("KENZY_ADMIN_PASSWORD", "wordpress", "admin-password")],
        resources=_pods.resources(spec.options.container_limits, spec.options.container_requests),
        volumeMounts=[*mounts, {"name": "steps", "mountPath": _STEPS_DIR, "readOnly": True},
                      {"name": "tmp", "mountPath": "/tmp"},
                      *([{"name": "uploads", "mountPath": _UPLOADS_DIR, "readOnly": True}] if images else [])],
    )
    digested = [configmap["data"], script, spec.options.wordpress_image, images["binaryData"] if images else None]
    name = f"content-{_digest(digested)[:10]}"
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": spec.meta(name, "content"), "spec": {
        "backoffLimit": 6,  # MariaDB may still be starting on the first tries
        "activeDeadlineSeconds": 1800,
        "template": {"metadata": {"labels": spec.labels("content")}, "spec": {
            "restartPolicy": "Never",
            "automountServiceAccountToken": False,
            "securityContext": _pods.pod_security(_pods.WP_UID, fs_group=_pods.WP_UID),
            "containers": [steps],
            "volumes": [*volumes, {"name": "tmp", "emptyDir": {}}, {"name": "steps", "configMap": {
                "name": "content-steps", "items": [{"key": key, "path": path} for key, (path, _) in files.items()]}},
                *([{"name": "uploads", "configMap": {"name": "content-uploads"}}] if images else [])],
        }}}}
    return [configmap, *([images] if images else []), job]


def _uploads_configmap(spec: SiteSpec, uploads: Mapping[str, bytes]) -> dict[str, Any] | None:
    """The images the content request refers to, as a ConfigMap's ``binaryData``."""
    if not uploads:
        return None
    for name in uploads:
        if not _UPLOAD_NAME.fullmatch(name):
            raise InvalidInput("uploads", f"{name!r} is not a plain file name")
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": spec.meta("content-uploads", "content"),
            "binaryData": {name: base64.b64encode(data).decode() for name, data in sorted(uploads.items())}}


def backup_schedule(spec: SiteSpec) -> str:
    """Hourly at minute MM, MM spread by subdomain so a thousand sites do not start at once.
    Each run is ``kenzy backup run-due``: the site's policy picks a database backup (RPO
    1 h) or the daily full one, as cron does on one machine."""
    if spec.options.backup_schedule:
        return spec.options.backup_schedule
    minute = int(hashlib.sha256(spec.subdomain.encode()).hexdigest()[:8], 16) % 60
    return f"{minute} * * * *"


def backup_cronjob(spec: SiteSpec) -> dict[str, Any]:
    """kenzy's own backup, run in the namespace: it reads MariaDB and ``wp-content`` there and
    writes to the store the ``backup_secret`` Secret configures (egress 443 only)."""
    _, content_mounts = _pods.wordpress_volumes(content_read_only=True)
    command = [part.replace("{subdomain}", spec.subdomain) for part in spec.options.backup_command]
    runner = _pods.container(
        spec, "backup", spec.options.kenzy_image, read_only_root=True, command=command,
        env=[{"name": "KENZY_SITE", "value": spec.subdomain},
             {"name": "KENZY_SITE_PLAN", "value": spec.plan.model_dump_json()},
             {"name": "KENZY_SITE_URL", "value": spec.url},
             {"name": "KENZY_K8S_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
             {"name": "KENZY_DB_HOST", "value": "mariadb"},
             {"name": "KENZY_DB_NAME", "value": spec.identifier},
             {"name": "KENZY_DB_USER", "value": spec.identifier},
             _pods.secret_env("KENZY_DB_PASSWORD", "mariadb", "password"),
             {"name": "KENZY_CONTENT_DIR", "value": f"{DOCROOT}/wp-content"},
             {"name": "HOME", "value": "/tmp"}],
        envFrom=[{"secretRef": {"name": spec.options.backup_secret}}],
        resources=_pods.resources(*_SMALL_JOB),
        volumeMounts=[content_mounts[1], {"name": "tmp", "mountPath": "/tmp"}],
    )
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": spec.meta("backup", "backup"), "spec": {
        "schedule": backup_schedule(spec), "timeZone": "Etc/UTC", "concurrencyPolicy": "Forbid",
        "startingDeadlineSeconds": 3600, "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 3,
        "jobTemplate": {"metadata": {"labels": spec.labels("backup")}, "spec": {
            "backoffLimit": 2, "activeDeadlineSeconds": 3600,
            "template": {"metadata": {"labels": spec.labels("backup")}, "spec": {
                "restartPolicy": "Never",
                "automountServiceAccountToken": False,
                "securityContext": _pods.pod_security(_KENZY_UID, fs_group=_KENZY_UID),
                "containers": [runner],
                "volumes": [{"name": "wp-content", "persistentVolumeClaim": {"claimName": "wp-content", "readOnly": True}},
                            {"name": "tmp", "emptyDir": {}}]}}}}}}

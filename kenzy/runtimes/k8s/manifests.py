"""A site's Kubernetes manifests, rendered from the same `SitePlan` the local runtime uses.

    manifests = render_site(plan, K8sOptions.from_settings(settings), secrets)
    validate(manifests)            # kenzy.runtimes.k8s.validation
    print(to_yaml(manifests))

Secret values are placeholders unless ``reveal_secrets=True``, so what is printed or written
carries no secret unless asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kenzy.errors import InvalidInput
from kenzy.models import SitePlan
from kenzy.runtimes.k8s import _base, _jobs, _network, _workloads
from kenzy.runtimes.k8s._site import REDACTED, SiteSpec, namespace_for
from kenzy.runtimes.k8s.options import K8sOptions, K8sSecrets

__all__ = ["REDACTED", "file_name", "namespace_for", "render_site", "to_yaml"]


def render_site(
    plan: SitePlan,
    options: K8sOptions,
    secrets: K8sSecrets | None = None,
    *,
    reveal_secrets: bool = False,
    content: Mapping[str, Any] | None = None,
    uploads: Mapping[str, bytes] | None = None,
) -> list[dict[str, Any]]:
    """Every object of one site, in apply order (the Namespace first).

    Args:
        plan: The site's plan; its subdomain names the namespace.
        options: Images, sizes and cluster settings (`K8sOptions.from_settings`).
        secrets: The site's passwords and salts; generated when None (keep them: applying new
            ones changes the passwords).
        reveal_secrets: Put the real values in the Secrets instead of placeholders.
        content: The ``content`` step's request (what ``fill_content`` writes); the content
            Job then runs it after the install and ACF import.
        uploads: Files the request refers to (the hero image and logo, with their sizes), by
            name; the Job puts them in ``wp-content/uploads/kenzy/`` first.

    Raises:
        InvalidInput: the plan has no subdomain.
    """
    if not plan.subdomain:
        raise InvalidInput("subdomain", "the plan has none; kenzy cannot name the namespace")
    spec = SiteSpec(plan=plan, options=options, secrets=secrets or K8sSecrets(), reveal=reveal_secrets)
    pods: list[dict[str, Any]] = [
        *_workloads.mariadb(spec),
        *_workloads.redis(spec),
        *_workloads.web(spec),
        *_jobs.content_job(spec, content, uploads),
        _jobs.backup_cronjob(spec),
    ]
    return [
        _base.namespace(spec),
        *_network.network_policies(spec),
        _base.resource_quota(spec, pods),
        _base.limit_range(spec),
        *_base.secrets(spec),
        *_base.pvcs(spec),
        *pods,
    ]


def file_name(index: int, manifest: Mapping[str, Any]) -> str:
    """``03-networkpolicy-default-deny.yaml``: files sort in apply order."""
    return f"{index:02d}-{manifest['kind'].lower()}-{manifest['metadata']['name']}.yaml"


def to_yaml(manifests: Iterable[Mapping[str, Any]]) -> str:
    """Multi-document YAML (``---`` between objects), keys in the order kenzy wrote them."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value else None  # config files stay readable
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _text)
    return "".join(
        "---\n" + yaml.dump(dict(m), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)
        for m in manifests
    )

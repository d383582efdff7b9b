"""``kenzy render k8s SITE [--out DIR]``: the Kubernetes manifests of a site, validated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from kenzy.cli._console import err

__all__ = ["app"]

app = typer.Typer(help="Render what kenzy would apply somewhere else, without applying it.", no_args_is_help=True)


@app.command("k8s")
def k8s(
    site: str = typer.Argument(None, help="Subdomain of an existing site (or, with --name and --industry, of a new one)."),
    out_dir: Path = typer.Option(None, "--out", help="Write one YAML file per object here instead of printing."),
    tier: str = typer.Option(None, "--tier", help="small, standard or large (default: KENZY_K8S_TIER or standard)."),
    name: str = typer.Option(None, "--name", help="Business name of a site not created yet."),
    industry: str = typer.Option(None, "--industry", help="Industry blueprint of a site not created yet."),
    version: list[str] = typer.Option(None, "--k8s-version", help="Kubernetes versions to validate against (repeat)."),
    reveal_secrets: bool = typer.Option(False, "--reveal-secrets", help="Put the real passwords in the Secrets."),
) -> None:
    """Render a site's Kubernetes manifests (Namespace first), validate them strictly on two
    Kubernetes versions and with kenzy's checks, then print them or write them under --out."""
    from kenzy.runtimes.k8s import manifests, options, validation

    plan, secrets = _site(site, name, industry)
    from kenzy.settings import Settings

    opts = options.K8sOptions.from_settings(Settings(), **({"tier": tier} if tier else {}))
    objects = manifests.render_site(plan, opts, secrets, reveal_secrets=reveal_secrets)
    validation.validate(objects, tuple(version) if version else validation.DEFAULT_VERSIONS)
    if out_dir is None:
        typer.echo(manifests.to_yaml(objects), nl=False)
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    for index, obj in enumerate(objects):
        path = out_dir / manifests.file_name(index, obj)
        path.write_text(manifests.to_yaml([obj]))
        if obj["kind"] == "Secret" and reveal_secrets:
            path.chmod(0o600)
    err.print(f"wrote {len(objects)} objects for {plan.subdomain} to {out_dir} (namespace {objects[0]['metadata']['name']})",
              highlight=False)


def _site(site: str | None, name: str | None, industry: str | None) -> tuple[Any, Any]:
    """The plan and secrets: a new plan from --name/--industry, or the stored site's."""
    from kenzy.errors import SiteNotFound
    from kenzy.models import SitePlan

    if name is not None or industry is not None:
        if name is None or industry is None:
            err.print("give both --name and --industry for a site that does not exist yet")
            raise typer.Exit(2)
        return SitePlan(business_name=name, industry=industry, subdomain=site or ""), None
    if not site:
        err.print("give a site's subdomain, or --name and --industry")
        raise typer.Exit(2)
    import anyio

    from kenzy import naming
    from kenzy.tools import ToolContext

    naming.validate_subdomain(site)
    ctx = ToolContext()
    record = anyio.run(ctx.store.get, site)
    if record is None:
        raise SiteNotFound(site)
    credentials = anyio.run(ctx.store.credentials, site)
    # The same values provision_k8s applies: stored passwords, salts derived from kenzy's key.
    return record.plan, ctx.k8s.secrets(record, credentials) if credentials else None

"""Blueprint tools: import the industry's ACF field groups, and write the site's content."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Literal

import anyio
import anyio.to_thread
from pydantic import BaseModel, Field

from kenzy import acf_format, blueprints, images
from kenzy.content import Brief, jsonld, site_values
from kenzy.errors import InvalidInput, KenzyError
from kenzy.models import Site
from kenzy.tools._context import ToolContext
from kenzy.tools._registry import tool

__all__ = ["Composed", "FillContentInput", "FillContentResult", "ImportAcfInput", "ImportAcfResult", "compose_content", "fill_content", "import_acf"]


class ImportAcfInput(BaseModel):
    """The site to import the blueprint into."""

    subdomain: str = Field(description="The site's subdomain.")
    industry: str | None = Field(default=None, description="Blueprint to import; the site's own industry when empty.")


class ImportAcfResult(BaseModel):
    """What the import wrote."""

    subdomain: str
    industry: str
    groups: int
    fields: int
    created: int
    """Posts created (0 on a re-import: it updates)."""
    updated: int
    deleted: int
    """Field posts removed because the blueprint no longer has them."""
    acf_active: bool
    """Whether ACF or Secure Custom Fields is active in the site (the import works either way)."""
    unchanged: bool
    """True when the site already held exactly these groups (nothing was rewritten)."""


class FillContentInput(BaseModel):
    """The brief for the site's copy. Empty values come from the site's plan."""

    subdomain: str = Field(description="The site's subdomain.")
    city: str | None = Field(default=None, description="City the business serves.")
    description: str | None = Field(default=None, description="What the business does, in the owner's words (<= 2,000 characters).")
    tone: Literal["acolhedor", "profissional", "descontraido"] = "acolhedor"
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    template: str | None = Field(default=None, description="Template of the blueprint (e.g. restaurant_classic); the plan's or the default when empty.")
    options: dict[str, Any] = Field(default_factory=dict, description="Options to add to the plan's: whatsapp (number), pix (key), ifood (URL or true), delivery, reservas, agendamento, telemedicina, lgpd, ...")


class FillContentResult(BaseModel):
    """What was written."""

    subdomain: str
    url: str
    template: str
    headline: str
    """The hero title the writer produced."""
    items: dict[str, int]
    """Rows written per repeater (pratos, areas_atuacao, ...)."""
    meta_rows: int
    pages: list[str]
    images: list[str]
    writer: str
    """``offline`` or the configured model."""


def _digest(blueprint: blueprints.Blueprint) -> str:
    import hashlib
    import json

    return hashlib.sha256(json.dumps(blueprint.field_groups, sort_keys=True).encode()).hexdigest()


def _theme_dir(ctx: ToolContext, subdomain: str) -> Any:
    return ctx.local.site_paths(subdomain).wp_content / "themes" / "kenzy"


async def _import(ctx: ToolContext, subdomain: str, blueprint: blueprints.Blueprint) -> dict[str, Any]:
    await ctx.local.install_theme(subdomain)
    return await ctx.local.run_php(subdomain, "acf_import", {
        "groups": blueprint.field_groups, "theme_dir": str(_theme_dir(ctx, subdomain)), "digest": _digest(blueprint),
    })


async def _ensure_imported(ctx: ToolContext, subdomain: str, blueprint: blueprints.Blueprint) -> None:
    """Import unless the site already holds exactly these groups (saves a WordPress start)."""
    marker = _theme_dir(ctx, subdomain) / "acf-json" / ".kenzy-digest"
    current = await anyio.to_thread.run_sync(lambda: marker.read_text() if marker.exists() else "")
    if current != _digest(blueprint):
        await _import(ctx, subdomain, blueprint)
    else:
        await ctx.local.install_theme(subdomain)


@tool()
async def import_acf(ctx: ToolContext, args: ImportAcfInput) -> ImportAcfResult:
    """Import the industry blueprint's ACF field groups into a site (as ACF local JSON and
    acf-field-group/acf-field posts). Idempotent: importing again updates, never duplicates.
    Works whether or not the ACF plugin is installed."""
    site = await ctx.local_site(args.subdomain, "provision_k8s imported the blueprint in the site's content Job "
                                "(to write new copy, use fill_content)")
    blueprint = blueprints.get(args.industry or site.industry)
    result = await _import(ctx, site.subdomain, blueprint)
    return ImportAcfResult(subdomain=site.subdomain, industry=blueprint.industry, **result)


@dataclass(frozen=True)
class Composed:
    """A site's content, ready for the ``content`` PHP step."""

    template: str
    values: dict[str, Any]
    fields: list[dict[str, Any]]
    pages: list[dict[str, str]]
    images: list[images.SiteImage]
    request: dict[str, Any]
    """The ``content`` step's request (the images as files under ``uploads/kenzy/``)."""
    writer: str

    def files(self) -> dict[str, bytes]:
        """Every image file the request refers to (with its sizes), by name under ``uploads/kenzy/``."""
        return {name: data for image in self.images
                for name, data in ((image.filename, image.data), *((v.filename, v.data) for v in image.variants))}


async def compose_content(ctx: ToolContext, site: Site, args: FillContentInput) -> Composed:
    """Write the copy, the hero image and the logo for ``site`` and build
    the ``content`` step's request. Touches no site: both runtimes then deliver it.

    Raises:
        InvalidInput: the template is not one of the blueprint's.
        KenzyError: the writer's answer did not validate, or the image model failed.
    """
    from kenzy.agents.models import writer_model
    from kenzy.agents.writer import write_content

    blueprint = blueprints.get(site.industry)
    template = args.template or site.plan.template or blueprint.default_template
    if template not in blueprint.templates:
        raise InvalidInput("template", f"{template!r} is not a {blueprint.industry} template; use one of {', '.join(blueprint.templates)}")
    brief = Brief(
        business_name=site.business_name, industry=site.industry, locale=site.locale,  # type: ignore[arg-type]
        city=args.city or site.plan.city, description=args.description, tone=args.tone,
        phone=args.phone, email=args.email, address=args.address,
        options={**site.plan.options, **args.options},
    )
    model = ctx.writer_model if ctx.writer_model is not None else writer_model(ctx.settings)
    written: list[Any] = []
    made: list[images.SiteImage] = []
    failures: list[KenzyError] = []  # raised after the task group, as themselves

    async def write() -> None:
        try:
            written.append(await write_content(blueprint, brief, model=model))
        except KenzyError as exc:
            failures.append(exc)

    async def draw() -> None:
        settings = ctx.settings
        if settings.image_model:
            key = settings.image_api_key.get_secret_value() if settings.image_api_key else os.environ.get("OPENAI_API_KEY")
            try:
                made.append(await images.generated_hero(
                    brief.business_name, blueprint.industry, brief.locale, brief.city, model=settings.image_model,
                    base_url=settings.image_base_url, api_key=key))
            except KenzyError as exc:
                failures.append(exc)
                return
        else:
            made.append(await anyio.to_thread.run_sync(images.hero, brief.business_name, blueprint.industry, brief.locale))
        made.append(await anyio.to_thread.run_sync(images.logo, brief.business_name, blueprint.industry, brief.locale))

    async with anyio.create_task_group() as tg:  # nothing touches the site until both succeed
        tg.start_soon(write)
        tg.start_soon(draw)
    if failures:
        raise failures[0]
    values = site_values(blueprint, brief, written[0].model_dump())
    fields = [f for group in blueprint.field_groups for f in group["fields"]]
    english = brief.locale == "en_US"
    pages = [{"slug": p.slug, "title": p.title_en if english else p.title_pt, "section": p.section} for p in blueprint.pages]
    request = {
        "front": {"slug": "home" if english else "inicio", "title": "Home" if english else "Início"},
        "pages": pages,
        "images": [
            {"role": i.role, "file": f"kenzy/{i.filename}", "alt": i.alt, "title": i.title, "width": i.width,
             "height": i.height, "sizes": [{"size": v.size, "file": v.filename, "width": v.width, "height": v.height,
                                            "filesize": len(v.data)} for v in i.variants]}
            for i in made
        ],
        "meta": acf_format.flatten(fields, values),
        "prefixes": acf_format.meta_prefixes(fields),
        "options": {
            "blogdescription": blueprint.label(brief.locale) + (
                f"{' in ' if english else ' em '}{brief.city}" if brief.city else ""),
            "kenzy_template": template,
            "kenzy_industry": blueprint.industry,
            "kenzy_palette": list(images.PALETTES.get(blueprint.industry, images.PALETTES["restaurante"])),
            "kenzy_pages": [{"slug": p["slug"], "title": p["title"]} for p in pages],
            "kenzy_jsonld": jsonld(blueprint, brief, values, site.url),
        },
    }
    writer = "offline" if model is None else str(getattr(model, "model_name", model))
    return Composed(template, values, fields, pages, made, request, writer)


def _result(site: Site, composed: Composed, meta_rows: int, image_names: list[str]) -> FillContentResult:
    items = {f["name"]: len(composed.values.get(f["name"]) or []) for f in composed.fields if f["type"] == "repeater"}
    return FillContentResult(
        subdomain=site.subdomain, url=site.url, template=composed.template,
        headline=composed.values.get("hero_titulo", ""), items=items, meta_rows=meta_rows,
        pages=[p["slug"] for p in composed.pages], images=sorted(image_names), writer=composed.writer,
    )


@tool()
async def fill_content(ctx: ToolContext, args: FillContentInput) -> FillContentResult:
    """Write the site's content: the writer fills every blueprint field with real copy about
    the business (validated against the blueprint), a hero image and logo are made, the
    pages are created and the page cache is purged. Imports the blueprint first if needed.
    Nothing is written if the writer's answer does not validate. On Kubernetes the copy and
    images go into a new content Job in the site's namespace, which writes them there."""
    site = await ctx.local.active_site(args.subdomain)
    if site.runtime == "k8s":
        ctx.report("writing the copy and making the images", 1, 2)
        composed = await compose_content(ctx, site, args)
        ctx.report("applying the content Job", 2, 2)
        await ctx.k8s.apply_content(site, composed.request, composed.files())
        return _result(site, composed, len(composed.request["meta"]), sorted(composed.files()))
    ctx.report("writing the copy and making the images", 1, 3)
    composed = await compose_content(ctx, site, args)
    blueprint = blueprints.get(site.industry)
    ctx.report("importing the blueprint and storing the images", 2, 3)

    async def store_images() -> None:
        for name, data in composed.files().items():
            await ctx.local.write_site_file(site.subdomain, f"uploads/kenzy/{name}", data)

    async with anyio.create_task_group() as tg:
        tg.start_soon(store_images)
        tg.start_soon(_ensure_imported, ctx, site.subdomain, blueprint)
    ctx.report("writing the pages", 3, 3)
    result = await ctx.local.run_php(site.subdomain, "content", composed.request)
    await ctx.local.purge_cache(site.subdomain)
    return _result(site, composed, int(result["meta_rows"]), list(result["images"]))

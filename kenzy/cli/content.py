"""``kenzy import-acf SITE`` and ``kenzy fill SITE``: a site's blueprint and copy."""

from __future__ import annotations

from typing import Any

import typer

from kenzy.cli._console import out, print_json
from kenzy.cli.sites import call_tool

__all__ = ["fill", "import_acf", "parse_options", "show_fill"]


def parse_options(values: list[str] | None) -> dict[str, Any]:
    """``["whatsapp=19999998888", "delivery"]`` -> ``{"whatsapp": "19999998888", "delivery": True}``."""
    options: dict[str, Any] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        options[key.strip()] = value.strip() if sep else True
    return options


def import_acf(
    site: str = typer.Argument(..., help="The site's subdomain."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Import the site's industry blueprint (ACF field groups) into it."""
    result = call_tool("import_acf", {"subdomain": site}, quiet=True)
    if as_json:
        print_json(result)
        return
    state = "unchanged" if result.unchanged else f"{result.created} created, {result.updated} updated"
    out.print(f"[green]Imported[/] {result.industry}: {result.groups} groups, {result.fields} fields ({state})")


def show_fill(result: Any) -> None:
    out.print(f"[green]Content written[/] ({result.template}, writer: {result.writer})")
    out.print(f"  headline: {result.headline}", highlight=False)
    out.print("  " + ", ".join(f"{n} {name}" for name, n in result.items.items() if n), highlight=False)


def fill(
    site: str = typer.Argument(..., help="The site's subdomain."),
    city: str = typer.Option(None, "--city", help="City the business serves."),
    description: str = typer.Option(None, "--description", help="What the business does, in your words."),
    tone: str = typer.Option("acolhedor", "--tone", help="acolhedor, profissional or descontraido."),
    phone: str = typer.Option(None, "--phone"),
    email: str = typer.Option(None, "--email"),
    address: str = typer.Option(None, "--address"),
    template: str = typer.Option(None, "--template", help="One of the blueprint's templates."),
    option: list[str] = typer.Option(None, "--option", "-o", help="key=value or a flag: whatsapp=..., pix=..., ifood, delivery, reservas, lgpd, ..."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Write the site's copy, images and pages from a brief."""
    args = {"subdomain": site, "city": city, "description": description, "tone": tone, "phone": phone,
            "email": email, "address": address, "template": template, "options": parse_options(option)}
    result = call_tool("fill_content", args, title=f"Writing {site}", quiet=as_json)
    if as_json:
        print_json(result)
        return
    show_fill(result)

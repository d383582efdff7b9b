"""``kenzy blueprints list|check``: the industry blueprints."""

from __future__ import annotations

from pathlib import Path

import typer

from kenzy.cli._console import err, out, print_json

__all__ = ["app"]

app = typer.Typer(help="List and check the industry blueprints.", no_args_is_help=True)


@app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the industries with their templates and options."""
    from kenzy import blueprints

    items = [
        {"industry": bp.industry, "label_pt": bp.label_pt, "label_en": bp.label_en, "schema_type": bp.schema_type,
         "templates": bp.templates, "options": [o.id for o in bp.options], "pages": [p.slug for p in bp.pages]}
        for bp in blueprints.all_blueprints()
    ]
    if as_json:
        print_json({"blueprints": items})
        return
    from rich.table import Table

    table = Table("industry", "label", "schema.org", "templates", "options")
    for item in items:
        table.add_row(item["industry"], item["label_pt"], item["schema_type"], ", ".join(item["templates"]),
                      ", ".join(item["options"]))
    out.print(table)


@app.command("check")
def check(files: list[Path] = typer.Argument(None, help="Blueprint files; the shipped ones when omitted.")) -> None:
    """Validate blueprint files against the schema and kenzy's own rules."""
    from kenzy import blueprints
    from kenzy._resources import data_dir

    paths = files or [p for p in sorted(data_dir("acf_blueprints").glob("*.json")) if p.name != "_schema.json"]
    failed = 0
    for path in paths:
        if not path.is_file():
            err.print(f"✗ {path}: no such file", markup=False, highlight=False)
            failed += 1
            continue
        problems = blueprints.check_file(path)
        if problems:
            failed += 1
            for problem in problems:
                err.print(f"✗ {problem}", markup=False, highlight=False, style="red")
        else:
            out.print(f"[green]✓[/] {path.name}", highlight=False)
    if failed:
        raise typer.Exit(1)

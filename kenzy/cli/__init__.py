"""The ``kenzy`` command line. Commands parse arguments, call one tool, render the result."""

from __future__ import annotations

import logging
import sys

import typer

from kenzy.cli import backups, blueprints, chat, content, dns, mcp, render, sites, stack

__all__ = ["app", "main"]

app = typer.Typer(
    name="kenzy",
    help="Create isolated WordPress sites for small businesses, on this machine or on Kubernetes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(stack.app, name="stack")
app.add_typer(blueprints.app, name="blueprints")
sites.register(app)
app.command("import-acf")(content.import_acf)
app.command("fill")(content.fill)
app.command("mcp")(mcp.mcp)
app.command("chat")(chat.chat)
app.command("dns")(dns.dns)
app.add_typer(dns.certs, name="certs")
app.add_typer(backups.app, name="backup")
app.add_typer(render.app, name="render")
app.command("backups")(backups.backups)
app.command("restore")(backups.restore)


def main() -> None:
    """Entry point: run the app and turn kenzy's errors into a message and exit code 1."""
    from kenzy.errors import KenzyError, UsageError

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except KenzyError as exc:
        from kenzy.cli._console import err

        err.print(f"[bold red]error:[/] {exc}", highlight=False)
        raise SystemExit(2 if isinstance(exc, UsageError) else 1) from None

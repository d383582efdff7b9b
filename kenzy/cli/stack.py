"""``kenzy stack up|down|status``: the private MariaDB, Redis, PHP-FPM and nginx."""

from __future__ import annotations

import typer

from kenzy.cli._console import out, print_json

__all__ = ["app"]

app = typer.Typer(help="Start, stop and inspect kenzy's private stack.", no_args_is_help=True)


def _stack():  # type: ignore[no-untyped-def]
    from kenzy.tools import ToolContext

    return ToolContext().local.stack


def _show(states: list, as_json: bool) -> None:  # type: ignore[type-arg]
    if as_json:
        print_json(states)
        return
    from rich.table import Table

    table = Table("service", "state", "version", "pid", "socket / port")
    for s in states:
        state = "[green]running[/]" if s.running else "[red]stopped[/]"
        table.add_row(s.name, state, s.version or "-", str(s.pid or "-"), s.address)
    out.print(table)


@app.command("up")
def up(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Start the stack (idempotent; fast when already up)."""
    import anyio

    _show(anyio.run(_stack().up), as_json)


@app.command("down")
def down(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Stop exactly the daemons kenzy started (by PID file). Sites stay on disk."""
    import anyio

    _show(anyio.run(_stack().down), as_json)


@app.command("status")
def status(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show each service: state, version, PID, socket or port."""
    import anyio

    _show(anyio.run(_stack().status), as_json)

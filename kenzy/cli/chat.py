"""``kenzy chat``: a conversation with the supervisor agent."""

from __future__ import annotations

import typer

from kenzy.cli._console import err, out

__all__ = ["chat"]

_EXIT = {"sair", "exit", "quit", "tchau", "bye"}


def chat() -> None:
    """Talk to kenzy: ask for a site, then follow up (status, backup, delete). 'sair' ends."""
    import anyio

    anyio.run(_chat)


async def _chat() -> None:
    import anyio.to_thread

    from kenzy.agents.supervisor import Supervisor
    from kenzy.errors import KenzyError

    supervisor = Supervisor()
    mode = "offline" if supervisor.offline else "model"
    out.print(f"[bold]kenzy[/] ({mode}). Diga o que você quer; 'sair' termina.")
    while True:
        try:
            message = await anyio.to_thread.run_sync(lambda: input("você> "))
        except (EOFError, KeyboardInterrupt):
            break
        if message.strip().lower() in _EXIT:
            break
        if not message.strip():
            continue
        try:
            reply = await supervisor.ask(message)
            while reply.pending:
                for item in reply.pending:
                    err.print(f"kenzy quer executar {item.tool} {item.arguments}", highlight=False, markup=False)
                approve = await anyio.to_thread.run_sync(lambda: typer.confirm("Confirma?", default=False))
                reply = await supervisor.confirm(approve)
        except KenzyError as exc:
            err.print(f"[red]erro:[/] {exc}", highlight=False)
            continue
        out.print(f"kenzy> {reply.text}", highlight=False, markup=False)

"""``kenzy mcp``: serve the tool set over MCP (stdio by default, or streamable HTTP)."""

from __future__ import annotations

import typer

__all__ = ["mcp"]


def mcp(
    http: bool = typer.Option(False, "--http", help="Serve streamable HTTP instead of stdio (needs KENZY_MCP_TOKEN)."),
    host: str = typer.Option("127.0.0.1", "--host", help="HTTP address to listen on."),
    port: int = typer.Option(8765, "--port", help="HTTP port."),
) -> None:
    """Serve kenzy's tools, resources and prompt to MCP clients."""
    import anyio

    from kenzy.settings import Settings

    settings = Settings()
    if not http:
        from kenzy.mcp_server import KenzyMCP

        anyio.run(KenzyMCP(settings).run_stdio_async)
        return
    import uvicorn

    from kenzy.mcp_server import http_app

    app = http_app(settings, host=host)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)

"""kenzy's tools over MCP (stdio and streamable HTTP), bound to the one tool registry.

`KenzyMCP` is the SDK's `MCPServer` with its tool listing and calls bound to
`kenzy.tools.REGISTRY`: every registered tool appears with kenzy's own input and output
schemas; calls report progress as MCP progress notifications, and a `KenzyError` reaches
the client as a `ToolError` a person can act on. Resources: ``kenzy://sites``,
``kenzy://sites/{subdomain}``, ``kenzy://blueprints/{industry}``; prompt: ``create-site``.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.context import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from mcp_types import Tool as MCPTool

from kenzy import __version__, blueprints
from kenzy.errors import KenzyError, SiteNotFound, UsageError
from kenzy.settings import Settings
from kenzy.tools import REGISTRY, ToolContext, call

__all__ = ["BearerTokenMiddleware", "KenzyMCP", "http_app"]

logger = logging.getLogger(__name__)

READ_ONLY = {"plan_site", "site_status", "list_sites", "list_backups"}
NOT_IDEMPOTENT = {"backup", "restore", "verify_backup", "run_due_backups"}
"""Calling these twice does something twice (a second backup, a clone that now exists, ...)."""

INSTRUCTIONS = (
    "kenzy creates isolated WordPress sites for Brazilian small businesses. Call plan_site with "
    "the person's request first; if the plan has `missing` questions, ask them. Then call "
    "provision_local with the plan (provision_k8s when a Kubernetes cluster is configured), "
    "import_acf, fill_content, then set_dns, issue_certificate and backup when they are "
    "configured. Confirm with the person before destroy_site, restore or prune_backups."
)


class KenzyMCP(MCPServer):
    """The MCP server: tools from the registry, plus kenzy's resources and prompt."""

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__(name="kenzy", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING")
        self.kenzy_settings = settings if settings is not None else Settings()
        self._register_resources()

    # tools ---------------------------------------------------------------------------------

    async def list_tools(self) -> list[MCPTool]:
        return [
            MCPTool(
                name=spec.name,
                description=spec.description,
                input_schema=spec.input_schema(),
                output_schema=spec.output_model.model_json_schema(),
                annotations=ToolAnnotations(
                    read_only_hint=spec.name in READ_ONLY,
                    destructive_hint=spec.destructive,
                    idempotent_hint=spec.name not in NOT_IDEMPOTENT,
                    open_world_hint=False,
                ),
            )
            for spec in REGISTRY.values()
        ]

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None = None
    ) -> CallToolResult:
        send, receive = anyio.create_memory_object_stream[tuple[str, int, int]](100)

        def report(step: str, index: int, total: int) -> None:
            try:
                send.send_nowait((step, index, total))
            except anyio.WouldBlock:
                pass  # progress is best effort; the result is what matters

        async def forward() -> None:
            async with receive:
                async for step, index, total in receive:
                    if context is not None:
                        await context.report_progress(index, total, step)

        result: Any = None
        failure: KenzyError | None = None
        async with anyio.create_task_group() as tg:
            tg.start_soon(forward)
            async with send:
                try:
                    result = await call(name, arguments, ToolContext(self.kenzy_settings, progress=report))
                except KenzyError as exc:
                    failure = exc
        if failure is not None:
            raise ToolError(str(failure)) from None
        data = result.model_dump(mode="json")
        return CallToolResult(content=[TextContent(type="text", text=json.dumps(data, ensure_ascii=False))],
                              structured_content=data)

    # resources and prompt ------------------------------------------------------------------

    def _register_resources(self) -> None:
        settings = self.kenzy_settings

        @self.resource("kenzy://sites", name="sites", description="Every site kenzy manages.", mime_type="application/json")
        async def sites() -> str:
            result = await call("list_sites", {}, ToolContext(settings))
            return result.model_dump_json()

        @self.resource("kenzy://sites/{subdomain}", name="site", description="One site's record.", mime_type="application/json")
        async def site(subdomain: str) -> str:
            record = await ToolContext(settings).store.get(subdomain)
            if record is None:
                raise SiteNotFound(subdomain)
            return record.model_dump_json()

        @self.resource("kenzy://blueprints/{industry}", name="blueprint",
                       description="An industry blueprint: metadata and ACF field groups.", mime_type="application/json")
        def blueprint(industry: str) -> str:
            return blueprints.get(industry).model_dump_json()

        @self.prompt(name="create-site", description="Create a site for a business from a request in Portuguese or English.")
        def create_site(request: str) -> str:
            return (
                f"Create a website with kenzy for this request: {request}\n"
                "Call plan_site first. If the plan lists missing questions, ask me them. Otherwise show me "
                "the plan, then call provision_local, import_acf and fill_content, and tell me the site's URL."
            )


class BearerTokenMiddleware:
    """ASGI middleware: 401 unless ``Authorization: Bearer <token>`` matches (constant time)."""

    def __init__(self, app: Any, token: str) -> None:
        self.app = app
        self._token = token.encode()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            given = headers.get(b"authorization", b"")
            scheme, _, value = given.partition(b" ")
            if scheme.lower() != b"bearer" or not hmac.compare_digest(value.strip(), self._token):
                body = b'{"error": "unauthorized: send Authorization: Bearer <KENZY_MCP_TOKEN>"}'
                await send({"type": "http.response.start", "status": 401,
                            "headers": [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def http_app(settings: Settings, *, host: str = "127.0.0.1") -> Any:
    """The streamable-HTTP ASGI app behind the bearer token.

    Raises:
        UsageError: no token is configured (the server never runs open).
    """
    if settings.mcp_token is None or not settings.mcp_token.get_secret_value():
        raise UsageError("the MCP HTTP server needs a token: set KENZY_MCP_TOKEN (e.g. `openssl rand -hex 32`)")
    server = KenzyMCP(settings)
    app = server.streamable_http_app(host=host)
    return BearerTokenMiddleware(app, settings.mcp_token.get_secret_value())

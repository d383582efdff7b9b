"""The one typed tool set. Each tool is defined once, in a module of this package, and
registered in `REGISTRY`; every front end is built from that registry."""

from kenzy.tools import plan, sites  # noqa: I001 - registration order is the listing order
from kenzy.tools import backups, certs, content, dns, kubernetes
from kenzy.tools._context import ToolContext
from kenzy.tools._registry import REGISTRY, ToolSpec, call, tool

__all__ = ["REGISTRY", "ToolContext", "ToolSpec", "backups", "call", "certs", "content", "dns", "kubernetes", "plan", "sites", "tool"]

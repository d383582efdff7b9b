"""The local runtime: kenzy's private stack (MariaDB, Redis, PHP-FPM, nginx) under
``KENZY_HOME`` and isolated WordPress sites on it. Heavy parts load on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kenzy.runtimes.local._stack import SharedStackWarning, Stack
    from kenzy.runtimes.local.runtime import LocalRuntime

__all__ = ["LocalRuntime", "SharedStackWarning", "Stack"]


def __getattr__(name: str) -> Any:
    if name == "LocalRuntime":
        from kenzy.runtimes.local.runtime import LocalRuntime

        return LocalRuntime
    if name in {"Stack", "SharedStackWarning"}:
        from kenzy.runtimes.local import _stack

        return getattr(_stack, name)
    raise AttributeError(name)

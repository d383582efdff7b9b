"""The one tool registry. `tool` records a `ToolSpec` and returns the function unchanged.

The Agno supervisor, the MCP server, the Python API (`kenzy.Kenzy`) and the CLI are all
built from `REGISTRY`; a tool added here appears in every front end.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar, get_type_hints

from pydantic import BaseModel, ValidationError

from kenzy.errors import InvalidInput, UsageError
from kenzy.tools._context import ToolContext

__all__ = ["REGISTRY", "ToolSpec", "call", "tool"]

ToolFunc = Callable[[ToolContext, Any], Awaitable[BaseModel]]
F = TypeVar("F", bound=ToolFunc)


@dataclass(frozen=True)
class ToolSpec:
    """Everything a front end needs to expose one tool."""

    name: str
    func: ToolFunc
    input_model: type[BaseModel]
    output_model: type[BaseModel]
    description: str
    destructive: bool = False
    """Destroys data: front ends ask for confirmation first."""

    def input_schema(self) -> dict[str, Any]:
        """The JSON schema of the arguments, the same for every front end."""
        return self.input_model.model_json_schema()


REGISTRY: dict[str, ToolSpec] = {}


def tool(*, destructive: bool = False) -> Callable[[F], F]:
    """Register ``async def name(ctx: ToolContext, args: Input) -> Output`` as a tool."""

    def register(func: F) -> F:
        hints = get_type_hints(func)
        params = list(inspect.signature(func).parameters)
        if len(params) != 2 or hints.get(params[0]) is not ToolContext:
            raise TypeError(f"tool {func.__name__} must take (ctx: ToolContext, args: <Input model>)")
        input_model, output_model = hints[params[1]], hints["return"]
        doc = inspect.getdoc(func)
        if not doc:
            raise TypeError(f"tool {func.__name__} needs a docstring: it is what a model reads")
        REGISTRY[func.__name__] = ToolSpec(
            name=func.__name__,
            func=func,
            input_model=input_model,
            output_model=output_model,
            description=doc,
            destructive=destructive,
        )
        return func

    return register


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "input"
        message = err["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}")
    return "; ".join(parts)


async def call(name: str, arguments: dict[str, Any] | BaseModel, ctx: ToolContext) -> BaseModel:
    """Validate ``arguments`` and run tool ``name``.

    Raises:
        UsageError: no such tool, or the arguments do not validate (nothing was changed).
    """
    spec = REGISTRY.get(name)
    if spec is None:
        raise UsageError(f"no tool named {name!r}; known tools: {', '.join(sorted(REGISTRY))}")
    if isinstance(arguments, spec.input_model):
        args = arguments
    else:
        data = arguments.model_dump() if isinstance(arguments, BaseModel) else arguments
        try:
            args = spec.input_model.model_validate(data)
        except ValidationError as exc:
            cause = next((e.get("ctx", {}).get("error") for e in exc.errors()), None)
            if isinstance(cause, UsageError):
                raise cause from None
            raise InvalidInput(name, _validation_message(exc)) from None
    return await spec.func(ctx, args)

"""The content writer: a pydantic-ai agent whose output type is the blueprint's content model.

Offline (the default) a `FunctionModel` answers with the copy-bank writer's content; with a
model configured (``KENZY_MODEL``, e.g. ``openai:gpt-4o-mini``) the same agent asks it.
Output that does not validate is sent back for correction, then fails with `WriterError`;
nothing is written to the site in that case.
"""

from __future__ import annotations

import html
import re
from typing import Any

from pydantic import BaseModel

from kenzy.blueprints import Blueprint
from kenzy.content import Brief, content_model
from kenzy.errors import KenzyError

__all__ = ["WriterError", "instructions", "offline_model", "write_content"]

OUTPUT_RETRIES = 2


class WriterError(KenzyError):
    """The writer's output did not validate after its retries; nothing was written."""


def instructions(blueprint: Blueprint, brief: Brief) -> str:
    """The writer's instructions, rendered from ``prompts/writer.j2``."""
    import jinja2

    from kenzy._resources import data_dir

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(data_dir("prompts")), autoescape=False)
    return env.get_template("writer.j2").render(
        locale=brief.locale, name=brief.business_name, label=blueprint.label(brief.locale),
        city=brief.city, description=brief.description, tone=brief.tone, industry=blueprint.industry,
    )


def offline_model(blueprint: Blueprint, brief: Brief) -> Any:
    """A pydantic-ai `FunctionModel` that answers with the deterministic copy-bank writer."""
    from pydantic_ai.messages import ModelResponse, ToolCallPart
    from pydantic_ai.models.function import AgentInfo, FunctionModel

    from kenzy.agents.copybank import write_offline

    def answer(messages: list[Any], info: AgentInfo) -> ModelResponse:
        tool = info.output_tools[0]
        return ModelResponse(parts=[ToolCallPart(tool_name=tool.name, args=write_offline(blueprint, brief))])

    return FunctionModel(answer, model_name="kenzy-offline-writer")


def _clean_html(text: str) -> str:
    """Keep the writer's paragraphs, drop every tag and attribute but <p>, <strong>, <em>, <br>."""
    paragraphs = re.split(r"</?p[^>]*>", text)
    out = []
    for chunk in paragraphs:
        plain = re.sub(r"<[^>]*>", " ", chunk)
        plain = " ".join(html.unescape(plain).split())
        if plain:
            out.append(f"<p>{html.escape(plain)}</p>")
    return "".join(out)


async def write_content(blueprint: Blueprint, brief: Brief, *, model: Any = None) -> BaseModel:
    """Write the site's content for ``brief``; validated against the blueprint's content model.

    Raises:
        WriterError: the model's output did not validate after the retries.
    """
    from pydantic_ai import Agent
    from pydantic_ai.exceptions import UnexpectedModelBehavior

    output_type = content_model(blueprint)
    agent = Agent(
        model if model is not None else offline_model(blueprint, brief),
        output_type=output_type,
        instructions=instructions(blueprint, brief),
        retries=OUTPUT_RETRIES,
    )
    prompt = ("Escreva o conteúdo do site." if brief.locale == "pt_BR" else "Write the site's content.")
    try:
        result = await agent.run(prompt)
    except UnexpectedModelBehavior as exc:
        raise WriterError(
            f"the writer's answer did not fit the {blueprint.industry} blueprint after "
            f"{OUTPUT_RETRIES + 1} attempts ({exc.message}); nothing was written"
        ) from None
    content = result.output
    if hasattr(content, "sobre") and content.sobre:
        content = content.model_copy(update={"sobre": _clean_html(content.sobre)})
    return content

"""Turning ``KENZY_MODEL`` (and an optional OpenAI-compatible base URL) into model objects for
Agno (the supervisor) and pydantic-ai (the writer). Unset: kenzy's offline models."""

from __future__ import annotations

from typing import Any

from kenzy.errors import UsageError
from kenzy.settings import Settings

__all__ = ["agno_model", "writer_model"]


def _split(settings: Settings) -> tuple[str, str]:
    assert settings.model is not None
    provider, sep, name = settings.model.partition(":")
    if not sep:
        provider, name = ("openai", settings.model) if settings.model_base_url else ("", settings.model)
    if not provider or not name:
        raise UsageError(
            f"KENZY_MODEL={settings.model!r} is not '<provider>:<model>' (e.g. openai:gpt-4o-mini, "
            "anthropic:claude-sonnet-4-5, ollama:llama3.1)"
        )
    return provider, name


def _key(settings: Settings) -> str | None:
    return settings.model_api_key.get_secret_value() if settings.model_api_key else None


def agno_model(settings: Settings) -> Any:
    """The Agno model for the supervisor, or None for the offline supervisor."""
    if settings.model is None:
        return None
    provider, name = _split(settings)
    if settings.model_base_url:
        from agno.models.openai.like import OpenAILike

        return OpenAILike(id=name, base_url=settings.model_base_url, api_key=_key(settings) or "not-needed")
    from agno.models.utils import get_model

    return get_model(f"{provider}:{name}")


def writer_model(settings: Settings) -> Any:
    """The pydantic-ai model (or model string) for the writer, or None for the offline writer."""
    if settings.model is None:
        return None
    provider, name = _split(settings)
    if settings.model_base_url:
        from pydantic_ai.models.openai import OpenAIChatModel
        from pydantic_ai.providers.openai import OpenAIProvider

        return OpenAIChatModel(name, provider=OpenAIProvider(base_url=settings.model_base_url,
                                                             api_key=_key(settings) or "not-needed"))
    return f"{provider}:{name}"

"""Agents: the content writer (pydantic-ai) and, later, the Agno supervisor. Heavy SDKs load
on first use."""

__all__: list[str] = []

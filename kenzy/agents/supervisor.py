"""The supervisor: an Agno agent that plans and calls kenzy's tools, one conversation at a time.

Its tools are built from `kenzy.tools.REGISTRY` (destructive ones require confirmation,
through Agno's confirmation mechanism). Offline, `OfflineSupervisorModel` drives it
deterministically; with ``KENZY_MODEL`` set, the configured model does.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from typing import Any

from pydantic import BaseModel

from kenzy import blueprints
from kenzy.errors import KenzyError
from kenzy.tools import REGISTRY, ToolContext, call

__all__ = ["PendingConfirmation", "Supervisor", "SupervisorReply"]

os.environ.setdefault("AGNO_TELEMETRY", "false")


class PendingConfirmation(BaseModel):
    """A destructive tool call waiting for the person's yes or no."""

    tool: str
    arguments: dict[str, Any]


class SupervisorReply(BaseModel):
    """What the supervisor answered to one message."""

    text: str
    tool_calls: list[str]
    """Names of the tools it called in this turn, in order."""
    pending: list[PendingConfirmation] = []
    """Destructive calls that need confirmation (answer with `Supervisor.confirm`)."""
    site_url: str | None = None


def _quiet_agno() -> None:
    """Agno logs to stdout; kenzy's stdout is for results. Send its loggers to stderr."""
    for name in ("agno", "agno-team", "agno-workflow"):
        log = logging.getLogger(name)
        log.handlers = [logging.StreamHandler(sys.stderr)]
        log.setLevel(logging.WARNING)
        log.propagate = False


def _tool_functions(ctx: ToolContext) -> list[Any]:
    """Agno `Function`s for every registered tool: kenzy's schemas, kenzy's validation."""
    from agno.tools.function import Function

    functions = []
    for spec in REGISTRY.values():

        async def entrypoint(_name: str = spec.name, **arguments: Any) -> str:
            try:
                result = await call(_name, arguments, ctx)
            except KenzyError as exc:
                return f"error: {exc}"
            return result.model_dump_json()

        functions.append(
            Function(
                name=spec.name,
                description=spec.description,
                parameters=spec.input_schema(),
                entrypoint=entrypoint,
                skip_entrypoint_processing=True,
                requires_confirmation=spec.destructive or None,
            )
        )
    return functions


def instructions(settings_local: bool = True) -> str:
    """The supervisor's instructions, rendered from ``prompts/supervisor.j2``."""
    import jinja2

    from kenzy._resources import data_dir

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(data_dir("prompts")), autoescape=False)
    return env.get_template("supervisor.j2").render(
        provision_tool="provision_local" if settings_local else "provision_k8s",
        industries=", ".join(blueprints.industries()),
    )


class Supervisor:
    """One conversation with the supervisor agent."""

    def __init__(self, ctx: ToolContext | None = None, *, model: Any = None) -> None:
        from agno.agent import Agent
        from agno.db.in_memory import InMemoryDb

        from kenzy.agents.models import agno_model
        from kenzy.agents.offline import OfflineSupervisorModel

        _quiet_agno()
        self.ctx = ctx if ctx is not None else ToolContext()
        chosen = model if model is not None else agno_model(self.ctx.settings)
        self.offline = chosen is None
        on_k8s = self.ctx.settings.kube_configured
        self.agent = Agent(
            name="kenzy",
            model=chosen if chosen is not None else OfflineSupervisorModel(runtime="k8s" if on_k8s else "local"),
            tools=_tool_functions(self.ctx),
            instructions=instructions(not on_k8s),
            db=InMemoryDb(),
            add_history_to_context=True,
            num_history_runs=20,
            telemetry=False,
            markdown=False,
        )
        self._paused: Any = None

    async def ask(self, message: str) -> SupervisorReply:
        """Send one message and return the answer (or the calls awaiting confirmation)."""
        if not message or not message.strip():
            from kenzy.errors import InvalidInput

            raise InvalidInput("message", "is empty; say what you want kenzy to do")
        run = await self.agent.arun(message, session_id="kenzy")
        return self._reply(run)

    async def confirm(self, approve: bool) -> SupervisorReply:
        """Answer the pending confirmation(s) and let the run go on."""
        if self._paused is None:
            from kenzy.errors import UsageError

            raise UsageError("nothing is waiting for confirmation")
        run = self._paused
        for requirement in run.active_requirements:
            if requirement.needs_confirmation:
                requirement.confirm() if approve else requirement.reject("the person said no")
        self._paused = None
        run = await self.agent.acontinue_run(run_response=run, requirements=run.requirements, session_id="kenzy")
        return self._reply(run)

    def _reply(self, run: Any) -> SupervisorReply:
        status = str(getattr(run.status, "value", run.status)).lower()
        if status == "error":
            raise KenzyError(f"the supervisor failed: {run.content}")
        calls = [t.tool_name for t in (run.tools or []) if t.tool_name]
        pending: list[PendingConfirmation] = []
        if run.is_paused:
            self._paused = run
            for requirement in run.active_requirements:
                if requirement.needs_confirmation and requirement.tool_execution is not None:
                    execution = requirement.tool_execution
                    pending.append(PendingConfirmation(tool=execution.tool_name or "", arguments=execution.tool_args or {}))
        url = None
        for tool in reversed(run.tools or []):
            if tool.result and tool.result.startswith("{") and '"url"' in tool.result:
                url = json.loads(tool.result).get("url")
                break
        text = str(run.content or "")
        if pending:
            text = "; ".join(f"confirm {p.tool} {json.dumps(p.arguments, ensure_ascii=False)}?" for p in pending)
        return SupervisorReply(text=text, tool_calls=calls, pending=pending, site_url=url)

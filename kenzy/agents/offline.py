"""`OfflineSupervisorModel`: a deterministic Agno model that drives the supervisor with no LLM.

It reads the conversation (the person's last message and the tool results since) and
answers with OpenAI-shaped ``tool_calls`` or a final text, like a real model would:
plan, provision, import_acf, fill_content, set_dns, backup, then the URL (with a cluster:
plan, provision_k8s, set_dns); follow-ups
(backup, restore, status, delete) act on the conversation's last site. It never deletes more
than one site, and deleting and restoring go through Agno's confirmation.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

from agno.models.base import Model
from agno.models.response import ModelResponse

__all__ = ["OfflineSupervisorModel", "intent"]

CREATE_STEPS = ("plan_site", "provision_local", "import_acf", "fill_content", "set_dns", "issue_certificate", "backup")
K8S_CREATE_STEPS = ("plan_site", "provision_k8s", "set_dns")
"""On Kubernetes the content Job imports the blueprint and writes the copy; cert-manager
issues the certificate and the namespace's CronJob makes the backups."""

_INTENTS = (
    ("restore", r"\b(restaur(?!ante)\w*|restore\w*|recuper\w* (o|do) (site|backup)|volt\w* (o|ao|para o) backup)\b"),
    ("destroy", r"\b(apag\w*|delet\w*|exclu\w*|remov\w*|destru\w*|destroy|erase|wipe)\b"),
    ("backup", r"\b(backup|back up|copia de seguranca|salvar uma copia)\b"),
    ("status", r"\b(status|no ar|online|funcionando|como esta|is it up|working)\b"),
    ("list", r"\b(liste|listar|lista de sites|quais (sao os )?sites|list (my |the )?sites|which sites)\b"),
)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def intent(message: str) -> str:
    """``create``, ``restore``, ``destroy``, ``backup``, ``status`` or ``list`` for a person's message."""
    folded = _fold(message)
    creating = re.search(r"\b(cri\w*|faca um site|fazer um site|quero um site|site para|site pro|create|build|make)\b", folded)
    for name, pattern in _INTENTS:
        if re.search(pattern, folded) and not (name in ("status", "restore") and creating):
            return name
    return "create"


def _english(message: str) -> bool:
    folded = f" {_fold(message)} "
    return sum(w in folded for w in (" the ", " a ", " website", " please", " for my ", " called ", " now ", " delete ", " status ")) >= 2


def _result(content: Any) -> tuple[bool, Any]:
    text = content if isinstance(content, str) else json.dumps(content)
    if text.startswith("{"):
        try:
            return True, json.loads(text)
        except json.JSONDecodeError:
            pass
    return False, text.removeprefix("error: ")


def _call(name: str, arguments: dict[str, Any]) -> ModelResponse:
    return ModelResponse(
        role="assistant",
        tool_calls=[{"id": f"call_{uuid.uuid4().hex[:12]}", "type": "function",
                     "function": {"name": name, "arguments": json.dumps(arguments, ensure_ascii=False)}}],
    )


def _say(text: str) -> ModelResponse:
    return ModelResponse(role="assistant", content=text)


@dataclass
class OfflineSupervisorModel(Model):
    """Deterministic stand-in for an LLM, speaking Agno's model interface."""

    id: str = "kenzy-offline-supervisor"
    name: str = "kenzy offline supervisor"
    provider: str = "kenzy"
    runtime: str = "local"
    """``local`` or ``k8s``: where new sites go (`CREATE_STEPS` or `K8S_CREATE_STEPS`)."""

    # Agno's Model interface ------------------------------------------------------------------

    def invoke(self, messages: list[Any], assistant_message: Any = None, *args: Any, **kwargs: Any) -> ModelResponse:
        return self.decide(messages)

    async def ainvoke(self, messages: list[Any], assistant_message: Any = None, *args: Any, **kwargs: Any) -> ModelResponse:
        return self.decide(messages)

    def invoke_stream(self, messages: list[Any], assistant_message: Any = None, *args: Any, **kwargs: Any) -> Iterator[ModelResponse]:
        yield self.decide(messages)

    async def ainvoke_stream(  # type: ignore[override]
        self, messages: list[Any], assistant_message: Any = None, *args: Any, **kwargs: Any
    ) -> AsyncIterator[ModelResponse]:
        yield self.decide(messages)

    def _parse_provider_response(self, response: Any, **kwargs: Any) -> ModelResponse:
        return response if isinstance(response, ModelResponse) else _say(str(response))

    def _parse_provider_response_delta(self, response: Any) -> ModelResponse:
        return self._parse_provider_response(response)

    # the decisions ---------------------------------------------------------------------------

    def decide(self, messages: list[Any]) -> ModelResponse:
        """The next step for the conversation so far."""
        users = [i for i, m in enumerate(messages) if m.role == "user"]
        if not users:
            return _say("Olá! Diga qual site você quer criar.")
        start = users[-1]
        message = str(messages[start].content or "")
        turn = [(m.tool_name, *_result(m.content)) for m in messages[start + 1 :] if m.role == "tool"]
        english = _english(message)
        kind = intent(message)
        if kind == "create":
            return self._create(message, turn, english)
        if kind == "destroy" and turn:
            name, ok, data = turn[-1]
            if ok:
                sub = data.get("subdomain", "")
                return _say(f"Site {sub} deleted." if english else f"O site {sub} foi apagado.")
            return _say(f"Nothing was deleted: {data}" if english else f"Nada foi apagado: {data}")
        site = self._last_site(messages)
        if kind == "list":
            if not turn:
                return _call("list_sites", {})
            ok, data = turn[-1][1], turn[-1][2]
            names = ", ".join(f"{s['business_name']} ({s['url']})" for s in data["sites"]) if ok else data
            return _say(("Your sites: " if english else "Seus sites: ") + (names or ("none" if english else "nenhum")))
        if site is None:
            return _say("Which site? Create one first or tell me its name." if english
                        else "Qual site? Crie um primeiro ou me diga o nome dele.")
        if kind == "destroy":
            if re.search(r"\b(todos|todas|all|every)\b", _fold(message)):
                return _say("I delete one site at a time, only after you confirm which one. Nothing was deleted."
                            if english else "Eu apago um site por vez, e só depois que você confirmar qual. Nada foi apagado.")
            return _call("destroy_site", {"subdomain": site})
        if kind == "restore":
            return self._restore(site, message, turn, english)
        tool = "backup" if kind == "backup" else "site_status"
        if not turn:
            return _call(tool, {"subdomain": site})
        ok, data = turn[-1][1], turn[-1][2]
        if not ok:
            return _say(f"I could not do it: {data}" if english else f"Não consegui: {data}")
        if tool == "backup":
            return _say(f"Backup {data['backup_id']} of {site} done." if english else f"Backup {data['backup_id']} de {site} feito.")
        summary = data.get("summary")  # Kubernetes: readiness instead of an HTTP check
        up = all(data.get("checks", {}).values()) if summary else data.get("http_status") == 200
        url = data["site"]["url"]
        how = summary or f"HTTP {data.get('http_status')}"
        if english:
            return _say(f"{data['site']['business_name']} is {'up' if up else 'NOT answering'} at {url}/ ({how}).")
        return _say(f"O site {data['site']['business_name']} está {'no ar' if up else 'FORA do ar'} em {url}/ ({how}).")

    @staticmethod
    def _restore(site: str, message: str, turn: list[tuple[str, bool, Any]], english: bool) -> ModelResponse:
        """List the site's backups, then restore the one named in the message (or the newest);
        the restore itself waits for the person's confirmation."""
        if not turn:
            return _call("list_backups", {"subdomain": site})
        name, ok, data = turn[-1]
        if name == "restore":
            if ok:
                return _say(f"{site} restored from backup {data['backup_id']} in {data['seconds']:.1f} s." if english
                            else f"O site {site} foi restaurado do backup {data['backup_id']} em {data['seconds']:.1f} s.")
            return _say(f"Nothing was restored: {data}" if english else f"Nada foi restaurado: {data}")
        if not ok:
            return _say(f"I could not do it: {data}" if english else f"Não consegui: {data}")
        ids = [b["backup_id"] for b in data["backups"]]
        wanted = re.search(r"\b\d{8}T\d{6}Z-[0-9a-f]{6}\b", message)
        if not ids or (wanted and wanted.group(0) not in ids):
            missing = wanted.group(0) if wanted else None
            if english:
                return _say(f"{site} has no backup {missing}. Nothing was restored." if missing
                            else f"{site} has no backup yet. Nothing was restored.")
            return _say(f"O site {site} não tem o backup {missing}. Nada foi restaurado." if missing
                        else f"O site {site} ainda não tem backup. Nada foi restaurado.")
        return _call("restore", {"subdomain": site, "backup_id": wanted.group(0) if wanted else ids[0]})

    @staticmethod
    def _last_site(messages: list[Any]) -> str | None:
        for m in reversed(messages):
            if m.role != "tool":
                continue
            ok, data = _result(m.content)
            if ok and isinstance(data, dict):
                if m.tool_name == "destroy_site":
                    return None
                sub = data.get("subdomain") or (data.get("site") or {}).get("subdomain")
                if sub and m.tool_name != "plan_site":
                    return str(sub)
        return None

    def _create(self, message: str, turn: list[tuple[str, bool, Any]], english: bool) -> ModelResponse:
        if not turn:
            return _call("plan_site", {"request": message})
        done = {name: (ok, data) for name, ok, data in turn}
        ok, plan = done["plan_site"]
        if not ok:
            return _say(str(plan))
        english = plan.get("language") == "en_US"
        if plan.get("missing"):
            return _say(" ".join(plan["missing"]))
        steps = K8S_CREATE_STEPS if self.runtime == "k8s" else CREATE_STEPS
        provision = steps[1]
        if provision not in done:
            args = {k: plan[k] for k in ("business_name", "industry", "subdomain", "city", "template", "options") if plan.get(k) is not None}
            args["locale"] = plan["language"]
            return _call(provision, args)
        ok, site = done[provision]
        if not ok:
            return _say(f"I could not create the site: {site}" if english else f"Não consegui criar o site: {site}")
        for step in steps[2:]:
            if step not in done:
                return _call(step, {"subdomain": site["subdomain"]})
        notes = []
        for step in steps[2:]:
            ok, data = done[step]
            if not ok:
                notes.append(f"{step}: {data}")
        if site.get("runtime") == "k8s":
            where = f"on Kubernetes (namespace {site.get('namespace')})" if english else f"no Kubernetes (namespace {site.get('namespace')})"
        else:
            where = "on this machine" if english else "neste servidor"
        if english:
            text = f"Done! {site['business_name']} is live {where} at {site['url']}/ (admin: {site['admin_url']})."
            if notes:
                text += " Skipped: " + "; ".join(notes) + "."
        else:
            text = f"Pronto! O site de {site['business_name']} está no ar {where} em {site['url']}/ (painel: {site['admin_url']})."
            if notes:
                text += " Ficou de fora: " + "; ".join(notes) + "."
        return _say(text)

"""Planning: a person's request becomes a typed plan (or the questions to ask)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from kenzy.planner import PlanDraft, plan_request
from kenzy.tools._context import ToolContext
from kenzy.tools._registry import tool

__all__ = ["PlanSiteInput", "plan_site"]


class PlanSiteInput(BaseModel):
    """The person's request, in their own words."""

    request: str = Field(description="What the person asked for, e.g. 'Crie um site para o Restaurante do João em Campinas'.")


@tool()
async def plan_site(ctx: ToolContext, args: PlanSiteInput) -> PlanDraft:
    """Read a request in Portuguese or English and return the site plan: business name,
    industry, subdomain, city, language, template and options (WhatsApp, PIX, iFood, delivery,
    agendamento, ...). When something essential is not in the request, `missing` holds the
    questions to ask the person; nothing is guessed. Creates nothing."""
    return plan_request(args.request)

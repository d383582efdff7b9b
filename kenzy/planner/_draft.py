"""`PlanDraft`: what a request says about the site to build, and what is still missing."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from kenzy.errors import InvalidInput
from kenzy.models import SitePlan

Language = Literal["pt_BR", "en_US"]


class PlanDraft(BaseModel):
    """What a request says about the site to build, and what is still missing."""

    business_name: str | None = None
    """The business's name as the user wrote it, or None when the request does not say."""
    industry: str | None = None
    """Blueprint id (``restaurante``, ``saude``, ...), or None when no industry matched."""
    subdomain: str | None = None
    """``naming.subdomain_for(business_name)`` when the name is known."""
    city: str | None = None
    language: Language = "pt_BR"
    template: str | None = None
    """The industry's default template, or the one whose style the request names."""
    options: dict[str, Any] = Field(default_factory=dict)
    """Option id -> value: True for flags, else the phone number, PIX key or URL given."""
    missing: list[str] = Field(default_factory=list)
    """Questions to ask the user, in the request's language."""

    @property
    def complete(self) -> bool:
        """True when nothing essential is missing and the draft can become a `SitePlan`."""
        return not self.missing and self.business_name is not None and self.industry is not None

    def to_site_plan(self) -> SitePlan:
        """The `SitePlan` this draft describes.

        Raises:
            InvalidInput: the draft is incomplete; the message names what is missing and
                repeats the questions to ask.

        """
        if not self.complete:
            lacking = [
                what
                for what, value in (("business name", self.business_name), ("industry", self.industry))
                if value is None
            ]
            questions = " ".join(self.missing)
            raise InvalidInput(
                "plan", f"missing {' and '.join(lacking) or 'information'}; ask: {questions}".rstrip()
            )
        assert self.business_name is not None and self.industry is not None
        return SitePlan(
            business_name=self.business_name,
            industry=self.industry,
            subdomain=self.subdomain or "",
            locale=self.language,
            city=self.city,
            template=self.template,
            options=dict(self.options),
        )

"""Deterministic, offline planner: a conversational request becomes a typed `PlanDraft`.

``plan_request("Crie um site para o Restaurante do João em Campinas, com delivery pelo iFood
e pedidos no WhatsApp (19) 99876-5432")`` finds the business name, the industry, the city,
the language and the options the request asks for, with plain Python parsing: no network,
no model. What the request does not say is never guessed; it becomes a question in
`PlanDraft.missing`, written in the request's language.

How it reads a request:

* the text is cleaned (control characters stripped, NFC), folded (lowercase, no accents;
  same length as the text so spans carry over) and split into tokens;
* the industry comes from the blueprints' ``words`` (longest phrase first, then typo-tolerant
  matching of single words when nothing matched exactly);
* the name comes from quotes, then from "chamado X"/"called X", then from the words around
  an industry word ("Pizzaria Bella Napoli", "restaurante do João"), then from
  "para o X"/"for X"; capitalisation tells a name from a description;
* the city comes from "em X"/"in X"/"na cidade de X"/"de X" (outside the name), with a
  table of large Brazilian cities to restore accents ("sao paulo" -> "São Paulo");
* options come from each option's ``words`` (negations such as "sem delivery" excluded), with
  the WhatsApp number, the PIX key and the iFood URL picked up next to their word.
"""

from __future__ import annotations

from kenzy.planner._draft import PlanDraft
from kenzy.planner._plan import plan_request
from kenzy.planner._text import MAX_REQUEST_LENGTH

__all__ = ["MAX_REQUEST_LENGTH", "PlanDraft", "plan_request"]

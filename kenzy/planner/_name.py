"""Business name: quoted, after "chamado"/"called", around an industry word, or after "para"."""

from __future__ import annotations

import re

from kenzy import naming
from kenzy.errors import InvalidInput
from kenzy.planner._industry import _industry_words
from kenzy.planner._options import _option_words
from kenzy.planner._runs import _caps_run, _caps_run_back, _lower_run
from kenzy.planner._text import _fold, _match_at, _phrase, _Tok
from kenzy.planner._vocabulary import (
    _ARTICLES,
    _BOUNDARY,
    _CITIES,
    _CONNECTORS,
    _DO,
    _GENERIC,
    _LEADS,
    _NEGATIONS,
    _NO_KEY_WORDS,
    _PERSONAL,
    _POSSESSIVES,
    _SITE_WORDS,
    _STRONG_TRIGGERS,
    _WEAK_TRIGGERS,
)

_QUOTED_RE = re.compile(
    r'"([^"]{1,150})"|“([^”"]{1,150})[”"]|«([^»]{1,150})»|‘([^’]{1,150})’|(?<!\w)\'([^\'\n]{1,150})\'(?!\w)'
)


def _describes(tok: _Tok) -> bool:
    """Whether a lowercase word may sit between an industry word and the name (an adjective)."""
    fold = tok.fold
    return (
        tok.word
        and not tok.cap
        and fold.isalpha()
        and fold not in _BOUNDARY
        and fold not in _CONNECTORS
        and fold not in _POSSESSIVES
        and fold not in _ARTICLES
        and fold not in _option_words()
        and fold not in _NEGATIONS
    )


def _accept_name(candidate: str) -> str | None:
    """The candidate as a business name, or None when it is no name (generic, invalid...)."""
    name = candidate.strip(" \t,;:.-–—!?")
    if not name or not any(c.isalpha() for c in name):
        return None
    words = [w for w in _phrase(name) if w[0].isalnum()]
    meaningful = [
        w for w in words if w not in _GENERIC and w not in _CONNECTORS and w not in _industry_words()
    ]
    if not meaningful or _fold(name) in _CITIES:
        return None
    try:
        name = naming.validate_business_name(name)
        naming.subdomain_for(name)
    except InvalidInput:
        return None
    return name


def _find_name(text: str, folded: str, toks: list[_Tok], industries: list[tuple[int, int, str]]) -> tuple[
    str, int, int
] | None:
    """The business name and its character span, or None when the request gives none."""
    candidates: list[tuple[int, int, int, int]] = []  # (priority, position, start, end)
    n = len(toks)

    def span(a: int, b: int) -> tuple[int, int]:
        return toks[a].start, toks[b - 1].end

    # 0. Quoted names: "Bella Napoli", “Bella Napoli”, 'Bella Napoli'.
    for match in _QUOTED_RE.finditer(text):
        group = next(g for g in range(1, 6) if match.group(g) is not None)
        before = set(_phrase(folded[max(0, match.start() - 30) : match.start()]))
        if before & _NO_KEY_WORDS:
            continue
        start, end = match.span(group)
        candidates.append((0, start, start, end))

    # 1. "chamado X", "called X", "named X", "nome fantasia: X".
    for i in range(n):
        if not toks[i].word:
            continue
        hit = _match_at(toks, i, _STRONG_TRIGGERS)
        if not hit or (toks[i].fold in {"nome", "name"} and i > 0 and toks[i - 1].fold in _PERSONAL):
            continue  # "meu nome é João", "my name is John": a person, not the business
        k = hit[0]
        while k < n and (toks[k].text in {":", "-", "–", "—"} or toks[k].text.lower() in {"é", "eh", "is"}):
            k += 1
        if k >= n or not toks[k].word:
            continue
        end = _caps_run(toks, k) if toks[k].cap else _lower_run(toks, k, max_words=5)
        if end > k:
            candidates.append((1, toks[k].start, *span(k, end)))

    # 2-5. Around an industry word.
    for a, b, _industry in industries:
        if toks[a].cap:
            start = _caps_run_back(toks, a)
            end = _caps_run(toks, b, lead_connectors=True) if b < n else b
            if start < a or end > b:
                sentence_start = a == 0 or toks[a - 1].text in {".", "!", "?", ":"}
                priority = 5 if sentence_start and start == a else 2
                candidates.append((priority, toks[start].start, *span(start, end)))
            continue
        if b < n and toks[b].fold in _DO and b + 1 < n and toks[b + 1].word:
            nxt = toks[b + 1]
            if nxt.cap:
                end = _caps_run(toks, b + 1)
            elif nxt.fold in _CITIES:
                end = b + 1
            else:
                end = _lower_run(toks, b + 1, max_words=3)
            if end > b + 1:
                candidates.append((4, toks[a].start, *span(a, end)))
            continue
        k = b
        if k < n and toks[k].text in {",", ":", "-", "–"}:
            k += 1
        elif k + 1 < n and toks[k + 1].cap and _describes(toks[k]):
            k += 1  # "restaurante japonês Sakura"
        if k < n and toks[k].fold in _ARTICLES and not toks[k].cap:
            k += 1
        if k < n and toks[k].cap and toks[k].word:
            end = _caps_run(toks, k)
            if end > k:
                candidates.append((4, toks[k].start, *span(k, end)))

    # 3. "para o X", "for X", "site da X".
    for i in range(n - 1):
        fold = toks[i].fold
        k = i + 1
        if (fold == "p" and toks[k].text == "/") or (fold in _SITE_WORDS and toks[k].fold in _DO | {"of"}):
            k += 1  # "p/ X", "site da X"
        elif fold not in _WEAK_TRIGGERS:
            continue
        if k < n and toks[k].fold in _ARTICLES and not toks[k].cap:
            k += 1
        if k < n and toks[k].word and toks[k].cap and toks[k].fold not in _POSSESSIVES:
            end = _caps_run(toks, k)
            if end > k:
                candidates.append((3, toks[k].start, *span(k, end)))

    # 6. "Bella Napoli em Curitiba, ..." at the very start.
    if n and toks[0].cap and toks[0].fold not in _LEADS:
        end = _caps_run(toks, 0)
        if 0 < end < n and toks[end].fold in {"em", "in", "no", "na"}:
            candidates.append((6, 0, *span(0, end)))

    for _priority, _position, start, end in sorted(candidates):
        name = _accept_name(text[start:end])
        if name is not None:
            offset = text.index(name, start)
            return name, offset, offset + len(name)
    return None

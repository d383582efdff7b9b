"""Industry: blueprint words matched exactly or despite typos, and the name anchors they give."""

from __future__ import annotations

import difflib
from functools import cache, lru_cache

from kenzy import blueprints
from kenzy.planner._options import _option_words
from kenzy.planner._text import PhraseTable, _match_all, _table, _Tok
from kenzy.planner._vocabulary import _CITIES, _DO, _FUZZY_SKIP, _SITE_WORDS


@cache
def _industry_table() -> PhraseTable:
    entries: list[tuple[str, str]] = []
    for bp in blueprints.all_blueprints():
        for words in (bp.industry, bp.label_pt, bp.label_en, *bp.words):
            entries.append((words, bp.industry))
    return _table(entries)


@cache
def _fuzzy_words() -> tuple[tuple[str, str], ...]:
    """(folded single word, industry) for typo-tolerant matching of words of length >= 5."""
    rows: dict[str, str] = {}
    for first, entries in sorted(_industry_table().items()):
        for phrase, industry in entries:
            if len(phrase) == 1 and len(first) >= 5 and first.isalpha():
                rows.setdefault(first, industry)
    return tuple(sorted(rows.items()))


@cache
def _industry_words() -> frozenset[str]:
    """Every folded word that appears in some industry phrase."""
    return frozenset(w for rows in _industry_table().values() for phrase, _ in rows for w in phrase)


@lru_cache(maxsize=4096)
def _fuzzy_industry(word: str) -> tuple[str, float] | None:
    """The industry whose single word ``word`` is a typo of (difflib ratio), with the ratio."""
    best: tuple[str, float] | None = None
    threshold = 0.8 if len(word) >= 7 else 0.85
    for candidate, industry in _fuzzy_words():
        if candidate[0] != word[0] or abs(len(candidate) - len(word)) > 3:
            continue
        matcher = difflib.SequenceMatcher(None, word, candidate)
        if matcher.quick_ratio() < threshold:
            continue
        ratio = matcher.ratio()
        if ratio >= threshold and (best is None or ratio > best[1]):
            best = (industry, ratio)
    return best


def _industry_matches(toks: list[_Tok]) -> list[tuple[int, int, str]]:
    """Industry mentions as token ranges; typo-tolerant only when nothing matched exactly."""
    found = _match_all(toks, _industry_table())
    if found:
        return found
    option_words = _option_words()
    for i, tok in enumerate(toks):
        fold = tok.fold
        if (
            tok.word
            and len(fold) >= 5
            and fold.isalpha()
            and fold not in _FUZZY_SKIP
            and fold not in option_words
            and fold not in _CITIES
        ):
            hit = _fuzzy_industry(fold)
            if hit:
                found.append((i, i + 1, hit[0]))
    return found


_ANCHOR_TABLE = _table(
    [
        (words, "")
        for words in (
            "empresa", "negocio", "negócio", "loja", "escritorio", "escritório", "business", "company",
            "store", "shop", "firm", "estabelecimento", "marca", "brand",
        )
    ]
)


def _name_anchors(toks: list[_Tok], matches: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Industry mentions to look for a name around, plus generic business nouns.

    Adjacent mentions of one industry merge ("clínica odontológica", "consultório de
    psicologia"); generic nouns catch "minha empresa Soluções Tech".
    """
    merged: list[tuple[int, int, str]] = []
    for a, b, industry in matches:
        if merged:
            pa, pb, pind = merged[-1]
            joined = a == pb or (a == pb + 1 and toks[pb].fold in {"de", "e", "and"})
            if joined and pind == industry:
                merged[-1] = (pa, b, industry)
                continue
        merged.append((a, b, industry))
    taken = {i for a, b, _ in merged for i in range(a, b)}
    for a, b, payload in _match_all(toks, _ANCHOR_TABLE):
        if not taken.intersection(range(a, b)):
            merged.append((a, b, payload))
    return sorted(merged)


def _choose_industry(toks: list[_Tok], matches: list[tuple[int, int, str]]) -> str | None:
    """The industry with the most (longest) mentions; ties go to the earliest mention."""
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    for index, (a, b, industry) in enumerate(matches):
        weight = float(b - a)
        if a > 0 and toks[a - 1].fold in _SITE_WORDS:  # "site funcional": an adjective
            weight /= 4
        if index + 1 < len(matches):
            c, _d, other = matches[index + 1]
            if other != industry and c == b + 1 and toks[b].fold in _DO | {"de"}:
                weight = 0.0  # "clínica de estética": the qualifier says which kind
        scores[industry] = scores.get(industry, 0.0) + weight
        first.setdefault(industry, a)
    if not scores:
        return None
    return min(scores, key=lambda ind: (-scores[ind], first[ind]))

"""Runs of words a name or a city is read from: capitalised, lowercase, or a table city."""

from __future__ import annotations

from kenzy.planner._industry import _industry_words
from kenzy.planner._options import _option_words
from kenzy.planner._text import _match_at, _Tok
from kenzy.planner._vocabulary import (
    _ABBREVIATIONS,
    _ANDS,
    _BOUNDARY,
    _CITIES,
    _CITY_CONNECTORS,
    _CITY_STOP,
    _CITY_TABLE,
    _CONNECTORS,
    _GENERIC,
    _LEADS,
    _MAX_CITY_TOKENS,
    _MAX_NAME_TOKENS,
    _PLACE_PREPOSITIONS,
    _POSSESSIVES,
)


def _is_brand(tok: _Tok) -> bool:
    """An option word that cannot be part of a name (WhatsApp, PIX, iFood, LGPD, ...)."""
    kind = _option_words().get(tok.fold)
    if kind is None:
        return False
    text = tok.text
    return kind != "flag" or not text[:1].isupper() or any(c.isupper() for c in text[1:])


def _city_at(toks: list[_Tok], i: int) -> int | None:
    """End index of a table city starting at token ``i``."""
    if i >= len(toks) or not toks[i].word:
        return None
    hit = _match_at(toks, i, _CITY_TABLE)
    return hit[0] if hit else None


def _caps_run(
    toks: list[_Tok], i: int, *, lead_connectors: bool = False, cities: bool = False, inner_place: bool = True
) -> int:
    """End index of the run of capitalised words starting at ``i`` ("Restaurante do João").

    Lowercase connectors (do, da, de, e, &, of, the...) may join capitalised words; the run
    ends on a capitalised word. With ``cities`` the run is a city's ("Rio de Janeiro").
    """
    connectors = _CITY_CONNECTORS if cities else _CONNECTORS
    n = min(len(toks), i + (_MAX_CITY_TOKENS if cities else _MAX_NAME_TOKENS))
    j = last = i
    while j < n:
        tok = toks[j]
        if tok.word:
            if inner_place and not cities and j > i and tok.fold in _PLACE_PREPOSITIONS and j + 1 < n:
                # "Academia Corpo em Forma em Goiânia": "em" inside the name, then the city.
                nxt = toks[j + 1]
                if nxt.cap and nxt.fold not in _CITY_STOP and _city_at(toks, j + 1) is None:
                    end = _caps_run(toks, j + 1, inner_place=False)
                    if end > j + 1 and end < n and toks[end].fold in _PLACE_PREPOSITIONS:
                        j = last = end
                        inner_place = False  # one "em" inside a name at most
                        continue
            if tok.cap and not (j > i and tok.fold in _BOUNDARY and not tok.fold[0].isdigit()):
                if _is_brand(tok) or (cities and tok.fold in _industry_words()):
                    break
                if j == i and not cities and tok.fold in _BOUNDARY:
                    break
                j += 1
                last = j
                continue
            if tok.fold in connectors and (j > i or lead_connectors):
                if tok.fold in _ANDS:
                    after = toks[j + 1] if j + 1 < n else None
                    if after is None or not after.cap or _is_brand(after):
                        break
                if not cities and tok.fold == "de":
                    city_end = _city_at(toks, j + 1)
                    if city_end is not None and (city_end >= n or not toks[city_end].cap):
                        break  # "Clínica Sorriso de Campinas": the city is not the name
                j += 1
                continue
            break
        if j > i and tok.text == "&" and not cities:
            j += 1
            continue
        if (
            tok.text == "."
            and j > i
            and toks[j - 1].fold in _ABBREVIATIONS
            and j + 1 < n
            and toks[j + 1].cap
        ):
            j += 1
            continue
        break
    return last


def _caps_run_back(toks: list[_Tok], i: int) -> int:
    """Start index of the capitalised words just before ``i`` ("Joe's" in "Joe's Diner")."""
    k = first = i
    while k > 0:
        tok = toks[k - 1]
        capitalised = tok.word and tok.cap and not _is_brand(tok)
        if capitalised and tok.fold not in _LEADS and tok.fold not in _BOUNDARY:
            k -= 1
            first = k
            continue
        joins = tok.text == "&" or (tok.word and tok.fold in _CONNECTORS and tok.fold not in _ANDS)
        if k < i and joins and k - 2 >= 0 and toks[k - 2].word and toks[k - 2].cap:
            k -= 1
            continue
        if k < i and tok.word and tok.fold in _ANDS and k - 2 >= 0 and toks[k - 2].cap:
            k -= 1
            continue
        break
    return first


def _lower_run(toks: list[_Tok], i: int, *, max_words: int, allow_industry: bool = False) -> int:
    """End index of the lowercase words from ``i`` up to a boundary ("joão" in "do joão em")."""
    n = len(toks)
    j = last = i
    words = 0
    while j < n and words < max_words:
        tok = toks[j]
        if not tok.word:
            if tok.text in "&'’" and j > i:
                j += 1
                continue
            break
        fold = tok.fold
        if j > i and (fold in _BOUNDARY or fold in _option_words()):
            break
        if j == i and (fold in _POSSESSIVES or fold in _GENERIC or fold in _BOUNDARY):
            break
        if fold in _option_words() or (not allow_industry and j > i and fold in _industry_words()):
            break
        if fold in _CITIES and j > i and toks[j - 1].fold == "de":
            break
        j += 1
        words += 1
        if fold not in _CONNECTORS:
            last = j
    return last

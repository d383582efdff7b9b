"""City: "em X", "in X", "na cidade de X", "de X" or "X/UF", accents restored from the city table."""

from __future__ import annotations

from kenzy.planner._industry import _industry_words
from kenzy.planner._options import _option_words
from kenzy.planner._runs import _caps_run, _city_at
from kenzy.planner._text import _fold, _Tok
from kenzy.planner._vocabulary import (
    _BOUNDARY,
    _CITIES,
    _CITY_CLOSERS,
    _CITY_CONNECTORS,
    _CITY_STOP,
    _POSSESSIVES,
    _UFS,
)


def _title(words: str) -> str:
    parts = words.split()
    return " ".join(
        w if (k and w.lower() in _CITY_CONNECTORS) else w[:1].upper() + w[1:] for k, w in enumerate(parts)
    )


def _city_from(
    toks: list[_Tok], i: int, text: str, *, caps: bool, lower: bool, final: bool, stop: int
) -> str | None:
    """The city named at token ``i``, or None. ``stop`` is where the business name starts."""
    n = min(len(toks), stop)
    if i >= n or not toks[i].word:
        return None
    end = _city_at(toks, i)
    ends_well = end is not None and (
        not final or end >= len(toks) or not toks[end].word or toks[end].fold in _BOUNDARY
    )
    if end is not None and end <= n and ends_well:
        return _CITIES[" ".join(t.fold for t in toks[i:end])]
    tok = toks[i]
    if tok.fold in _CITY_STOP or tok.fold in _industry_words() or tok.fold in _option_words():
        return None
    if not tok.fold.isalpha():
        return None
    if tok.cap and caps:
        end = min(_caps_run(toks, i, cities=True), n)
    elif not tok.cap and lower:
        end = i
        while end < n and end - i < 3 and toks[end].word and toks[end].fold.isalpha():
            fold = toks[end].fold
            if end > i and (fold in _BOUNDARY or fold in _CITY_STOP):
                break
            if fold in _industry_words() or fold in _option_words() or fold in _POSSESSIVES:
                break
            end += 1
        while end > i and toks[end - 1].fold in _CITY_CONNECTORS:
            end -= 1
        if end < len(toks) and toks[end].word and toks[end].fold not in _BOUNDARY:
            return None  # "em breve lançamento...": not a place
    else:
        return None
    if end <= i:
        return None
    if final and end < len(toks) and toks[end].word and toks[end].fold not in _BOUNDARY:
        return None
    written = text[toks[i].start : toks[end - 1].end]
    folded = " ".join(t.fold for t in toks[i:end])
    if folded in _CITIES:
        return _CITIES[folded]
    return written if tok.cap else _title(written)


def _find_city(text: str, toks: list[_Tok], name: tuple[int, int] | None) -> str | None:
    """The city the request names, never a word of the business name."""
    name_a, name_b = name if name else (len(toks), len(toks))
    found: list[tuple[int, bool, int, str]] = []  # (priority, not a known city, token, city)
    for i, tok in enumerate(toks):
        if name_a <= i < name_b or not tok.word:
            continue
        stop = name_a if i < name_a else len(toks)
        fold = tok.fold
        city: str | None = None
        priority = 9
        if fold in {"cidade", "city"} and i + 1 < len(toks) and toks[i + 1].fold in {"de", "of", ":"}:
            city = _city_from(toks, i + 2, text, caps=True, lower=True, final=False, stop=stop)
            priority = 0
        elif fold in {"em", "in"}:
            city = _city_from(toks, i + 1, text, caps=True, lower=True, final=False, stop=stop)
            priority = 1
        elif fold in {"no", "na"}:
            city = _city_from(toks, i + 1, text, caps=False, lower=False, final=False, stop=stop)
            priority = 1
        elif fold in {"de", "from"} and (i == 0 or toks[i - 1].fold not in {"cidade", "city"}):
            city = _city_from(toks, i + 1, text, caps=True, lower=False, final=True, stop=stop)
            priority = 3
        elif (
            tok.cap
            and tok.fold.isalpha()
            and i + 2 < len(toks)
            and toks[i + 1].text in {"/", "-"}
            and toks[i + 2].fold in _UFS
            and (i == 0 or not toks[i - 1].cap)
        ):
            city = _city_from(toks, i, text, caps=True, lower=False, final=False, stop=stop)
            priority = 2
        elif i == 0 or toks[i - 1].text in {",", "-", "–", "(", "|"}:
            # "Pizzaria Bella Napoli, Curitiba, sem delivery": a known city set off by commas.
            end = _city_at(toks, i)
            closed = end is not None and (end == len(toks) or toks[end].text in _CITY_CLOSERS)
            if end is not None and end <= stop and closed:
                city = _CITIES[" ".join(t.fold for t in toks[i:end])]
                priority = 4
        if city:
            found.append((priority, _fold(city) not in _CITIES, i, city))
    return min(found)[3] if found else None

"""Text: cleaning, folding and tokens, and phrase tables matched against the tokens."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from kenzy.errors import InvalidInput

MAX_REQUEST_LENGTH = 5000
"""Longest request `plan_request` accepts, in characters."""


class _Tok(NamedTuple):
    start: int
    end: int
    text: str
    fold: str
    word: bool
    cap: bool
    """Starts with a capital letter or a digit ("São", "PIX", "24", "d'Oeste")."""


_TOKEN_RE = re.compile(r"\w+(?:['’]\w+)*(?:-\w+(?:['’]\w+)*)*|[^\w\s]")
_SPACE_CONTROLS = frozenset("\t\n\r\v\f\x85\u2028\u2029")


def _clean(request: object) -> str:
    """The request with control characters stripped and whitespace collapsed."""
    if not isinstance(request, str):
        raise InvalidInput("request", "must be text describing the site to build")
    if len(request) > MAX_REQUEST_LENGTH:
        raise InvalidInput(
            "request",
            f"is {len(request)} characters long; the limit is {MAX_REQUEST_LENGTH}. "
            "Describe the business in a few sentences",
        )
    kept = []
    for char in unicodedata.normalize("NFC", request):
        if char in _SPACE_CONTROLS:
            kept.append(" ")
        elif unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co"}:
            kept.append(char)
    text = " ".join("".join(kept).split())
    if not text:
        raise InvalidInput(
            "request",
            "is empty; describe the site, e.g. 'Crie um site para a Pizzaria Bella Napoli em Curitiba'",
        )
    return text


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)).lower()
    if len(base) == 1:
        return base
    lower = char.lower()
    return lower if len(lower) == 1 else char


def _fold(text: str) -> str:
    """Lowercase without accents, one character per character of ``text``."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


def _tokenize(text: str, folded: str) -> list[_Tok]:
    toks: list[_Tok] = []
    for match in _TOKEN_RE.finditer(text):
        start, end = match.span()
        tok = match.group()
        word = tok[0].isalnum() or tok[0] == "_"
        cap = word and (
            tok[0].isupper() or tok[0].isdigit() or (len(tok) > 2 and tok[1] in "'’" and tok[2].isupper())
        )
        toks.append(_Tok(start, end, tok, folded[start:end], word, cap))
    return toks


def _phrase(words: str) -> tuple[str, ...]:
    """The folded word tokens of a phrase, as `_tokenize` would produce them."""
    folded = _fold(" ".join(words.split()))
    return tuple(m.group() for m in _TOKEN_RE.finditer(folded))


PhraseTable = dict[str, list[tuple[tuple[str, ...], str]]]


def _table(entries: list[tuple[str, str]]) -> PhraseTable:
    """First token -> [(phrase tokens, payload)], longest phrase first (first payload wins)."""
    table: PhraseTable = {}
    seen: set[tuple[str, ...]] = set()
    for words, payload in entries:
        phrase = _phrase(words)
        if not phrase or phrase in seen:
            continue
        seen.add(phrase)
        table.setdefault(phrase[0], []).append((phrase, payload))
    for rows in table.values():
        rows.sort(key=lambda row: -len(row[0]))
    return table


def _match_at(toks: list[_Tok], i: int, table: PhraseTable) -> tuple[int, str] | None:
    """The longest phrase of ``table`` starting at token ``i``: (end index, payload)."""
    for phrase, payload in table.get(toks[i].fold, ()):
        end = i + len(phrase)
        if end <= len(toks) and all(toks[i + k].fold == phrase[k] for k in range(len(phrase))):
            return end, payload
    return None


def _match_all(toks: list[_Tok], table: PhraseTable) -> list[tuple[int, int, str]]:
    """Non-overlapping matches left to right, longest phrase first at each token."""
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(toks):
        hit = _match_at(toks, i, table) if toks[i].word else None
        if hit:
            found.append((i, hit[0], hit[1]))
            i = hit[0]
        else:
            i += 1
    return found


def _token_index(toks: list[_Tok], char: int) -> int:
    """Index of the first token starting at or after ``char``."""
    lo, hi = 0, len(toks)
    while lo < hi:
        mid = (lo + hi) // 2
        if toks[mid].start < char:
            lo = mid + 1
        else:
            hi = mid
    return lo

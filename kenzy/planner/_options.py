"""Options: their word tables, negations, and the phone, PIX key and iFood URL next to them."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from kenzy import blueprints
from kenzy._resources import data_dir
from kenzy.blueprints import Option
from kenzy.planner._draft import Language
from kenzy.planner._text import PhraseTable, _fold, _match_all, _phrase, _table, _Tok
from kenzy.planner._vocabulary import _CONNECTORS, _NEGATION_STOPS, _NEGATIONS


@cache
def _base_options() -> tuple[Option, ...]:
    doc = json.loads((data_dir("acf_blueprints") / "_base.json").read_text(encoding="utf-8"))
    return tuple(Option.model_validate(option) for option in doc.get("options", []))


@cache
def _options_for(industry: str | None) -> tuple[Option, ...]:
    if industry is None:
        return _base_options()
    return tuple(blueprints.get(industry).options)


@cache
def _option_table(industry: str | None) -> PhraseTable:
    return _table([(w, o.id) for o in _options_for(industry) for w in (o.id, *o.words)])


@cache
def _option_words() -> dict[str, str]:
    """Folded single option word -> its option's value kind, over every blueprint."""
    kinds: dict[str, str] = {}
    options = [o for bp in blueprints.all_blueprints() for o in bp.options]
    for option in (*_base_options(), *options):
        for words in (option.id, *option.words):
            for word in _phrase(words):
                if len(word) > 1 and word not in _CONNECTORS:
                    kinds.setdefault(word, option.value)
    return kinds


_PHONE = (
    r"(?:\+\s?55[\s.-]?)?(?:\(\s?\d{2}\s?\)|\d{2})[\s.-]?(?:9[\s.-]?)?\d{4}[\s.-]?\d{4}"
    r"|\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)|\d{1,4})(?:[\s.-]?\d{2,4}){2,4}"
    r"|9\d{4}-\d{4}"
)
_PHONE_RE = re.compile(rf"(?<![\w+])(?:{_PHONE})(?!\w)")
_KEY_RE = re.compile(
    r"(?<![\w@.+-])(?:"
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail
    r"|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"  # random key
    r"|\d{2}\.?\d{3}\.?\d{3}/?\d{4}-?\d{2}"  # CNPJ
    r"|\d{3}\.?\d{3}\.?\d{3}-?\d{2}"  # CPF
    rf"|{_PHONE}"
    r")(?![\w@])"
)
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL_RE = re.compile(
    r"(?<![@\w.])(?:https?://)?(?:[\w-]+\.)+[a-zA-Z]{2,}(?::\d+)?(?:/[^\s,;<>\"'()\[\]{}]*)?", re.I
)
_SENTENCE_END_RE = re.compile(r"[.!?;](?:\s|$)")


def _negated(toks: list[_Tok], a: int, language: Language) -> bool:
    """Whether a negation ("sem", "no", "without", "não") governs the mention at token ``a``."""
    k = a - 1
    seen = 0
    while k >= 0 and seen < 3:
        tok = toks[k]
        if not tok.word:
            if tok.text in {",", ";", ".", ":", "!", "?", "(", ")"}:
                return False
            k -= 1
            continue
        fold = tok.fold
        if fold in _NEGATION_STOPS:
            return False
        if fold in _NEGATIONS or (fold == "no" and language == "en_US"):
            return True
        seen += 1
        k -= 1
    return False


def _region(text: str, start: int, stop: int, limit: int) -> str:
    """``text[start:stop]`` cut at ``limit`` characters and at the end of the sentence."""
    chunk = text[start : min(stop, start + limit)]
    end = _SENTENCE_END_RE.search(chunk)
    return chunk[: end.start()] if end else chunk


def _https(url: str) -> str:
    url = url.rstrip(".,;:!?")
    if url.lower().startswith("http://"):
        url = url[7:]
    elif url.lower().startswith("https://"):
        return url
    return "https://" + url


def _find_options(
    text: str, toks: list[_Tok], industry: str | None, language: Language, name: tuple[int, int] | None
) -> dict[str, Any]:
    """Option id -> value for every option the request asks for (and does not refuse)."""
    options = _options_for(industry)
    protected = [m.span() for m in _EMAIL_RE.finditer(text)] + [m.span() for m in _URL_RE.finditer(text)]
    name_a, name_b = name if name else (-1, -1)
    mentions: list[tuple[int, int, str, bool]] = []  # (start char, end char, option, negated)
    for a, b, option_id in _match_all(toks, _option_table(industry)):
        start, end = toks[a].start, toks[b - 1].end
        if name_a <= a < name_b or any(s <= start < e for s, e in protected):
            continue
        mentions.append((start, end, option_id, _negated(toks, a, language)))
    starts = sorted(m[0] for m in mentions)

    def next_mention(after: int) -> int:
        return next((s for s in starts if s > after), len(text))

    def previous_mention(before: int) -> int:
        return max((m[1] for m in mentions if m[1] <= before), default=0)

    found: dict[str, Any] = {}
    for option in options:
        own = [m for m in mentions if m[2] == option.id]
        wanted = [m for m in own if not m[3]]
        value: Any = True if wanted else None
        if option.value == "url":
            words = {w.replace(" ", "") for w in (_fold(x) for x in (option.id, *option.words))}
            for match in _URL_RE.finditer(text):
                if any(w in _fold(match.group()) for w in words) and (wanted or not own):
                    value = _https(match.group())
                    break
        elif option.value == "phone":
            for start, end, _id, _neg in wanted:
                after = _region(text, end, next_mention(end), 60)
                phone = _PHONE_RE.search(after)
                if phone is None:
                    lo = max(previous_mention(start), start - 60)
                    before = list(_PHONE_RE.finditer(text[lo:start]))
                    phone = before[-1] if before else None
                if phone is not None:
                    value = phone.group().strip()
                    break
        elif option.value == "text":
            for _start, end, _id, _neg in wanted:
                key = _KEY_RE.search(_region(text, end, next_mention(end), 100))
                if key is not None:
                    value = key.group().strip()
                    break
        if value is not None:
            found[option.id] = value
    return found

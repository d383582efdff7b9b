"""`plan_request`, and the language, template and questions it settles."""

from __future__ import annotations

from kenzy import blueprints, naming
from kenzy.planner._city import _find_city
from kenzy.planner._draft import Language, PlanDraft
from kenzy.planner._industry import _choose_industry, _industry_matches, _name_anchors
from kenzy.planner._name import _QUOTED_RE, _find_name
from kenzy.planner._options import _find_options
from kenzy.planner._text import _clean, _fold, _Tok, _token_index, _tokenize
from kenzy.planner._vocabulary import _CLASSIC, _EN_MARKERS, _MODERN, _PT_MARKERS


def _language(toks: list[_Tok], skip: list[tuple[int, int]]) -> Language:
    """English when the words outside names and quotes are clearly English, else pt_BR."""
    en = pt = 0
    for tok in toks:
        if not tok.word or any(a <= tok.start < b for a, b in skip):
            continue
        en += tok.fold in _EN_MARKERS
        pt += tok.fold in _PT_MARKERS
    return "en_US" if (en > pt and en >= 2) or (en >= 1 and pt == 0) else "pt_BR"


def _template(industry: str | None, toks: list[_Tok], name: tuple[int, int] | None) -> str | None:
    """The industry's default template, or its classic/modern one when the request asks."""
    if industry is None:
        return None
    templates = blueprints.get(industry).templates
    name_a, name_b = name if name else (-1, -1)
    for i, tok in enumerate(toks):
        if name_a <= i < name_b:
            continue
        style = "classic" if tok.fold in _CLASSIC else "modern" if tok.fold in _MODERN else None
        if style:
            chosen = next((t for t in templates if style in t.split("_")), None)
            if chosen:
                return chosen
    return templates[0]


def _questions(language: Language, name: bool, industry: bool) -> list[str]:
    questions: list[str] = []
    if language == "en_US":
        if not name:
            questions.append("What is the name of the business?")
        if not industry:
            kinds = ", ".join(f"{bp.industry} ({bp.label_en.lower()})" for bp in blueprints.all_blueprints())
            questions.append(f"What kind of business is it? Options: {kinds}.")
    else:
        if not name:
            questions.append("Qual é o nome do negócio?")
        if not industry:
            questions.append(f"Qual é o ramo do negócio? Opções: {', '.join(blueprints.industries())}.")
    return questions


def plan_request(request: str) -> PlanDraft:
    """Read a conversational request and return what it says about the site to build.

    Deterministic and offline. What the request leaves out is not guessed: it becomes a
    question in `PlanDraft.missing`.

    Raises:
        InvalidInput: the request is empty, not text, or longer than 5,000 characters.

    """
    text = _clean(request)
    folded = _fold(text)
    toks = _tokenize(text, folded)

    matches = _industry_matches(toks)
    found = _find_name(text, folded, toks, _name_anchors(toks, matches))
    business_name: str | None = None
    name_span: tuple[int, int] | None = None
    skip: list[tuple[int, int]] = [m.span() for m in _QUOTED_RE.finditer(text)]
    if found:
        business_name, start, end = found
        name_span = (_token_index(toks, start), _token_index(toks, end))
        skip.append((start, end))

    industry = _choose_industry(toks, matches)
    language = _language(toks, skip)
    city = _find_city(text, toks, name_span)
    options = _find_options(text, toks, industry, language, name_span)
    return PlanDraft(
        business_name=business_name,
        industry=industry,
        subdomain=naming.subdomain_for(business_name) if business_name else None,
        city=city,
        language=language,
        template=_template(industry, toks, name_span),
        options=options,
        missing=_questions(language, business_name is not None, industry is not None),
    )

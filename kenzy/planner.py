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

import difflib
import json
import re
import unicodedata
from functools import cache, lru_cache
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, Field

from kenzy import blueprints, naming
from kenzy._resources import data_dir
from kenzy.blueprints import Option
from kenzy.errors import InvalidInput
from kenzy.models import SitePlan

__all__ = ["PlanDraft", "plan_request"]

MAX_REQUEST_LENGTH = 5000
"""Longest request `plan_request` accepts, in characters."""

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


# --------------------------------------------------------------------------------------
# Text: cleaning, folding, tokens


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


# --------------------------------------------------------------------------------------
# Blueprint-derived tables (cached)


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


# --------------------------------------------------------------------------------------
# Word lists (language, not industries: those come from the blueprints)

_CONNECTORS = frozenset(
    "de do da dos das di del della du des la le los las of the e and y van von der den".split()
)
_ANDS = frozenset({"e", "and", "y"})
_MAX_NAME_TOKENS = 16
_MAX_CITY_TOKENS = 6
_PLACE_PREPOSITIONS = frozenset({"em", "in", "no", "na"})
_CITY_CLOSERS = frozenset({",", ".", ")", "-", "–", "/", "|"})
_CITY_CONNECTORS = frozenset({"de", "do", "da", "dos", "das"})
_DO = frozenset({"do", "da", "dos", "das"})
_ARTICLES = frozenset({"o", "a", "os", "as", "the"})
_BOUNDARY = frozenset(
    """em in no na nos nas com with que which that who para pra pro for pelo pela pelos pelas at on
    located localizado localizada localizados situado situada onde where using usando via mas but
    porque because aceita aceitamos accepting accepts offering oferecendo quero want preciso need
    is e and perto near desde since sem without ou or tambem also""".split()
)
_POSSESSIVES = frozenset(
    "meu minha meus minhas seu sua seus suas nosso nossa nossos nossas my our your his her their um uma "
    "an this that esse essa este esta".split()
)
_GENERIC = frozenset(
    """site sites website websites pagina paginas page pages empresa empresas negocio negocios business
    company loja lojas meu minha meus minhas my our nosso nossa seu sua your todos todas todo toda all
    um uma a o os as an the novo nova new instrucoes instrucao instructions ignore ignorar apague apagar
    delete remova remover sistema system prompt comandos comando arquivos dados servidor server
    qualquer any nome name cidade city""".split()
)
_LEADS = frozenset(
    """crie cria criar faca monte montar gere gerar desenvolva desenvolver quero queria preciso precisamos
    gostaria site website pagina novo nova create build make generate design set i we my our please hi
    hello hey ola oi bom boa need want new a o os as um uma an por favor eu nos meu minha ignore apague
    delete aqui here this esse este site""".split()
)
_PERSONAL = frozenset({"meu", "minha", "seu", "sua", "my", "his", "her", "your"})
_ABBREVIATIONS = frozenset("dr dra sr sra st mr mrs ms jr prof profa cia ltda".split())
_NO_KEY_WORDS = frozenset({"slogan", "frase", "texto", "tagline", "titulo", "title", "motto", "lema"})
_NEGATIONS = frozenset(
    "sem nao nem dispenso dispensa nada without not never nor dont don't don’t doesnt doesn't doesn’t "
    "won't won’t isn't isn’t".split()
)
_NEGATION_STOPS = frozenset("e and com with mas but tambem also plus porem however".split())
_STRONG_TRIGGERS = _table(
    [
        (words, "strong")
        for words in (
            "chamado", "chamada", "chamados", "chamadas", "called", "named", "se chama", "de nome",
            "com o nome", "com o nome de", "nome fantasia", "name is", "known as", "conhecido como",
            "conhecida como", "nome :", "name :", "intitulado", "intitulada", "nome e", "nome eh",
        )
    ]
)
_WEAK_TRIGGERS = frozenset({"para", "pra", "pro", "for"})
_SITE_WORDS = frozenset({"site", "website", "pagina", "page", "loja"})

_EN_MARKERS = frozenset(
    """create build make website for my our the called named with and in please need want i we place
    shop of is to would like new ordering orders order accept accepts via located it me us can you
    should have has an store firm business that which online through also want our help""".split()
)
_PT_MARKERS = frozenset(
    """crie criar cria faca monte quero preciso gostaria um uma para pra pro do da dos das de com meu
    minha nosso nossa em na chamado chamada e que pelo pela sem por favor o os seu sua pedidos aceita
    aceitamos tem ter pagina nome cidade voce ola oi precisamos queremos fazer atende atendemos
    tambem tenho temos nao""".split()
)

_CLASSIC = frozenset({"classico", "classica", "classicos", "classicas", "classic"})
_MODERN = frozenset({"moderno", "moderna", "modernos", "modernas", "modern"})

_FUZZY_SKIP = frozenset(
    """estudo estudos estudar salas saudade acessivel acesso cliente clientes contato quero queremos
    preciso precisamos gostaria pedidos pedido online simples bonito bonita pagina paginas criar
    crie fazer tambem cidade centro bairro celular telefone endereco horario horarios servicos
    servico produtos produto""".split()
)

# Largest Brazilian cities (and a few nicknames), folded -> written with accents.
_CITIES = {
    _fold(name): name
    for name in """São Paulo|Rio de Janeiro|Brasília|Salvador|Fortaleza|Belo Horizonte|Manaus|Curitiba|
    Recife|Goiânia|Belém|Porto Alegre|Guarulhos|Campinas|São Luís|São Gonçalo|Maceió|Duque de Caxias|
    Natal|Teresina|Campo Grande|São Bernardo do Campo|João Pessoa|Nova Iguaçu|Santo André|Osasco|
    Jaboatão dos Guararapes|São José dos Campos|Ribeirão Preto|Uberlândia|Sorocaba|Contagem|Aracaju|
    Feira de Santana|Cuiabá|Joinville|Juiz de Fora|Londrina|Aparecida de Goiânia|Niterói|Porto Velho|
    Florianópolis|Caxias do Sul|Vila Velha|Macapá|Mauá|São João de Meriti|Santos|Mogi das Cruzes|Betim|
    Diadema|Jundiaí|Campina Grande|Maringá|Montes Claros|Piracicaba|Carapicuíba|Olinda|Cariacica|
    Rio Branco|Anápolis|Bauru|Vitória|Caucaia|Itaquaquecetuba|São José do Rio Preto|Boa Vista|Palmas|
    Franca|Blumenau|Petrópolis|Ponta Grossa|Uberaba|Cascavel|Vitória da Conquista|Limeira|Guarujá|
    Taubaté|Praia Grande|Petrolina|Santa Maria|Governador Valadares|Gravataí|Foz do Iguaçu|Volta Redonda|
    Chapecó|Valinhos|Vinhedo|Indaiatuba|Sumaré|Americana|Hortolândia|São Carlos|Araraquara|Pelotas|
    Canoas|Novo Hamburgo|São Leopoldo|Balneário Camboriú|Itajaí|Criciúma|Cabo Frio|Búzios|Paraty|
    Gramado|Ilhéus|Porto Seguro|Caruaru|Mossoró|Imperatriz|Sobral|Juazeiro do Norte|Arapiraca|Marabá|
    Santarém|Parnamirim|Rondonópolis|Dourados|Sete Lagoas|Ipatinga|Divinópolis|Poços de Caldas|
    Lages|Guarapuava|Foz do Iguaçu|Bertioga|Ubatuba|Atibaia|Bragança Paulista|Jacareí|São Vicente""".split(
        "|"
    )
    for name in [" ".join(name.split())]
}
_CITIES.update({"sampa": "São Paulo", "floripa": "Florianópolis", "bh": "Belo Horizonte",
                "poa": "Porto Alegre", "rio": "Rio de Janeiro", "brasilia df": "Brasília"})
_CITY_TABLE = _table([(folded, display) for folded, display in _CITIES.items()])
_UFS = frozenset(
    "ac al ap am ba ce df es go ma mt ms mg pa pb pr pe pi rj rn rs ro rr sc sp se to".split()
)
_CITY_STOP = frozenset(
    """breve casa dia dias destaque promocao portugues ingles espanhol english portuguese spanish
    wordpress instagram facebook google tiktok youtube linkedin centro geral especial seguida conta
    ordem tempo alta estoque frente cima baixo todo todos toda todas qualquer ate minha meu nosso nossa
    um uma the a an my our your touch stock mind mente vez vezes janeiro fevereiro marco abril maio
    junho julho agosto setembro outubro novembro dezembro segunda terca quarta quinta sexta sabado
    domingo january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday brasil brazil portugal eua usa bairro
    shopping html css php site sites website online linha line horario hours anexo andamento
    construcao manutencao obras""".split()
) | _UFS


# --------------------------------------------------------------------------------------
# Industry


def _is_brand(tok: _Tok) -> bool:
    """An option word that cannot be part of a name (WhatsApp, PIX, iFood, LGPD, ...)."""
    kind = _option_words().get(tok.fold)
    if kind is None:
        return False
    text = tok.text
    return kind != "flag" or not text[:1].isupper() or any(c.isupper() for c in text[1:])


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


# --------------------------------------------------------------------------------------
# Business name


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


_QUOTED_RE = re.compile(
    r'"([^"]{1,150})"|“([^”"]{1,150})[”"]|«([^»]{1,150})»|‘([^’]{1,150})’|(?<!\w)\'([^\'\n]{1,150})\'(?!\w)'
)


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


# --------------------------------------------------------------------------------------
# City


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


# --------------------------------------------------------------------------------------
# Language, options, template


def _language(toks: list[_Tok], skip: list[tuple[int, int]]) -> Language:
    """English when the words outside names and quotes are clearly English, else pt_BR."""
    en = pt = 0
    for tok in toks:
        if not tok.word or any(a <= tok.start < b for a, b in skip):
            continue
        en += tok.fold in _EN_MARKERS
        pt += tok.fold in _PT_MARKERS
    return "en_US" if (en > pt and en >= 2) or (en >= 1 and pt == 0) else "pt_BR"


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


# --------------------------------------------------------------------------------------


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

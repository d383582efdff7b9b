"""Names and identifiers: subdomains from business names, and the per-site identifiers.

Every identifier kenzy puts in a command, a config file or SQL comes from here and matches
``[a-z0-9_-]``, so nothing a user types reaches a shell, a config or a query unescaped.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from kenzy.errors import InvalidInput

__all__ = [
    "MAX_NAME_LENGTH",
    "RESERVED_SUBDOMAINS",
    "identifier",
    "slugify",
    "subdomain_for",
    "validate_business_name",
    "validate_subdomain",
]

MAX_NAME_LENGTH = 120
MAX_SUBDOMAIN_LENGTH = 63
SLUG_LENGTH = 40
IDENTIFIER_LENGTH = 30  # unix user names stop at 32; MariaDB users at 80, databases at 64

RESERVED_SUBDOMAINS = frozenset(
    """www admin administrator api mail email smtp imap pop pop3 ftp sftp ssh ns ns1 ns2 ns3
    dns mx localhost root kenzy static cdn assets webmail cpanel whm autodiscover autoconfig
    dashboard panel status support help billing app apps test staging dev wp wordpress
    login auth sso oauth account accounts secure vpn proxy git registry metrics grafana""".split()
)

_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_FORBIDDEN_NAME_CHARS = set('"`$\\<>{}|;')


def slugify(text: str, *, max_length: int = SLUG_LENGTH) -> str:
    """Turn any text into a DNS label: ``"Restaurante São João 🍕"`` -> ``restaurante-sao-joao``."""
    text = re.sub(r"(?<=\w)['\u2019](?=\w)", "", text)  # "Joe's" -> "joes", not "joe-s"
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            if not slug:
                slug = word[:max_length]
            break
        slug = candidate
    return slug.strip("-")


def validate_business_name(name: str) -> str:
    """Return the name stripped, or raise `InvalidInput` saying what is wrong with it.

    Letters of any script, digits, emoji and ordinary punctuation (``' & . , - ( ) ! ?``) are
    fine; control characters and ``" ` $ \\ < > { } | ;`` are not.
    """
    if not isinstance(name, str):
        raise InvalidInput("business name", "must be text")
    stripped = " ".join(name.split())
    if not stripped:
        raise InvalidInput("business name", "is empty; give the business's name")
    if len(stripped) > MAX_NAME_LENGTH:
        raise InvalidInput(
            "business name", f"is {len(stripped)} characters long; the limit is {MAX_NAME_LENGTH}"
        )
    for char in name:
        if unicodedata.category(char) in {"Cc", "Cs", "Co"} or char in "\u2028\u2029":
            raise InvalidInput("business name", f"contains a control character (U+{ord(char):04X})")
        if char in _FORBIDDEN_NAME_CHARS:
            raise InvalidInput("business name", f"contains {char!r}, which is not allowed in a name")
    if ".." in stripped or "/" in stripped:
        raise InvalidInput("business name", "contains a path ('..' or '/'), which is not allowed")
    if not slugify(stripped):
        raise InvalidInput(
            "business name", "has no letters or digits to build a subdomain from; pass --subdomain"
        )
    return stripped


def validate_subdomain(subdomain: str) -> str:
    """Return the subdomain if it is a valid, unreserved DNS label, else raise `InvalidInput`."""
    if not isinstance(subdomain, str) or not subdomain:
        raise InvalidInput("subdomain", "is empty")
    if len(subdomain) > MAX_SUBDOMAIN_LENGTH:
        raise InvalidInput(
            "subdomain", f"is {len(subdomain)} characters long; a DNS label holds at most 63"
        )
    if not _LABEL.match(subdomain):
        raise InvalidInput(
            "subdomain",
            f"{subdomain!r} must be lowercase letters, digits and inner hyphens (a DNS label)",
        )
    if subdomain[2:4] == "--":
        raise InvalidInput("subdomain", f"{subdomain!r} has '--' at positions 3-4 (reserved for IDN)")
    if subdomain in RESERVED_SUBDOMAINS:
        raise InvalidInput("subdomain", f"{subdomain!r} is reserved; choose another")
    return subdomain


def subdomain_for(name: str) -> str:
    """The subdomain kenzy derives from a business name (validated)."""
    slug = slugify(validate_business_name(name))
    if slug in RESERVED_SUBDOMAINS or slug[2:4] == "--":
        slug = f"{slug}-site"
    return validate_subdomain(slug)


def identifier(subdomain: str) -> str:
    """The per-site identifier used for the unix user, database, DB user and Redis user.

    ``kz_`` plus the subdomain with ``_`` for ``-``; long subdomains are cut and get a hash
    suffix so the result stays within 30 characters and stays unique.
    """
    validate_subdomain(subdomain)
    base = "kz_" + subdomain.replace("-", "_")
    if len(base) < IDENTIFIER_LENGTH:
        return base
    # Hashed identifiers are exactly IDENTIFIER_LENGTH long and plain ones shorter: no overlap.
    digest = hashlib.sha256(subdomain.encode()).hexdigest()[:8]
    return f"{base[: IDENTIFIER_LENGTH - 9]}_{digest}"

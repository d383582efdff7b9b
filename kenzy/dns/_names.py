"""DNS names: labels checked, IDN converted to punycode, zones matched."""

from __future__ import annotations

import re

from kenzy.errors import InvalidInput

__all__ = ["absolute", "label", "normalize", "within"]

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_SERVICE = re.compile(r"^_[a-z0-9][a-z0-9-]{0,61}$")


def label(text: str) -> str:
    """A single DNS label in ASCII: IDN converted to punycode (``são`` -> ``xn--so-7ka``).

    Raises:
        InvalidInput: empty, over 63 characters, underscores or other characters DNS labels
            cannot hold.
    """
    if not text:
        raise InvalidInput("DNS label", "is empty")
    try:
        ascii_label = text.lower().encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidInput("DNS label", f"{text!r} cannot be converted to a DNS name") from None
    if len(ascii_label) > 63:
        raise InvalidInput("DNS label", f"{text!r} is {len(ascii_label)} characters long; a label holds at most 63")
    if not _LABEL.match(ascii_label):
        raise InvalidInput("DNS label", f"{text!r} has characters a DNS label cannot hold (letters, digits, inner hyphens)")
    return ascii_label


def normalize(name: str) -> str:
    """A full name in lowercase ASCII without the trailing dot, each label checked.

    The first label may be a service label (``_acme-challenge``); host labels may not hold
    underscores.
    """
    stripped = name.strip().rstrip(".")
    if not stripped:
        raise InvalidInput("DNS name", "is empty")
    first, *rest = stripped.split(".")
    head = first.lower() if _SERVICE.match(first.lower()) else label(first)
    result = ".".join([head, *(label(part) for part in rest)])
    if len(result) > 253:
        raise InvalidInput("DNS name", "is longer than 253 characters")
    return result


def absolute(name: str) -> str:
    """``name`` with the trailing dot DNS APIs want."""
    return normalize(name) + "."


def within(name: str, zone: str) -> bool:
    """True when ``name`` is ``zone`` or below it."""
    name, zone = normalize(name), normalize(zone)
    return name == zone or name.endswith("." + zone)

"""Kubernetes resource quantities (``500m``, ``1``, ``512Mi``, ``1e3``): parse, add, print."""

from __future__ import annotations

import re
from decimal import Decimal

__all__ = ["cpu_text", "memory_text", "parse_quantity"]

_QUANTITY = re.compile(r"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?[0-9]+)|(m|k|M|G|T|P|E)?)$")
_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"m": Decimal("0.001"), "": Decimal(1), "k": Decimal(10) ** 3, "M": Decimal(10) ** 6,
            "G": Decimal(10) ** 9, "T": Decimal(10) ** 12, "P": Decimal(10) ** 15, "E": Decimal(10) ** 18}


def parse_quantity(value: object) -> Decimal:
    """The quantity's value in base units (cores, bytes), exactly.

    Raises:
        ValueError: ``value`` is not a quantity in Kubernetes' grammar.
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a quantity")
    if isinstance(value, int | float):
        return Decimal(str(value))
    match = _QUANTITY.match(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"{value!r} is not a quantity (e.g. 500m, 1, 512Mi, 1Gi)")
    number, binary, exponent, decimal = match.groups()
    base = Decimal(number)
    if binary:
        return base * _BINARY[binary]
    if exponent is not None:
        return base.scaleb(int(exponent))
    return base * _DECIMAL[decimal or ""]


def cpu_text(cores: Decimal) -> str:
    """Cores as millicores (``1500m``)."""
    return f"{int((cores * 1000).to_integral_value(rounding='ROUND_CEILING'))}m"


def memory_text(size: Decimal) -> str:
    """Bytes as whole MiB, rounded up (``1536Mi``)."""
    return f"{int((size / 2**20).to_integral_value(rounding='ROUND_CEILING'))}Mi"

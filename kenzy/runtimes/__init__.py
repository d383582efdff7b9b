"""Runtimes: where sites run. ``local`` (one machine, the default) and, later, ``kubernetes``."""

__all__: list[str] = []

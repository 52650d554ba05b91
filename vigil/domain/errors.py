"""Errors the domain raises: each names the field at fault and the reason."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was broken. ``field`` is a dotted path, ``reason`` a sentence."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason

"""Who is doing something: every service call names its actor."""

from __future__ import annotations

from dataclasses import dataclass

from vigil.domain.enums import UserRole


@dataclass(frozen=True, slots=True)
class Actor:
    username: str
    role: UserRole

    def __str__(self) -> str:
        return self.username

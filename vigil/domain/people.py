"""Persons on a case and their identifiers."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from vigil.domain.base import Value, When
from vigil.domain.enums import IdentifierKind, Role, Sex
from vigil.domain.identifiers import normalise


class Identifier(Value):
    """A phone, e-mail, address, handle, alias or name, with its canonical form."""

    kind: IdentifierKind
    value: str = Field(min_length=1)
    normalised: str = ""

    @model_validator(mode="after")
    def _normalise(self) -> Identifier:
        canonical = normalise(self.kind, self.value)
        if self.normalised and self.normalised != canonical:
            raise ValueError(f"normalised form should be '{canonical}'")
        object.__setattr__(self, "normalised", canonical)
        return self


class PersonEntry(Value):
    """A person as they appear on one case. ``ref`` is stable across cases: the same ref on two
    cases is the same person."""

    ref: str = Field(min_length=1, max_length=100)
    name: str | None = None
    sex: Sex = Sex.UNKNOWN
    date_of_birth: date | None = None
    roles: tuple[Role, ...] = Field(min_length=1)
    identifiers: tuple[Identifier, ...] = ()
    statement: str | None = Field(default=None, description="What they told police, free text.")
    known_at: When | None = None

    def all_identifiers(self) -> tuple[Identifier, ...]:
        """Their identifiers, with the name among them."""
        if self.name and not any(
            i.kind is IdentifierKind.NAME and i.value == self.name for i in self.identifiers
        ):
            return (Identifier(kind=IdentifierKind.NAME, value=self.name), *self.identifiers)
        return self.identifiers

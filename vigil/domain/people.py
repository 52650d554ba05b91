"""Persons on a case and their identifiers."""

from __future__ import annotations

from datetime import date

from pydantic import Field, field_validator, model_validator

from vigil.domain import limits
from vigil.domain.base import Value, When
from vigil.domain.enums import IdentifierKind, Role, Sex
from vigil.domain.identifiers import normalise


def _canonical(kind: IdentifierKind, value: str) -> str:
    """The identifier's normalised form, as stored; ValueError if there is none or it is too
    long to store (normalising can lengthen: 'RD' becomes 'ROAD')."""
    result = normalise(kind, value)
    if len(result) > limits.IDENTIFIER:
        raise ValueError(
            f"normalised it has {len(result)} characters; at most {limits.IDENTIFIER} are stored"
        )
    return result


class Identifier(Value):
    """A phone, e-mail, address, handle, alias or name, with its canonical form."""

    kind: IdentifierKind
    value: str = Field(min_length=1, max_length=limits.IDENTIFIER)
    normalised: str = Field(default="", max_length=limits.IDENTIFIER)

    @model_validator(mode="after")
    def _normalise(self) -> Identifier:
        form = _canonical(self.kind, self.value)
        if self.normalised and self.normalised != form:
            raise ValueError(f"normalised form should be '{form}'")
        object.__setattr__(self, "normalised", form)
        return self


class PersonEntry(Value):
    """A person as they appear on one case. ``ref`` is stable across cases: the same ref on two
    cases is the same person. Vigil allocates it (it cannot be guessed); a ref given when
    recording someone names a person already recorded on a case the recorder may see (by
    their ref, or by the ref given for them there), and otherwise someone new, whose given
    ref then names them on that case (``vigil.services.casework.writers.persons``)."""

    ref: str = Field(
        default="",
        max_length=limits.PERSON_REF,
        description="The person's reference. Leave it empty for someone new; give the "
        "reference of someone already recorded on a case you may see to name them again.",
    )
    name: str | None = Field(default=None, max_length=limits.PERSON_NAME)
    sex: Sex = Sex.UNKNOWN
    date_of_birth: date | None = None
    roles: tuple[Role, ...] = Field(min_length=1)
    identifiers: tuple[Identifier, ...] = ()
    statement: str | None = Field(
        default=None, max_length=limits.NARRATIVE, description="What they told police, free text."
    )
    known_at: When | None = None

    @field_validator("name")
    @classmethod
    def _name_is_an_identifier(cls, name: str | None) -> str | None:
        # The name is stored among the identifiers too (all_identifiers), so it must make one.
        if name:
            _canonical(IdentifierKind.NAME, name)
        return name

    def all_identifiers(self) -> tuple[Identifier, ...]:
        """Their identifiers, with the name among them."""
        if self.name and not any(
            i.kind is IdentifierKind.NAME and i.value == self.name for i in self.identifiers
        ):
            return (Identifier(kind=IdentifierKind.NAME, value=self.name), *self.identifiers)
        return self.identifiers

"""What a service refuses, and why. Faces turn these into messages beside the field."""

from __future__ import annotations

import re
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from vigil.domain.errors import DomainError

V = TypeVar("V", bound=BaseModel)


class ServiceError(Exception):
    """Base class: something was refused and nothing was changed."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field = field
        self.reason = reason


class Invalid(ServiceError):
    """The input breaks a rule: ``field`` names it, ``reason`` says why."""

    @classmethod
    def from_domain(cls, error: DomainError, prefix: str = "") -> Invalid:
        return cls(f"{prefix}{error.field}", error.reason)

    @classmethod
    def from_pydantic(cls, error: ValidationError, prefix: str = "") -> Invalid:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        named = re.match(r"^([\w.]+): (.+)$", message)
        if named:  # a whole-record check that names the field itself
            field = f"{field}.{named.group(1)}" if field else named.group(1)
            message = named.group(2)
        return cls(f"{prefix}{field}" if field else prefix.rstrip("."), message)


class NotFound(ServiceError):
    pass


class StaleVersion(ServiceError):
    """Someone else changed the case since the caller read it: refused, never overwritten."""


class Forbidden(ServiceError):
    pass


def checked(value: V) -> V:
    """``value`` validated again before it is written. A domain value built without validation
    (``model_construct``, or ``model_copy(update=...)``, which the domain itself uses) could
    otherwise carry what the domain refuses, a text too long for its column say, into the
    store; Invalid naming the field instead. Only the fields given are given again, so a
    report's unset fields stay unset."""
    try:
        return type(value).model_validate(value.model_dump(exclude_unset=True))
    except ValidationError as exc:
        raise Invalid.from_pydantic(exc) from None

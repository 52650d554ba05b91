"""What the read models of the services are made of. A read model is what a service returns
for a face to show: built already masked for the reader, frozen, and declared once, as a
pydantic model, so that the pages read its attributes and the API (``vigil.api``) uses the
same class as its response schema (its field descriptions are the OpenAPI document's)."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class ReadModel(BaseModel):
    """A service's answer to a reader: frozen; every field given by name."""

    model_config = ConfigDict(frozen=True)


class Window(ReadModel, Generic[T]):
    """One stretch of a list cut by ``offset`` and ``limit``, with the list's full count."""

    total: int = Field(description="Rows you may see that match, on every page.")
    limit: int
    offset: int
    items: list[T]

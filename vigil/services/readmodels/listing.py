"""Lists a page at a time: each list declares the keys it may be sorted by (anything else falls
back to its default order), and Django's ``Paginator`` counts and cuts the query in the
database. The reader's query comes already narrowed to what they may see (``visible_cases``),
so a case they may not see is neither counted nor paged."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.paginator import Paginator
from django.db.models import Case as Choose
from django.db.models import F, OrderBy, QuerySet, Value, When

from vigil.domain.enums import Category, RecordKind
from vigil.services.errors import Invalid
from vigil.services.readmodels.units import ALL_UNITS, units_under

T = TypeVar("T")

Rows = TypeVar("Rows", bound=QuerySet[Any])

#: The most rows one page may hold, whatever a caller asks for.
MAX_SIZE = 100


@dataclass(frozen=True)
class Sort:
    """One way a list may be sorted: its columns (first to last) and the direction that is
    natural for it (a date newest first, a name A to Z)."""

    columns: tuple[str, ...]
    descending_first: bool = False

    def order(self, descending: bool) -> list[OrderBy]:
        return [
            F(c).desc(nulls_last=True) if descending else F(c).asc(nulls_last=True)
            for c in self.columns
        ]


@dataclass(frozen=True)
class Order:
    """The order a list was read in: the key (one of the list's sorts) and the direction."""

    key: str
    descending: bool


def choose_order(
    sorts: Mapping[str, Sort], key: str | None, direction: str | None, default: str
) -> Order:
    """The order asked for, if the list allows it; otherwise the list's default. ``direction``
    is 'asc' or 'desc'; anything else means the key's natural direction."""
    if key not in sorts:
        key = default
    assert key is not None
    if direction in ("asc", "desc"):
        return Order(key, direction == "desc")
    return Order(key, sorts[key].descending_first)


@dataclass(frozen=True)
class Listing(Generic[T]):
    """One page of a list: its rows, the total, the page shown and the pages around it
    (``None`` where pages are left out), and the order it was read in."""

    rows: list[T]
    total: int
    number: int
    pages: int
    size: int
    order: Order | None
    page_range: tuple[int | None, ...]

    @property
    def start(self) -> int:
        """The position of the first row shown (1 for the first), 0 if there is none."""
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def end(self) -> int:
        return self.start + len(self.rows) - 1 if self.rows else 0

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def has_prev(self) -> bool:
        return self.number > 1


def paginate(
    rows: Sequence[Any] | Any,
    number: object,
    size: int,
    make: Callable[[Any], T],
    order: Order | None = None,
) -> Listing[T]:
    """The page ``number`` of ``rows`` (a query, ordered, or a list), each row made by
    ``make``. A page that is not a number is the first; one past the end is the last."""
    size = max(1, min(size, MAX_SIZE))
    paginator = Paginator(rows, size)
    try:  # below the first page is the first (Django's ``get_page`` would give the last)
        number = max(1, int(str(number)))
    except ValueError:
        number = 1
    page = paginator.get_page(number)
    return Listing(
        [make(r) for r in page.object_list],
        paginator.count,
        page.number,
        paginator.num_pages,
        size,
        order,
        _around(paginator, page.number),
    )


def _around(paginator: Paginator[Any], number: int) -> tuple[int | None, ...]:
    """The page numbers to offer around ``number``: the first, the last, two either side;
    ``None`` where pages are left out."""
    around = paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)
    return tuple(p if isinstance(p, int) else None for p in around)


class Merged:
    """Lists each already in one order (queries or lists), read as one list in that order
    without reading them whole: counted by their own counts, and a slice ``[a:b]`` reads at
    most ``b`` rows of each. ``key`` gives the value a row is ordered by."""

    def __init__(self, *parts: Any, key: Callable[[Any], Any]) -> None:
        self.parts = parts
        self.key = key

    def count(self) -> int:
        return sum(p.count() if isinstance(p, QuerySet) else len(p) for p in self.parts)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Any]:
        start = index.start or 0
        stop = self.count() if index.stop is None else index.stop
        merged = heapq.merge(*(list(p[:stop]) for p in self.parts), key=self.key)
        return list(itertools.islice(merged, start, stop))


def page_of(
    rows: list[T], total: int, offset: int, size: int, order: Order | None = None
) -> Listing[T]:
    """A ``Listing`` for a page a service cut itself (``rows`` from ``offset``, of ``total``):
    the page numbers around it as ``paginate`` gives them."""
    paginator = Paginator(range(total), size)
    number = min(offset // size + 1, paginator.num_pages)
    pages = paginator.num_pages
    return Listing(rows, total, number, pages, size, order, _around(paginator, number))


def in_unit(query: Rows, unit: str, column: str = "unit") -> Rows:
    """``query`` narrowed to the cases of ``unit`` (a unit's code) and of every unit below it,
    its command unit read through ``column``; '' or ``ALL_UNITS`` leaves it whole. ``Invalid``
    (field ``unit``) for a code no unit has."""
    if not unit or unit == ALL_UNITS:
        return query
    return query.filter(**{f"{column}__in": units_under(unit)})


def of_kind(query: Rows, kind: str, column: str = "kind") -> Rows:
    """``query`` narrowed to the records of ``kind`` (a ``RecordKind`` value: deaths, drugging
    reports or intelligence entries); '' leaves it whole. ``Invalid`` (field ``kind``) for
    another value."""
    if not kind:
        return query
    if kind not in {k.value for k in RecordKind}:
        raise Invalid("kind", "choose a kind of record from the list")
    return query.filter(**{column: kind})


def category_rank(column: str) -> Choose:
    """The category in ``column`` as its rank (expected 0 ... homicide 3; none -1), so a list
    sorts categories by seriousness, not by their spelling."""
    return Choose(
        *[When(**{column: c.value}, then=Value(c.rank)) for c in Category], default=Value(-1)
    )


def category_label(value: str) -> str:
    """The category's label as the policy names it ('Unexpected, under investigation'), or ''
    for none."""
    try:
        return Category(value).label
    except ValueError:
        return value.replace("_", " ").capitalize()

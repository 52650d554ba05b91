"""Full-text search across cases, persons and identifiers, as the reader may see them.

A case is found when every term of the query is in one of its documents (each term may be in a
different one): its reference, place type and substances; where it was found and who gave the
first account; the deceased's name and home address, the circumstances and the first account;
what a drugging report gives of the person reported (handle, name used, phone, address, app,
description: identities) and the substances suspected, and an intelligence entry's source;
the name of each person on it; each of their identifiers (phone, e-mail, address, handle,
alias, name). A term is a run of characters between spaces; its words are looked for together
("DEMO-2015-000123", "sam@example.com"). Words match from their start ("test" finds
"Testperson"); a query that looks like a phone number is also looked for in its canonical form
(``07700900461`` finds ``07700 900461`` and ``+447700900461``).

Need-to-know and masking come first: results start from ``visible_cases`` (a restricted case
the reader is not named on is never found, nor counted), and a document is searched only if
the reader may see it (its ``guard``): 'open' documents by everyone; 'identity' ones (people's
names, addresses, identifiers) only with ``see_identities``; 'victim' ones (who the deceased
was, and free text that may name them) only with ``see_identities`` and, on a restricted case,
``see_sensitive``, exactly as ``vigil.domain.masking`` withholds them. So a search never
confirms a name the case page would withhold. Every search is audited as a consultation, with
its words.

The index (migrations ``records.0006_search_index`` and ``0020_search_other_kinds``): on
SQLite an FTS5 table with one row per case (rowid = the case's id) and one column per guard,
rebuilt by triggers whenever a case, a person on it or an identifier changes, so every writer
keeps it current; on PostgreSQL django.contrib.postgres' ``SearchVector`` over the tables' own
columns, with a GIN index on each expression (``VECTORS`` here must stay identical to the
migrations'), each term being the union of the cases its documents' indexes find.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection, transaction
from django.db.models import (
    Count,
    Exists,
    Expression,
    F,
    Func,
    Model,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    Window,
)
from django.db.models.expressions import RawSQL
from pydantic import Field

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain import kinds
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.identifiers import normalise_phone
from vigil.domain.masking import Redactor
from vigil.records import models as m
from vigil.services.access.masking import case_redactor, shown_name
from vigil.services.access.rules import may, require, visible_cases
from vigil.services.errors import Invalid
from vigil.services.readmodels.listing import Order, Sort, choose_order, of_kind
from vigil.services.readmodels.shapes import ReadModel

MAX_LENGTH = 200
MAX_WORDS = 10
_WORD = re.compile(r"[^\W_]+")
_PHONE_LIKE = re.compile(r"\+?\(?\d[\d\s().-]{5,}\d")

# A term is matched when one of its alternatives is; an alternative is a run of words that must
# all be in one document ("07700 900461" as written, or "447700900461" as normalised).
Alternative = tuple[str, ...]
Term = tuple[Alternative, ...]


class Guard(StrEnum):
    OPEN = "open"
    IDENTITY = "identity"
    VICTIM = "victim"


def fold(text: str) -> str:
    """Lower case without accents, as SQLite's tokenizer folds words (PostgreSQL's 'simple'
    configuration keeps the accents, so the query's words keep them too)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def parse(text: str) -> list[Term]:
    """The terms of a query: each run of characters between spaces is one term, whose words
    must all be in one document ("DEMO-2015-000123", "sam@example.com"); a query that looks
    like a phone number is one term that also matches the number's canonical form. ``Invalid``
    (field 'q') when it has no words or is too long."""
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise Invalid("q", f"a search can be at most {MAX_LENGTH} characters long")
    words = words_of(text)
    if not words:
        raise Invalid("q", "enter a name, phone number, address, place or reference")
    if len(words) > MAX_WORDS:
        raise Invalid("q", f"a search can have at most {MAX_WORDS} words")
    if _PHONE_LIKE.fullmatch(text) and sum(c.isdigit() for c in text) >= 7:
        alternatives: list[Alternative] = []
        with contextlib.suppress(ValueError):  # not a number phonenumbers accepts
            alternatives.append((normalise_phone(text).lstrip("+"),))
        alternatives += [("".join(words),), tuple(dict.fromkeys(words))]
        return [tuple(dict.fromkeys(alternatives))]
    chunks = (tuple(dict.fromkeys(words_of(chunk))) for chunk in text.split())
    return [(chunk,) for chunk in dict.fromkeys(c for c in chunks if c)]


# --- which documents the reader may search ---------------------------------------------------


@dataclass(frozen=True)
class Reach:
    """The guards a reader may match: ``victim_restricted`` says whether 'victim' documents of
    restricted cases count too."""

    identities: bool
    victim_restricted: bool

    @classmethod
    def of(cls, actor: Actor) -> Reach:
        identities = may(actor, Permission.SEE_IDENTITIES)
        return cls(identities, identities and may(actor, Permission.SEE_SENSITIVE))

    def allows(self, guard: Guard, restricted: bool) -> bool:
        if guard is Guard.OPEN:
            return True
        if guard is Guard.IDENTITY:
            return self.identities
        return self.identities and (self.victim_restricted or not restricted)


# --- SQLite: the FTS5 table ------------------------------------------------------------------


def _fts(columns: tuple[str, ...], terms: list[Term]) -> str:
    """An FTS5 query: every term in the row's ``columns`` (one column per guard)."""

    def word(w: str) -> str:
        return f'"{w}"*' if len(w) > 1 else f'"{w}"'

    def term(t: Term) -> str:
        return "(" + " OR ".join("(" + " AND ".join(word(w) for w in alt) + ")" for alt in t) + ")"

    return "{" + " ".join(columns) + "} : (" + " AND ".join(term(t) for t in terms) + ")"


def _sqlite_filter(terms: list[Term], reach: Reach) -> Q:
    """Cases (the FTS5 rowid is the case's id) whose documents the reader may see hold every
    term; a restricted case's 'victim' column counts only with ``see_sensitive``."""

    def match(*columns: str) -> Q:
        sql = "SELECT rowid FROM vigil_search WHERE vigil_search MATCH %s"
        return Q(pk__in=RawSQL(sql, (_fts(columns, terms),)))

    if not reach.identities:
        return match(Guard.OPEN)
    if reach.victim_restricted:
        return match(Guard.OPEN, Guard.IDENTITY, Guard.VICTIM)
    return match(Guard.OPEN, Guard.IDENTITY, Guard.VICTIM) & (
        Q(restricted=False) | match(Guard.OPEN, Guard.IDENTITY)
    )


# --- PostgreSQL: SearchVector and GIN indexes ------------------------------------------------


class JsonText(Func):
    """``state -> 'a' ->> 'b'`` with literal keys, as the migration's index writes it."""

    output_field = TextField()

    def __init__(self, column: str, *keys: str) -> None:
        *path, last = keys
        steps = "".join(f" -> '{k}'" for k in path) + f" ->> '{last}'"
        super().__init__(F(column), template=f"(%(expressions)s{steps})")


def _words(expression: Expression | str) -> Func:
    source = F(expression) if isinstance(expression, str) else expression
    return Func(
        source,
        Value(r"[\W_]+"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def _vector(*expressions: Expression | str) -> SearchVector:
    return SearchVector(*(_words(e) for e in expressions), config="simple")


# What a drugging report and an intelligence entry hold (records.0020 indexes them): the
# substances suspected and the source are open; the person reported is an identity, as the
# name of a person on a case is.
_OPEN_OF_KINDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("drugging", "substances_suspected"), "substances suspected"),
    (("intelligence", "source"), "source"),
    (("intelligence", "source_reference"), "reference at the source"),
)
_PERSON_REPORTED: tuple[tuple[tuple[str, ...], str], ...] = (
    (("drugging", "app"), "app or website"),
    (("drugging", "handle"), "handle of the person reported"),
    (("drugging", "name_used"), "name the person reported used"),
    (("drugging", "phone"), "phone of the person reported"),
    (("drugging", "address"), "address of the person reported"),
    (("drugging", "description"), "description of the person reported"),
)

# Each document kind: the model it is in and its vector (the migration indexes each one).
VECTORS: dict[str, tuple[type[Model], Callable[[], SearchVector]]] = {
    "vigil_search_case_open": (
        m.Case,
        lambda: _vector(
            "reference",
            "place_type",
            JsonText("state", "toxicology", "substances"),
            *(JsonText("state", *path) for path, _ in _OPEN_OF_KINDS),
        ),
    ),
    "vigil_search_case_place": (
        m.Case,
        lambda: _vector(
            JsonText("state", "location", "address"),
            JsonText("state", "first_account", "given_by"),
            *(JsonText("state", *path) for path, _ in _PERSON_REPORTED),
        ),
    ),
    "vigil_search_case_text": (
        m.Case,
        lambda: _vector(
            "deceased_name",
            JsonText("state", "deceased", "home_address"),
            JsonText("state", "circumstances"),
            JsonText("state", "first_account", "account"),
        ),
    ),
    "vigil_search_person": (m.Person, lambda: _vector("name")),
    "vigil_search_identifier": (m.Identifier, lambda: _vector("value", "normalised")),
}


def _tsquery(term: Term) -> SearchQuery:
    def word(w: str) -> str:
        return f"{w}:*" if len(w) > 1 else w

    raw = " | ".join("(" + " & ".join(word(w) for w in alt) + ")" for alt in term)
    return SearchQuery(raw, search_type="raw", config="simple")


def matching(index: str, term: Term, column: str = "pk") -> QuerySet[Any]:
    """``column`` of the rows whose document ``index`` matches ``term`` (PostgreSQL)."""
    model, vector = VECTORS[index]
    found: QuerySet[Any] = (
        model._default_manager.annotate(_doc=vector())
        .filter(_doc=_tsquery(term))
        .order_by()
        .values(column)
    )
    return found


def _postgres_term(term: Term, reach: Reach) -> Q:
    """Cases with a document the reader may see that matches ``term``: the union of the case
    ids each document's GIN index finds."""
    found = matching("vigil_search_case_open", term)
    if reach.identities:
        place = matching("vigil_search_case_place", term)
        texts = matching("vigil_search_case_text", term)
        persons = m.CasePerson.objects.filter(person__in=matching("vigil_search_person", term))
        identifiers = matching("vigil_search_identifier", term, "case_id")
        if not reach.victim_restricted:
            texts = texts.filter(restricted=False)
            persons = persons.exclude(case__restricted=True, roles__contains=["deceased"])
            deceased = m.CasePerson.objects.filter(
                case=OuterRef("case_id"), person=OuterRef("person_id"), roles__contains=["deceased"]
            )
            identifiers = identifiers.exclude(Q(case__restricted=True) & Exists(deceased))
        found = found.union(
            place, texts, persons.order_by().values("case_id"), identifiers, all=True
        )
    return Q(pk__in=found)


def _filter(terms: list[Term], reach: Reach) -> Q:
    if connection.vendor == "postgresql":
        found = Q()
        for term in terms:
            found &= _postgres_term(term, reach)
        return found
    if connection.vendor == "sqlite":
        return _sqlite_filter(terms, reach)
    raise NotImplementedError(f"full-text search is not written for {connection.vendor}")


# --- what matched, for the results page ------------------------------------------------------


class Match(ReadModel):
    """One document of a found case that holds words of the query: 'caller', 'Sam Testperson'."""

    field: str
    text: str


class Hit(ReadModel):
    """A case found, as the reader may see it."""

    reference: str
    reported_at: datetime | None
    place_type: str
    deceased: str
    category: str
    matches: tuple[Match, ...] = Field(description="What matched, as you may see it.")
    kind: str = Field(default="death", description="death, drugging or intelligence.")

    @property
    def kind_label(self) -> str:
        return kinds.noun(self.kind).capitalize()


class Results(ReadModel):
    """A page of what a search found."""

    query: str
    total: int
    offset: int
    limit: int
    hits: list[Hit]
    order: Order | None = Field(default=None, exclude=True)  # how the pages sorted them

    @property
    def has_next(self) -> bool:
        return self.offset + self.limit < self.total

    @property
    def has_prev(self) -> bool:
        return self.offset > 0


@dataclass(frozen=True)
class _Document:
    field: str
    text: str
    guard: Guard
    free_text: bool = False


SNIPPET = 60  # characters either side of the first word found in a free text


def _matched_at(text: str, terms: list[Term]) -> int | None:
    """Where in ``text`` the first word of the query is, if every word of some alternative of
    some term is in it."""
    spans = [(fold(w.group()), w.start()) for w in _WORD.finditer(text)]

    def hit(word: str, query: str) -> bool:
        query = fold(query)
        return word.startswith(query) if len(query) > 1 else word == query

    first: int | None = None
    for term in terms:
        for alternative in term:
            starts = []
            for query in alternative:
                at = next((start for word, start in spans if hit(word, query)), None)
                if at is None:
                    break
                starts.append(at)
            else:
                first = min([*starts, *([] if first is None else [first])])
    return first


def _snippet(text: str, at: int) -> str:
    start, end = max(0, at - SNIPPET), min(len(text), at + SNIPPET)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def _state(case: m.Case, *path: str) -> str:
    node: Any = case.state or {}
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    if isinstance(node, list):
        return ", ".join(str(v) for v in node)
    return str(node) if node else ""


def _case_documents(case: m.Case) -> list[_Document]:
    g = Guard
    return [
        _Document("reference", case.reference, g.OPEN),
        _Document("place type", case.place_type.replace("_", " "), g.OPEN),
        _Document("substances", _state(case, "toxicology", "substances"), g.OPEN),
        _Document("where found", _state(case, "location", "address"), g.IDENTITY),
        _Document("first account given by", _state(case, "first_account", "given_by"), g.IDENTITY),
        _Document("deceased", case.deceased_name, g.VICTIM),
        _Document("deceased's home address", _state(case, "deceased", "home_address"), g.VICTIM),
        _Document("circumstances", _state(case, "circumstances"), g.VICTIM, free_text=True),
        _Document("first account", _state(case, "first_account", "account"), g.VICTIM, True),
        *(_Document(label, _state(case, *path), g.OPEN) for path, label in _OPEN_OF_KINDS),
        *(
            _Document(label, _state(case, *path), g.IDENTITY, free_text=path[-1] == "description")
            for path, label in _PERSON_REPORTED
        ),
    ]


def _people_documents(cases: Iterable[m.Case]) -> dict[int, list[_Document]]:
    """The persons on these cases and their identifiers, as documents, by case."""
    out: dict[int, list[_Document]] = {}
    deceased: set[tuple[int, int]] = set()
    holders: dict[tuple[int, int], str] = {}
    for cp in m.CasePerson.objects.filter(case__in=cases).select_related("person").order_by("pk"):
        roles = [str(r) for r in cp.roles]
        victim = "deceased" in roles
        if victim:
            deceased.add((cp.case_id, cp.person_id))
        who = ", ".join(r.replace("_", " ") for r in roles) or "person"
        holders[(cp.case_id, cp.person_id)] = f"{who} {cp.person.name}".strip()
        guard = Guard.VICTIM if victim else Guard.IDENTITY
        out.setdefault(cp.case_id, []).append(_Document(who, cp.person.name, guard))
    identifiers = m.Identifier.objects.filter(case__in=cases).select_related("person")
    for ident in identifiers.order_by("pk"):
        key = (ident.case_id, ident.person_id)
        if ident.kind == "name" and fold(ident.value) == fold(ident.person.name):
            continue  # the person's own name: their document already
        guard = Guard.VICTIM if key in deceased else Guard.IDENTITY
        text = (
            ident.value
            if ident.value == ident.normalised
            else f"{ident.value} ({ident.normalised})"
        )
        holder = holders.get(key, "")
        out.setdefault(ident.case_id, []).append(
            _Document(f"{ident.kind} of {holder}" if holder else ident.kind, text, guard)
        )
    return out


def _matches(
    actor: Actor, case: m.Case, documents: list[_Document], terms: list[Term], reach: Reach
) -> tuple[Match, ...]:
    found: list[Match] = []
    redact: Redactor | None = None
    for doc in documents:
        if not doc.text or not reach.allows(doc.guard, case.restricted):
            continue
        at = _matched_at(doc.text, terms)
        if at is None:
            continue
        text = doc.text
        if doc.free_text:
            redact = redact or case_redactor(actor, case)
            text = redact(_snippet(text, at))
        found.append(Match(field=doc.field, text=text))
    return tuple(found)


#: What search results may be sorted by (never the deceased's name, which some roles may not
#: see).
SEARCH_SORTS = {
    "reported": Sort(("reported_at", "reference"), descending_first=True),
    "reference": Sort(("reference",)),
}


def search_cases(
    actor: Actor,
    text: str,
    *,
    face: str,
    limit: int = 20,
    offset: int = 0,
    sort: str | None = None,
    direction: str | None = None,
    kind: str = "",
) -> Results:
    """The cases the actor may see in which every word of ``text`` is found (in documents they
    may see), most recently reported first, with what matched, of one ``kind`` of record if
    given (``of_kind``); audited as a consultation with the query. ``Invalid`` (field 'q')
    for a query with no words or too long."""
    require(actor, Permission.SEARCH)
    terms = parse(text)
    limit, offset = max(1, min(limit, 100)), max(0, offset)
    order = choose_order(SEARCH_SORTS, sort, direction, "reported")
    reach = Reach.of(actor)
    query = of_kind(visible_cases(actor), kind).filter(_filter(terms, reach))
    with transaction.atomic():
        # One pass: the page's ids (sorted alone: a case's row is large) with the count of
        # every match beside them; the rows of the page are read afterwards.
        ordered = query.order_by(*SEARCH_SORTS[order.key].order(order.descending))
        counted = ordered.annotate(_total=Window(Count("pk"))).values_list("pk", "_total")
        found = list(counted[offset : offset + limit])
        total = found[0][1] if found else (query.count() if offset else 0)
        if not found and total:  # a page past the end: the last page
            offset = (total - 1) // limit * limit
            found = list(counted[offset : offset + limit])
        ids = [pk for pk, _ in found]
        rows = m.Case.objects.in_bulk(ids)
        page = [rows[pk] for pk in ids]
        people = _people_documents(page)
        hits = [
            Hit(
                reference=case.reference,
                reported_at=case.reported_at,
                place_type=case.place_type,
                deceased=shown_name(actor, case),
                category=case.category,
                kind=case.kind,
                matches=_matches(
                    actor, case, _case_documents(case) + people.get(case.pk, []), terms, reach
                ),
            )
            for case in page
        ]
        payload = {
            "face": face,
            "count": len(hits),
            "total": total,
            "search": text.strip(),
            "full_text": True,
            **({"kind": kind} if kind else {}),
        }
        audit.record(actor.username, Event.CASES_LISTED, "cases", text.strip()[:100], payload)
    return Results(
        query=text.strip(), total=total, offset=offset, limit=limit, hits=hits, order=order
    )

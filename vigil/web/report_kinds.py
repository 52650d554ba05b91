"""The report form of each kind of record (``vigil.domain.kinds``), as data: a death's is the
field lists of ``vigil.web.report_fields``; a drugging report and an intelligence entry have their
own groups of fields, built from the same ``Field`` and ``Group`` and rendered by the same form
code (``vigil.web.reports``), which gives the report it posts the kind of its form (a new
report's kind is in the address: ``/cases/new/?kind=drugging``).

Fields a kind shares with a death keep their paths and take words of their own here: a drugging
report's ``found_at`` is "When it happened", its ``deceased`` the person harmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vigil.domain.enums import IntelligenceType, RecordKind, Reporter
from vigil.domain.report import DeathReport
from vigil.web.report_fields import (
    FIELDS,
    FIRST_PAGE,
    GROUPS,
    ROW_LEGENDS,
    SEXES,
    F,
    Field,
    Group,
    Section,
    Shown,
    ShownGroup,
    _choices,
    label_of,
    shown,
    value_at,
)

REPORTERS = _choices(Reporter, {"survivor": "The person harmed", "third_party": "Someone else"})
INTELLIGENCE_TYPES = _choices(
    IntelligenceType,
    {
        "prior_contact": "A prior police contact",
        "crime_report": "A crime report",
        "missing_person": "A missing-person report",
    },
)


def _place(legend: str) -> Group:
    paths = ("location.address", "location.place_type", "location.latitude", "location.longitude")
    return Group("where", legend, tuple(FIELDS[p] for p in paths), short="Place")


def _when() -> Group:
    return Group(
        "when",
        "When",
        (
            F("reported_at", "When it was reported", "datetime"),
            F("found_at", "When it happened", "datetime", hint="Your best estimate."),
        ),
    )


def _subject(legend: str, short: str, sensitive: bool) -> Group:
    fields = [
        F("deceased.name", "Name"),
        F("deceased.sex", "Sex", "radios", choices=SEXES),
        F("deceased.date_of_birth", "Date of birth", "date"),
        F("deceased.age", "Age", "int", inputmode="numeric", width="3", hint="In years."),
        F("deceased.home_address", "Home address"),
    ]
    if sensitive:
        fields += [FIELDS["deceased.sexuality"], FIELDS["deceased.drug_use"]]
    return Group("deceased", legend, tuple(fields), short=short)


DRUGGING_GROUPS: tuple[Group, ...] = (
    _when(),
    _place("Where it happened"),
    _subject("The person harmed", "Person harmed", sensitive=True),
    Group(
        "drugging",
        "What they tell us",
        (
            F("drugging.reporter", "Who is reporting it", "radios", choices=REPORTERS),
            F("drugging.met_via", "How they met the person", hint="For example, an app or a club."),
            F("drugging.app", "The app or website, if they met online"),
            F(
                "drugging.substances_suspected",
                "Substances they think were used",
                "list",
                hint="Separate them with commas, for example: ghb, alcohol.",
            ),
            F("drugging.wants_contact", "Do they want the police to contact them?", "tristate"),
        ),
        short="Report",
    ),
    Group(
        "reported",
        "The person reported",
        (
            F("drugging.name_used", "The name they used"),
            F("drugging.handle", "Their handle or user name"),
            F("drugging.phone", "Their phone number"),
            F("drugging.address", "An address linked to them"),
            F("drugging.description", "What they are like", "textarea"),
        ),
        short="Person reported",
    ),
    Group("circumstances", "What happened", (F("circumstances", "Their account", "textarea"),)),
)

INTELLIGENCE_GROUPS: tuple[Group, ...] = (
    _when(),
    Group(
        "intelligence",
        "The entry",
        (
            F("intelligence.type", "What it records", "radios", choices=INTELLIGENCE_TYPES),
            F("intelligence.source", "Where it comes from", hint="The system, force or team."),
            F("intelligence.source_reference", "Its reference there", hint="A crime number."),
        ),
        short="Entry",
    ),
    _place("Where it happened"),
    _subject("The person it is about", "Person", sensitive=False),
    Group("circumstances", "What the entry says", (F("circumstances", "The entry", "textarea"),)),
)


@dataclass(frozen=True)
class KindForm:
    """The report form of one kind of record: its words, its groups of fields (the first page
    of a new report, and all of them), its lists of repeated rows, and whether the policy
    (category, floor, checklist) speaks of it."""

    kind: RecordKind
    noun: str  # "Drugging report"
    record: str  # the words of the link that opens a new one: "Record a drugging report"
    groups: tuple[Group, ...]
    first_page: tuple[Group, ...]
    rows: tuple[str, ...] = ()
    subject: str = "Deceased"

    @property
    def policy(self) -> bool:
        return self.kind is RecordKind.DEATH

    @property
    def fields(self) -> dict[str, Field]:
        return {f.path: f for g in self.groups for f in g.fields}

    @property
    def first_page_paths(self) -> frozenset[str]:
        return frozenset(f.path for g in self.first_page for f in g.fields)

    @property
    def sections(self) -> dict[str, Section]:
        """The report's sections, each saved on its own (``vigil.web.report_sections``)."""
        groups = {g.key: Section(g.key, g.legend, group=g) for g in self.groups}
        return groups | {name: Section(name, ROW_LEGENDS[name], rows=name) for name in self.rows}

    def label_of(self, path: str) -> str:
        """Words for a path of this kind's report ("Person reported: their handle")."""
        for group in self.groups:
            for f in group.fields:
                if f.path == path:
                    if not group.short or group.short.lower() in f.label.lower():
                        return f.label
                    return f"{group.short}: {f.label[0].lower()}{f.label[1:]}"
        return label_of(path)

    def fact_shown(self, path: str, value: Any) -> Shown:
        """A fact's JSON value as the timeline shows it (a choice by its words)."""
        return shown(self.fields.get(path) or FIELDS.get(path), value)

    def report_rows(self, report: DeathReport) -> list[ShownGroup]:
        """The report as the case page shows it, group by group."""
        out = []
        for g in self.groups:
            values = [(f, shown(f, value_at(report, f.path))) for f in g.fields]
            known = [(f, v) for f, v in values if not v.unknown]
            out.append(ShownGroup(g, known, [f.label for f, v in values if v.unknown]))
        return out


FORMS: dict[RecordKind, KindForm] = {
    RecordKind.DEATH: KindForm(
        RecordKind.DEATH,
        "Death report",
        "Record a death",
        GROUPS,
        FIRST_PAGE,
        rows=tuple(ROW_LEGENDS),
    ),
    RecordKind.DRUGGING: KindForm(
        RecordKind.DRUGGING,
        "Drugging report",
        "Record a drugging report",
        DRUGGING_GROUPS,
        DRUGGING_GROUPS,
        subject="Person harmed",
    ),
    RecordKind.INTELLIGENCE: KindForm(
        RecordKind.INTELLIGENCE,
        "Intelligence entry",
        "Record intelligence",
        INTELLIGENCE_GROUPS,
        INTELLIGENCE_GROUPS,
        subject="Person it is about",
    ),
}


def form_for(kind: object) -> KindForm:
    """The form of a kind ('drugging', a RecordKind); a death's for anything else."""
    try:
        return FORMS[RecordKind(str(getattr(kind, "value", kind)))]
    except ValueError:
        return FORMS[RecordKind.DEATH]

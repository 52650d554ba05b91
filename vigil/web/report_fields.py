"""The death report's fields as the officers' pages present them: in the order an officer meets
them at the scene, with their labels, choices and kinds, and how a value reads on a page. The
report form (``vigil.web.forms``), the case page and the fact timeline share them.

A field's ``path`` is its place in ``vigil.domain.report.DeathReport`` ("scene.phone"); the form
(a Django form built from these lists, ``vigil.web.forms``) posts it under that name, and its
HTML id is the path with dots as dashes. Devices and CCTV are repeated rows, a formset each
("devices-0-kind").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString, mark_safe

from vigil.domain.enums import (
    CauseStatus,
    CctvStatus,
    DeviceStatus,
    InstitutionType,
    Mechanism,
    Outcome,
    PlaceType,
    Presence,
    Sex,
    ToxicologyStatus,
)
from vigil.domain.masking import WITHHELD
from vigil.domain.report import DeathReport

Choices = tuple[tuple[str, str], ...]
YES_NO_UNKNOWN: Choices = (("yes", "Yes"), ("no", "No"), ("unknown", "Not known"))
TRISTATE = {"yes": True, "no": False, "unknown": None, "": None}


def _choices(enum: type[StrEnum], labels: Mapping[str, str] | None = None) -> Choices:
    labels = labels or {}
    return tuple(
        (m.value, labels.get(m.value, m.value.replace("_", " ").capitalize())) for m in enum
    )


PLACE_TYPES = _choices(PlaceType, {"car_park": "Car park", "other_residence": "Another home"})
SEXES = _choices(Sex, {"unknown": "Not known"})
PRESENCE = _choices(Presence, {"present": "With the body", "unknown": "Not known"})
TOXICOLOGY = _choices(ToxicologyStatus)
CAUSE = _choices(CauseStatus, {"unknown": "Not known"})
MECHANISMS = _choices(
    Mechanism,
    {"drug_toxicity": "Drug toxicity", "natural": "Natural causes", "unknown": "Not known"},
)
INSTITUTIONS = _choices(InstitutionType)
OUTCOMES = _choices(
    Outcome,
    {
        "open": "Open: still being investigated",
        "charged": "Someone has been charged",
        "closed_no_charge": "Closed without a charge",
        "no_crime": "No crime: the death was not caused by anyone",
    },
)
DEVICE_STATUS = _choices(DeviceStatus)
CCTV_STATUS = _choices(CctvStatus)


@dataclass(frozen=True)
class Field:
    """One field of a form. ``kind`` is text, textarea, datetime, date, int, float, select,
    radios, tristate (yes / no / not known), checkbox, checkboxes, hidden or list
    (comma-separated); ``vigil.web.formfields`` makes each a Django field."""

    path: str
    label: str
    kind: str = "text"
    hint: str = ""
    choices: Choices = ()
    width: str = ""
    inputmode: str = ""

    @property
    def id(self) -> str:
        return self.path.replace(".", "-")

    @property
    def options(self) -> Choices:
        return YES_NO_UNKNOWN if self.kind == "tristate" else self.choices


@dataclass(frozen=True)
class Group:
    """A fieldset of the form (and a section of the report on the case page)."""

    key: str
    legend: str
    fields: tuple[Field, ...]
    hint: str = ""
    short: str = ""  # names the group in a fact's label ("Scene: ..."); empty: the label alone


def F(path: str, label: str, kind: str = "text", **extra: Any) -> Field:
    return Field(path, label, kind, **extra)


GROUPS: tuple[Group, ...] = (
    Group(
        "when",
        "When",
        (
            F("reported_at", "When the death was reported", "datetime"),
            F("found_at", "When the body was found", "datetime", hint="Your best estimate."),
        ),
    ),
    Group(
        "where",
        "Where the body was found",
        short="Place",
        fields=(
            F(
                "location.address",
                "Address or description of the place",
                hint="For example, St Testing's churchyard, London E6 2AB.",
            ),
            F("location.place_type", "Type of place", "select", choices=PLACE_TYPES),
            F(
                "location.latitude",
                "Latitude",
                "float",
                inputmode="decimal",
                width="10",
                hint="For example, 51.5386.",
            ),
            F(
                "location.longitude",
                "Longitude",
                "float",
                inputmode="decimal",
                width="10",
                hint="For example, 0.0811.",
            ),
            F(
                "location.unit",
                "Command unit",
                width="10",
                hint="The code of the unit the case belongs to, such as EM. Leave it empty and "
                "Vigil finds the unit whose boundary holds the latitude and longitude.",
            ),
            F("location.description", "What the place is like", "textarea"),
        ),
    ),
    Group(
        "deceased",
        "The deceased",
        short="Deceased",
        fields=(
            F("deceased.identified", "The deceased has been identified", "checkbox"),
            F("deceased.name", "Name"),
            F("deceased.sex", "Sex", "radios", choices=SEXES),
            F("deceased.date_of_birth", "Date of birth", "date"),
            F(
                "deceased.age",
                "Age",
                "int",
                inputmode="numeric",
                width="3",
                hint="In years. Your best estimate if not known.",
            ),
            F("deceased.occupation", "Occupation"),
            F("deceased.home_address", "Home address"),
            F("deceased.nationality", "Nationality"),
            F(
                "deceased.known_illness",
                "Did they have a known illness that could explain the death?",
                "tristate",
            ),
            F("deceased.medical_history", "Medical history", "textarea"),
            F(
                "deceased.sexuality",
                "Sexuality",
                hint="As they or those close to them described "
                "it. Sensitive: most roles will not see it.",
            ),
            F(
                "deceased.drug_use",
                "Known drug use",
                hint="For example, chemsex or GHB. Sensitive: most roles will not see it.",
            ),
        ),
    ),
    Group(
        "scene",
        "The scene",
        short="Scene",
        fields=(
            F("scene.position", "Position of the body"),
            F("scene.moved_after_death", "Was the body moved after death?", "tristate"),
            F("scene.injuries", "Injuries seen", "textarea", hint="Leave empty if none."),
            F("scene.phone", "The deceased's phone", "radios", choices=PRESENCE),
            F("scene.wallet", "Wallet", "radios", choices=PRESENCE),
            F("scene.id_document", "Identity document", "radios", choices=PRESENCE),
            F("scene.note_present", "Was a note found?", "tristate"),
            F("scene.note_description", "The note", "textarea"),
            F("scene.drug_paraphernalia", "Was drug paraphernalia found?", "tristate"),
            F(
                "scene.bedding_or_clothing_disturbed",
                "Were bedding or clothing disturbed?",
                "tristate",
            ),
            F("scene.observations", "Other observations", "textarea"),
        ),
    ),
    Group(
        "first-account",
        "The first account",
        short="First account",
        fields=(
            F("first_account.given_by", "Who gave it"),
            F("first_account.given_by_role", "Their part", hint="For example, caller or finder."),
            F("first_account.account", "What they said", "textarea"),
            F("first_account.fits_scene", "Does the account fit the scene?", "tristate"),
            F("first_account.discrepancies", "What does not fit", "textarea"),
        ),
        hint="What whoever found or reported the death first said.",
    ),
    Group(
        "circumstances",
        "Circumstances",
        (F("circumstances", "Summary of the circumstances", "textarea"),),
    ),
    Group(
        "attendance",
        "Attendance",
        short="Attendance",
        fields=(
            F("attendance.officer", "Attending officer"),
            F("attendance.sergeant_or_above", "Did a sergeant or above attend?", "tristate"),
            F("attendance.arrived_at", "When they arrived", "datetime"),
        ),
    ),
    Group(
        "toxicology",
        "Toxicology",
        short="Toxicology",
        fields=(
            F("toxicology.status", "Toxicology", "radios", choices=TOXICOLOGY),
            F("toxicology.requested_at", "When it was requested", "datetime"),
            F(
                "toxicology.includes_ghb",
                "Was GHB/GBL asked for?",
                "tristate",
                hint="GHB leaves the body within hours and a standard screen misses it.",
            ),
            F(
                "toxicology.substances",
                "Substances found",
                "list",
                hint="Separate them with commas, for example: ghb, alcohol.",
            ),
        ),
    ),
    Group(
        "cause",
        "Cause of death",
        short="Cause of death",
        fields=(
            F("cause.status", "Cause of death", "radios", choices=CAUSE),
            F("cause.text", "Cause as recorded", "textarea"),
            F("cause.mechanism", "How the death was caused", "select", choices=MECHANISMS),
            F(
                "cause.certified_by",
                "Who certified the death",
                hint="The doctor's name, and their GMC number if you have it.",
            ),
            F(
                "cause.institution",
                "Institution where the death was certified",
                hint="A care home, hospital ward, hospice or custody suite; leave blank if none.",
            ),
            F("cause.institution_type", "Kind of institution", "select", choices=INSTITUTIONS),
        ),
    ),
    Group(
        "investigation",
        "Outcome of the investigation",
        short="Outcome",
        fields=(
            F(
                "investigation.outcome",
                "Outcome of the investigation",
                "radios",
                choices=OUTCOMES,
                hint="Leave it unanswered until the investigation has an outcome to record.",
            ),
        ),
    ),
)

# Repeated rows: devices and CCTV. Each row is one item of a tuple in the report.
ROWS: dict[str, tuple[str, tuple[Field, ...]]] = {
    "devices": (
        "Device",
        (
            F("kind", "Kind of device", hint="For example, phone, laptop or tablet."),
            F("description", "Description"),
            F("owner", "Whose it is", hint="deceased, or the person's name."),
            F("status", "Status", "select", choices=DEVICE_STATUS),
        ),
    ),
    "cctv": (
        "CCTV",
        (
            F("location", "Where the camera is"),
            F("status", "Status", "select", choices=CCTV_STATUS),
            F("notes", "Notes", "textarea"),
        ),
    ),
}
ROW_LEGENDS = {"devices": "Devices", "cctv": "CCTV"}
BLANK_ROWS = 2

FIELDS: dict[str, Field] = {f.path: f for g in GROUPS for f in g.fields}


def value_at(report: DeathReport, path: str) -> Any:
    node: Any = report
    for part in path.split("."):
        node = getattr(node, part)
    return node


DEFAULTS: dict[str, Any] = {path: value_at(DeathReport(), path) for path in FIELDS}

# The first page of a new report: what the first officer knows at a scene (when and where,
# who the deceased may be, the first account, and the Barking scene questions: the phone, a
# moved body, a note). The rest of the report is recorded section by section (``SECTIONS``).
FIRST_PAGE: tuple[Group, ...] = (
    Group("when", "When", (FIELDS["reported_at"], FIELDS["found_at"])),
    Group(
        "where",
        "Where the body was found",
        tuple(
            FIELDS[p]
            for p in (
                "location.address",
                "location.place_type",
                "location.latitude",
                "location.longitude",
            )
        ),
    ),
    Group(
        "deceased",
        "Who the deceased may be",
        tuple(
            FIELDS[p]
            for p in ("deceased.identified", "deceased.name", "deceased.sex", "deceased.age")
        ),
    ),
    Group(
        "scene",
        "At the scene",
        tuple(FIELDS[p] for p in ("scene.phone", "scene.moved_after_death", "scene.note_present")),
    ),
    Group(
        "first-account",
        "The first account",
        tuple(
            FIELDS[p]
            for p in (
                "first_account.given_by",
                "first_account.given_by_role",
                "first_account.account",
            )
        ),
        hint="What whoever found or reported the death first said.",
    ),
)
FIRST_PAGE_PATHS = frozenset(f.path for g in FIRST_PAGE for f in g.fields)


@dataclass(frozen=True)
class Section:
    """A part of the report an officer opens and saves on its own: one group of fields, or
    one list of repeated rows (``rows``)."""

    key: str
    title: str
    group: Group | None = None
    rows: str = ""

    @property
    def paths(self) -> tuple[str, ...]:
        if self.group is None:
            return (self.rows,)
        return tuple(f.path for f in self.group.fields)


SECTIONS: dict[str, Section] = {
    **{g.key: Section(g.key, g.legend, group=g) for g in GROUPS},
    **{name: Section(name, legend, rows=name) for name, legend in ROW_LEGENDS.items()},
}


def label_of(path: str) -> str:
    """Words for a report path: "Scene: the deceased's phone"."""
    if path in FIELDS:
        group = next(g for g in GROUPS if any(f.path == path for f in g.fields))
        label = FIELDS[path].label
        if not group.short or group.short.lower() in label.lower():
            return label
        return f"{group.short}: {label[0].lower()}{label[1:]}"
    parts = path.split(".")
    if parts[0] in ROWS:
        noun, fields = ROWS[parts[0]]
        if len(parts) == 1:
            return ROW_LEGENDS[parts[0]]
        sub = next((f.label for f in fields if f.path == parts[-1]), parts[-1])
        number = int(parts[1]) + 1 if len(parts) > 2 and parts[1].isdigit() else ""
        return f"{noun} {number}: {sub}".replace("  ", " ")
    return path.replace("_", " ").replace(".", ": ").capitalize()


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# --- how values read on a page ----------------------------------------------------------


def local(when: datetime) -> datetime:
    return when.astimezone(zone())


@dataclass(frozen=True)
class Shown:
    """A value as a page shows it; ``{{ shown }}`` in a template writes it: withheld from this
    reader, not known, or its text (line breaks kept)."""

    text: str
    withheld: bool = False
    unknown: bool = False

    def __html__(self) -> SafeString:
        if self.withheld:
            return mark_safe(  # constant markup
                '<strong class="govuk-tag govuk-tag--grey">Withheld</strong>'
                '<span class="govuk-visually-hidden"> from your role</span>'
            )
        if self.unknown:
            return mark_safe('<span class="vigil-unknown">Not known</span>')
        return mark_safe(linebreaksbr(self.text, autoescape=True))  # escaped

    __str__ = __html__  # templates write str(value)


def shown(f: Field | None, value: Any) -> Shown:
    """``value`` (a report value, or a fact's JSON value) for reading on a page."""
    if value == WITHHELD:
        return Shown(WITHHELD, withheld=True)
    if value is None or value == () or value == []:
        return Shown("Not known", unknown=True)
    if isinstance(value, bool):
        return Shown("Yes" if value else "No")
    if isinstance(value, StrEnum):
        value = value.value
    kind = f.kind if f else ""
    if kind == "datetime":
        when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        return Shown(local(when).strftime("%-d %b %Y %H:%M"))
    if kind == "date":
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
        return Shown(day.strftime("%-d %b %Y"))
    if f and f.options:
        return Shown(dict(f.options).get(str(value), str(value)))
    if isinstance(value, list | tuple):
        return Shown(", ".join(_item_text(v) for v in value))
    return Shown(str(value))


def _item_text(value: Any) -> str:
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, ""))
    if hasattr(value, "model_dump"):
        return _item_text(value.model_dump(mode="json"))
    return str(value)


def fact_shown(path: str, value: Any) -> Shown:
    """A fact's JSON value (as the timeline shows it)."""
    return shown(FIELDS.get(path), value)


@dataclass(frozen=True)
class ShownGroup:
    """A group of the report on the case page: the fields with a value (or withheld), and the
    labels of those not known yet."""

    group: Group
    rows: list[tuple[Field, Shown]]
    unknown: list[str]


def report_rows(report: DeathReport) -> list[ShownGroup]:
    """The report as the case page shows it, group by group."""
    out = []
    for g in GROUPS:
        values = [(f, shown(f, value_at(report, f.path))) for f in g.fields]
        known = [(f, v) for f, v in values if not v.unknown]
        out.append(ShownGroup(g, known, [f.label for f, v in values if v.unknown]))
    return out


def shown_fields(report: DeathReport) -> dict[str, Shown]:
    """Every field's value by its id with underscores ("location_address"), for templates."""
    return {f.id.replace("-", "_"): shown(f, value_at(report, f.path)) for f in FIELDS.values()}

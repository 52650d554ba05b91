"""The death report as a form: how the form's text becomes report values (and errors beside the
field that caused them), and the form's fields with their text and errors for the template.
The fields themselves, and how values read on a page, are in ``vigil.web.report_fields``.

The same machinery reads the casework forms (``vigil.web.casework``): a ``Layout`` names the
fields and repeated rows a form holds, and ``model_of`` validates what was sent with any of the
domain's models, with each of its errors beside the field that caused it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from vigil.domain.facts import unflatten
from vigil.domain.report import DeathReport
from vigil.web.report_fields import (
    BLANK_ROWS,
    DEFAULTS,
    FIELDS,
    GROUPS,
    ROW_LEGENDS,
    ROWS,
    TRISTATE,
    Field,
    Group,
    Shown,
    local,
    shown,
    value_at,
    zone,
)

M = TypeVar("M", bound=BaseModel)
Rows = Mapping[str, tuple[str, tuple[Field, ...]]]  # name -> (the noun of a row, its fields)
CHOICES = frozenset({"select", "radios", "checkboxes"})  # kinds chosen from a list, not typed


@dataclass(frozen=True)
class Layout:
    """What a form holds: its fields by path, and its lists of repeated rows by name."""

    fields: Mapping[str, Field]
    rows: Rows = field(default_factory=dict)

    @classmethod
    def of(cls, *fields: Field, rows: Rows | None = None) -> Layout:
        return cls({f.path: f for f in fields}, rows or {})

    def label(self, path: str) -> str:
        """Words for a path of the form: a field's label, "Device 2: Kind of device"."""
        if path in self.fields:
            return self.fields[path].label
        parts = path.split(".")
        if parts[0] in self.rows and len(parts) > 1 and parts[1].isdigit():
            noun, fields = self.rows[parts[0]]
            sub = next((f.label for f in fields if f.path == parts[-1]), "")
            return f"{noun} {int(parts[1]) + 1}" + (f": {sub}" if len(parts) > 2 and sub else "")
        return path.replace("_", " ").replace(".", ": ").capitalize()


REPORT = Layout(FIELDS, ROWS)

# --- from the form to values -------------------------------------------------------------


def _parse(f: Field, raw: str, label: str) -> tuple[Any, str]:
    """The value of one field from its text, or an error message."""
    raw = raw.strip()
    if f.kind == "checkbox":
        return raw != "", ""
    if f.kind == "checkboxes":
        chosen = tuple(v for v in raw.split(",") if v)
        if set(chosen) - {value for value, _ in f.choices}:
            return None, f"{label}: select from the options"
        return chosen, ""
    if f.kind == "tristate":
        if raw not in TRISTATE:
            return None, f"{label}: select yes, no or not known"
        return TRISTATE[raw], ""
    if f.kind == "radios" or f.kind == "select":
        if raw == "":
            return DEFAULTS.get(f.path), ""  # a radio left unset keeps the report's default
        if raw not in {value for value, _ in f.choices}:
            return None, f"{label}: select one of the options"
        return raw, ""
    if raw == "":
        return (() if f.kind == "list" else None), ""
    if f.kind == "datetime":
        try:
            when = datetime.fromisoformat(raw)
        except ValueError:
            return None, f"{label}: enter a real date and time, for example 2015-06-01 06:30"
        return (when if when.tzinfo else when.replace(tzinfo=zone())), ""
    if f.kind == "date":
        try:
            return date.fromisoformat(raw), ""
        except ValueError:
            return None, f"{label}: enter a real date, for example 1990-03-27"
    if f.kind == "int":
        if not re.fullmatch(r"\d{1,3}", raw):
            return None, f"{label}: enter a whole number, for example 23"
        return int(raw), ""
    if f.kind == "float":
        try:
            return float(raw), ""
        except ValueError:
            return None, f"{label}: enter a number, for example 51.5386"
    if f.kind == "list":
        return tuple(s.strip().lower() for s in re.split(r"[,\n]", raw) if s.strip()), ""
    return raw, ""


@dataclass
class Submitted:
    """What a report form sent: values by path, errors by field id, and the text as typed."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # rows shown per repeated list

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(self.values)


def _row_count(data: Mapping[str, str], name: str) -> int:
    numbers = [
        int(m.group(1)) for key in data if (m := re.fullmatch(rf"{name}\.(\d{{1,2}})\.\w+", key))
    ]
    return max(numbers, default=-1) + 1


def _text(data: Mapping[str, Any], f: Field, name: str) -> str:
    """What the form sent for a field (the boxes ticked of a group of checkboxes, joined by
    commas)."""
    getlist = getattr(data, "getlist", None)
    if f.kind == "checkboxes" and getlist is not None:
        return ",".join(str(v) for v in getlist(name) if v)
    return str(data.get(name, ""))


def submitted(data: Mapping[str, Any], layout: Layout = REPORT) -> Submitted:
    """Read a form (the report's unless ``layout`` says otherwise): the fields it holds (a field
    withheld from the author is not on the form, so it is not sent, and so it is not changed).
    A checkbox and each list of rows carry a hidden input of their name, so that an unticked box
    and an emptied list are sent too. A row with nothing but its choices set is blank."""
    out = Submitted()
    for path, f in layout.fields.items():
        if path not in data:
            continue
        raw = _text(data, f, path)
        out.raw[path] = raw
        value, error = _parse(f, raw, f.label)
        if error:
            out.errors[f.id] = error
        else:
            out.values[path] = value
    for name, (noun, fields) in layout.rows.items():
        if name not in data:
            continue
        chosen = {f.path for f in fields if f.kind in CHOICES}
        items = []
        count = _row_count(data, name)
        out.rows[name] = count
        for index in range(count):
            item: dict[str, Any] = {}
            for f in fields:
                key = f"{name}.{index}.{f.path}"
                raw = _text(data, f, key)
                out.raw[key] = raw
                value, error = _parse(f, raw, f"{noun} {index + 1}: {f.label}")
                if error:
                    out.errors[key.replace(".", "-")] = error
                elif value not in (None, ""):
                    item[f.path] = value
            if set(item) - chosen:
                items.append((index, item))
        out.values[name] = tuple(item for _, item in items)
        out.raw[f"{name}.__index"] = ",".join(str(i) for i, _ in items)
    return out


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _pydantic_message(error: Mapping[str, Any], label: str, f: Field | None, row: bool) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind in {"less_than_equal", "less_than"}:
        return f"{label} must be {_number(ctx.get('le', ctx.get('lt')))} or less"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"{label} must be {_number(ctx.get('ge', ctx.get('gt')))} or more"
    if kind == "string_too_long":
        return f"{label} must be {ctx.get('max_length')} characters or fewer"
    if kind in {"string_too_short", "missing", "too_short"}:
        if f is not None and f.kind in CHOICES:
            return f"{label}: select {'at least one' if f.kind == 'checkboxes' else 'one'}"
        return f"{label}: enter it{' or leave the row empty' if row else ''}"
    message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
    return f"{label}: {message}"


def _error_field(
    loc: tuple[Any, ...], sub: Submitted, layout: Layout, prefix: str
) -> tuple[str, str, Field | None, bool]:
    """Where on the form a pydantic error's location is: the path (rows by the index shown; an
    error of a whole row beside its first typed field), its label, its field, and whether it
    is in a row."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in layout.rows and len(parts) > 1 and parts[1].isdigit():
        shown = sub.raw.get(f"{parts[0]}.__index", "").split(",")
        index = shown[int(parts[1])] if int(parts[1]) < len(shown) else parts[1]
        row = f"{parts[0]}.{index}"
        fields = layout.rows[parts[0]][1]
        if len(parts) == 2:
            typed = next((f for f in fields if f.kind not in CHOICES), fields[0])
            return f"{row}.{typed.path}", layout.label(row), typed, True
        path = f"{row}.{parts[2]}"
        return path, layout.label(path), next((f for f in fields if f.path == parts[2]), None), True
    path = prefix + ".".join(parts)
    return path, layout.label(path), layout.fields.get(path), False


def model_of(
    model: type[M],
    sub: Submitted,
    layout: Layout = REPORT,
    values: Mapping[str, Any] | None = None,
    *,
    prefix: str = "",
) -> M | None:
    """``model`` made of the form's values (or of ``values``: paths as on the form, less
    ``prefix``), or None with the model's errors added beside their fields."""
    try:
        return model.model_validate(unflatten(sub.values if values is None else values))
    except ValidationError as exc:
        for error in exc.errors():
            path, label, f, row = _error_field(tuple(error["loc"]), sub, layout, prefix)
            sub.errors.setdefault(path.replace(".", "-"), _pydantic_message(error, label, f, row))
        return None


def report_of(sub: Submitted) -> DeathReport | None:
    """The report the form describes, or None with the model's errors added beside their
    fields."""
    return model_of(DeathReport, sub)


def require_given(sub: Submitted, layout: Layout, *paths: str) -> None:
    """An error beside each of ``paths`` left empty (for a form no domain model reads)."""
    for path in paths:
        key = path.replace(".", "-")
        if sub.values.get(path) in (None, "", ()) and key not in sub.errors:
            f = layout.fields.get(path)
            sub.errors[key] = _pydantic_message({"type": "missing"}, layout.label(path), f, False)


def lenient_report(sub: Submitted) -> DeathReport:
    """The report from whatever of the form is valid (for a preview): fields the model refuses
    are left out."""
    values = dict(sub.values)
    for _ in range(len(values) + 1):
        try:
            return DeathReport.model_validate(unflatten(values))
        except ValidationError as exc:
            bad = {_value_path(tuple(e["loc"])) for e in exc.errors()}
            values = {p: v for p, v in values.items() if p not in bad}
    return DeathReport()


def _value_path(loc: tuple[Any, ...]) -> str:
    """The path in ``Submitted.values`` that an error's location falls in (a whole list)."""
    return str(loc[0]) if loc and loc[0] in ROWS else ".".join(str(p) for p in loc)


def input_text(f: Field, value: Any) -> str:
    """A value as the form's input shows it."""
    if f.kind == "tristate":
        return {True: "yes", False: "no"}.get(value, "unknown")
    if f.kind == "checkbox":
        return "yes" if value else ""
    if value is None:
        return ""
    if isinstance(value, StrEnum):
        return value.value
    if f.kind == "datetime" and isinstance(value, datetime):
        shown = local(value)
        return shown.strftime("%Y-%m-%dT%H:%M" + (":%S" if shown.second else ""))
    if f.kind == "list":
        return ", ".join(value)
    return str(value)


def form_text(report: DeathReport) -> dict[str, str]:
    """Every field of ``report`` as the form shows it, rows included."""
    raw = {path: input_text(f, value_at(report, path)) for path, f in FIELDS.items()}
    for name, (_, fields) in ROWS.items():
        items = value_at(report, name)
        for index, item in enumerate(items):
            for f in fields:
                raw[f"{name}.{index}.{f.path}"] = input_text(f, getattr(item, f.path))
    return raw


# --- the form as a template shows it ------------------------------------------------------


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class Bound:
    """A field on the page: its name, its text, its error; ``locked`` (withheld from the
    author) shows the value instead of an input."""

    field: Field
    name: str
    label: str
    value: str = ""
    error: str = ""
    locked: Shown | None = None

    @property
    def id(self) -> str:
        return self.name.replace(".", "-")

    @property
    def control(self) -> str:
        """The GOV.UK component of a field chosen from a list: radios or checkboxes."""
        return "checkboxes" if self.field.kind == "checkboxes" else "radios"

    @property
    def options(self) -> list[Option]:
        chosen = self.value.split(",") if self.field.kind == "checkboxes" else [self.value]
        return [Option(v, words, v in chosen) for v, words in self.field.options]


def bound(f: Field, raw: Mapping[str, str], errors: Mapping[str, str], name: str = "") -> Bound:
    """A field with its text and error (``name``: where it is posted, if not at its path)."""
    name = name or f.path
    return Bound(f, name, f.label, raw.get(name, ""), errors.get(name.replace(".", "-"), ""))


@dataclass(frozen=True)
class BoundGroup:
    group: Group
    fields: list[Bound]


@dataclass(frozen=True)
class BoundRows:
    """A repeated list (devices, CCTV): its rows of fields, or ``locked``."""

    name: str
    legend: str
    noun: str
    rows: list[list[Bound]]
    locked: bool = False


def bind(
    raw: Mapping[str, str],
    errors: Mapping[str, str],
    *,
    rows: Mapping[str, int],
    locked: Iterable[str] = (),
    report: DeathReport | None = None,
) -> tuple[list[BoundGroup], list[BoundRows]]:
    """The form's fields with their text and errors; ``locked`` paths show ``report``'s
    (masked) value instead of an input."""
    locked = frozenset(locked)
    shown_report = report or DeathReport()
    groups = [
        BoundGroup(
            g,
            [
                Bound(
                    f,
                    f.path,
                    f.label,
                    error=errors.get(f.id, ""),
                    locked=shown(f, value_at(shown_report, f.path)),
                )
                if f.path in locked
                else bound(f, raw, errors)
                for f in g.fields
            ],
        )
        for g in GROUPS
    ]
    repeated = [
        BoundRows(name, ROW_LEGENDS[name], ROWS[name][0], [], locked=True)
        if name in locked
        else bound_rows(REPORT, name, ROW_LEGENDS[name], raw, errors, rows.get(name, BLANK_ROWS))
        for name in ROWS
    ]
    return groups, repeated


def bound_rows(
    layout: Layout,
    name: str,
    legend: str,
    raw: Mapping[str, str],
    errors: Mapping[str, str],
    count: int,
) -> BoundRows:
    """``count`` rows of the list ``name`` with their text and errors."""
    noun, fields = layout.rows[name]
    rows = [[bound(f, raw, errors, f"{name}.{i}.{f.path}") for f in fields] for i in range(count)]
    return BoundRows(name, legend, noun, rows)


def error_list(
    groups: list[BoundGroup],
    repeated: list[BoundRows],
    errors: Mapping[str, str],
    first: Iterable[Bound] = (),
    *,
    form_id: str = "report-form",
) -> list[tuple[str, str]]:
    """The errors for the summary in the order of the form, each with the id it links to;
    errors of no field on the form (a stale version, say) come first and link to the form."""
    order = [*first, *(b for g in groups for b in g.fields)]
    order += [b for r in repeated for row in r.rows for b in row]
    known = {b.id for b in order}
    loose = [(form_id, message) for key, message in errors.items() if key not in known]
    return loose + [(b.id, b.error) for b in order if b.error]

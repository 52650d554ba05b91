"""The death report as a form: how the form's text becomes report values (and errors beside the
field that caused them), and the form's fields with their text and errors for the template.
The fields themselves, and how values read on a page, are in ``vigil.web.report_fields``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import ValidationError

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
    label_of,
    local,
    shown,
    value_at,
    zone,
)

# --- from the form to values -------------------------------------------------------------


def _parse(f: Field, raw: str, label: str) -> tuple[Any, str]:
    """The value of one field from its text, or an error message."""
    raw = raw.strip()
    if f.kind == "checkbox":
        return raw != "", ""
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


def submitted(data: Mapping[str, str]) -> Submitted:
    """Read a report form: the fields it holds (a field withheld from the author is not on the
    form, so it is not sent, and so it is not changed). A checkbox and each list of rows carry a
    hidden input of their name, so that an unticked box and an emptied list are sent too."""
    out = Submitted()
    for path, f in FIELDS.items():
        if path not in data:
            continue
        raw = str(data.get(path, ""))
        out.raw[path] = raw
        value, error = _parse(f, raw, f.label)
        if error:
            out.errors[f.id] = error
        else:
            out.values[path] = value
    for name, (noun, fields) in ROWS.items():
        if name not in data:
            continue
        items = []
        count = _row_count(data, name)
        out.rows[name] = count
        for index in range(count):
            item: dict[str, Any] = {}
            for f in fields:
                key = f"{name}.{index}.{f.path}"
                raw = str(data.get(key, ""))
                out.raw[key] = raw
                value, error = _parse(f, raw, f"{noun} {index + 1}: {f.label}")
                if error:
                    out.errors[key.replace(".", "-")] = error
                elif value not in (None, ""):
                    item[f.path] = value
            if set(item) - {"status"}:  # a row with only its status chosen is blank
                items.append((index, item))
        out.values[name] = tuple(item for _, item in items)
        out.raw[f"{name}.__index"] = ",".join(str(i) for i, _ in items)
    return out


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _pydantic_message(error: Mapping[str, Any], label: str) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind in {"less_than_equal", "less_than"}:
        return f"{label} must be {_number(ctx.get('le', ctx.get('lt')))} or less"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"{label} must be {_number(ctx.get('ge', ctx.get('gt')))} or more"
    if kind in {"string_too_short", "missing"}:
        return f"{label}: enter it or leave the row empty"
    message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
    return f"{label}: {message}"


def _error_id(loc: tuple[Any, ...], sub: Submitted) -> tuple[str, str]:
    """The field id and label of a pydantic error's location (rows by the index shown)."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ROWS and len(parts) > 2:
        shown = sub.raw.get(f"{parts[0]}.__index", "").split(",")
        index = shown[int(parts[1])] if int(parts[1]) < len(shown) else parts[1]
        path = f"{parts[0]}.{index}.{parts[2]}"
        return path.replace(".", "-"), label_of(path)
    path = ".".join(parts)
    return path.replace(".", "-"), FIELDS[path].label if path in FIELDS else label_of(path)


def report_of(sub: Submitted) -> DeathReport | None:
    """The report the form describes, or None with the model's errors added beside their
    fields."""
    try:
        return DeathReport.model_validate(unflatten(sub.values))
    except ValidationError as exc:
        for error in exc.errors():
            field_id, label = _error_id(tuple(error["loc"]), sub)
            sub.errors.setdefault(field_id, _pydantic_message(error, label))
        return None


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
    def options(self) -> list[Option]:
        return [Option(v, words, v == self.value) for v, words in self.field.options]


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
                else Bound(f, f.path, f.label, raw.get(f.path, ""), errors.get(f.id, ""))
                for f in g.fields
            ],
        )
        for g in GROUPS
    ]
    repeated = []
    for name, (noun, fields) in ROWS.items():
        if name in locked:
            repeated.append(BoundRows(name, ROW_LEGENDS[name], noun, [], locked=True))
            continue
        items = [
            [
                Bound(
                    f,
                    key := f"{name}.{index}.{f.path}",
                    f.label,
                    raw.get(key, ""),
                    errors.get(key.replace(".", "-"), ""),
                )
                for f in fields
            ]
            for index in range(rows.get(name, BLANK_ROWS))
        ]
        repeated.append(BoundRows(name, ROW_LEGENDS[name], noun, items))
    return groups, repeated


def error_list(
    groups: list[BoundGroup],
    repeated: list[BoundRows],
    errors: Mapping[str, str],
    first: Iterable[Bound] = (),
) -> list[tuple[str, str]]:
    """The errors for the summary in the order of the form, each with the id it links to;
    errors of no field on the form (a stale version, say) come first and link to the form."""
    order = [*first, *(b for g in groups for b in g.fields)]
    order += [b for r in repeated for row in r.rows for b in row]
    known = {b.id for b in order}
    loose = [("report-form", message) for key, message in errors.items() if key not in known]
    return loose + [(b.id, b.error) for b in order if b.error]

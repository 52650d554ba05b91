"""Every form of the web face is a Django form built from a field list kept as data
(``vigil.web.report_fields``, ``vigil.web.casework_fields``): a ``Layout`` names the fields and
the lists of repeated rows a form holds, and ``Layout.entry`` builds a Django form of its fields
and a formset of each list of rows. Django parses what was typed (dates, numbers, yes / no /
not known, choices) with an error beside the field in a sentence; what the values must be is the
domain's to say, so ``Entry.model_of`` validates them with the domain's pydantic model and adds
each of its errors beside the field that caused it, and a service's refusal is added the same
way (``Entry.refuse``).

The fields (``vigil.web.formfields``) render with GOV.UK Frontend markup through per-field and
per-widget templates (``vigil/forms/``). A field is posted under its path ("scene.phone") and its
HTML id is the path with dots as dashes ("scene-phone"); a row is posted as Django's formsets
post it ("devices-0-kind"), which is also its id.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from django import forms
from django.forms.formsets import BaseFormSet, formset_factory
from pydantic import BaseModel, ValidationError

from vigil.domain.facts import unflatten
from vigil.web.formfields import CHOICES, GovBoundField, SpecForm, form_class, missing
from vigil.web.report_fields import Field

M = TypeVar("M", bound=BaseModel)
Rows = Mapping[str, tuple[str, tuple[Field, ...]]]  # name -> (the noun of a row, its fields)


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

    def entry(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        initial: Mapping[str, Any] | None = None,
        rows: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
        blank: Mapping[str, int] | None = None,
        defaults: Mapping[str, Any] | None = None,
        required: Iterable[str] = (),
        prefix: str | None = None,
    ) -> Entry:
        """The form of this layout: bound to ``data`` (a POST), or unbound with ``initial``
        values as the inputs show them and, for each list, its ``rows`` and ``blank`` empty
        rows more to fill in."""
        main = form_class(self.fields.values(), defaults=defaults, required=required)(
            data, initial=initial, prefix=prefix
        )
        formsets: dict[str, BaseFormSet[SpecForm]] = {}
        for name, (noun, fields) in self.rows.items():
            extra = (blank or {}).get(name, 0)
            kind = formset_factory(form_class(fields, noun=noun), extra=extra)
            start = list((rows or {}).get(name, ()))
            sent = data is not None and f"{name}-TOTAL_FORMS" in data  # else: not on the page
            formsets[name] = kind(data if sent else None, prefix=name, initial=start or None)
        return Entry(self, main, formsets)


@dataclass(frozen=True)
class Locked:
    """A field withheld from the author: its value as they may see it instead of an input."""

    id: str
    label: str
    shown: Any
    error: str = ""
    locked: bool = True


@dataclass(frozen=True)
class GroupPart:
    """A fieldset of a form: its group (legend, hint) and its fields, or values locked."""

    group: Any
    fields: list[GovBoundField | Locked]


@dataclass(frozen=True)
class RowsPart:
    """A list of repeated rows on the page (``vigil/forms/rows.html``), or ``locked``."""

    name: str
    legend: str
    noun: str
    rows: list[list[GovBoundField]]
    management_form: Any = None
    locked: bool = False


def _typed(fields: Iterable[Field]) -> tuple[str, ...]:
    return tuple(f.path for f in fields if f.kind not in CHOICES)


@dataclass
class Entry:
    """A layout's form and its formsets, bound to what was sent or showing initial values.
    ``values`` are the values of the fields sent (a field not on the page is not sent, and a
    list is sent with its management form); a row with nothing typed in it is blank and left
    out. ``model_of`` and ``refuse`` add the domain's and the services' errors beside the
    field that caused them."""

    layout: Layout
    form: SpecForm
    formsets: dict[str, BaseFormSet[SpecForm]]
    _kept: dict[str, list[int]] = field(default_factory=dict)  # the rows of a list not blank
    values: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for formset in self.formsets.values():
            formset.is_valid()  # parses every row, errors beside their fields
        self.form.is_valid()
        self.values = self._values()

    def _sent(self, name: str) -> bool:
        return self.formsets[name].is_bound

    @property
    def paths(self) -> tuple[str, ...]:
        """The paths of the fields and lists sent."""
        fields = [p for p in self.layout.fields if self.form.present(p)]
        return (*fields, *(name for name in self.formsets if self._sent(name)))

    def _values(self) -> dict[str, Any]:
        """The parsed values of what was sent, by path (a field that failed to parse is left
        out); a list is a tuple of its rows not blank."""
        clean = getattr(self.form, "cleaned_data", {})
        out = {p: clean[p] for p in self.layout.fields if self.form.present(p) and p in clean}
        for name, formset in self.formsets.items():
            if not self._sent(name):
                continue
            typed = _typed(self.layout.rows[name][1])
            items, kept = [], []
            for index, row in enumerate(formset.forms):
                values = dict(getattr(row, "cleaned_data", {}))
                if any(values.get(k) not in (None, "", ()) for k in typed):
                    items.append({k: v for k, v in values.items() if v not in (None, "")})
                    kept.append(index)
            out[name] = tuple(items)
            self._kept[name] = kept
        return out

    def given(self) -> dict[str, Any]:
        """The values given (a field left empty is left out, so a model's default applies and
        a required field is reported missing)."""
        return {p: v for p, v in self.values.items() if v is not None and v != ""}

    @property
    def has_errors(self) -> bool:
        return bool(self.form.errors) or any(
            fs.total_error_count() for fs in self.formsets.values()
        )

    def bound(self, path: str) -> GovBoundField:
        return self.form.field(path)

    def rows(self, name: str) -> list[list[GovBoundField]]:
        forms_: list[SpecForm] = self.formsets[name].forms
        return [[row.field(n) for n in row.fields] for row in forms_]

    def _locate(self, path: str) -> tuple[SpecForm, str] | None:
        """The form and field name at ``path``: a field ("scene.phone"), a row's field by the
        row's place among those sent ("devices.1.kind"), or a field of the form's model given
        with a prefix ("custody.from_holder" on the custody form)."""
        if path in self.layout.fields:
            return self.form, path
        parts = path.split(".")
        if len(parts) == 3 and parts[0] in self.formsets and parts[1].isdigit():
            kept = self._kept.get(parts[0], [])
            index = kept[int(parts[1])] if int(parts[1]) < len(kept) else int(parts[1])
            rows: list[SpecForm] = self.formsets[parts[0]].forms
            if index < len(rows) and parts[2] in rows[index].fields:
                return rows[index], parts[2]
        if len(parts) > 1 and (rest := ".".join(parts[1:])) in self.layout.fields:
            return self.form, rest
        return None

    def add(self, path: str | None, message: str) -> None:
        """``message`` beside the field at ``path`` (as ``_locate`` finds it), or above the
        form if no field of it is there."""
        found = self._locate(path) if path else None
        if found is None:
            self.form.add_once(None, message)
        else:
            found[0].add_once(found[1], message)

    def _where(self, loc: tuple[Any, ...], prefix: str) -> tuple[str, str, Field | None, bool]:
        """Where on the form a pydantic error's location is: the path (an error of a whole row
        beside its first typed field), its label, its field, and whether it is in a row."""
        parts = [str(p) for p in loc]
        if parts and parts[0] in self.layout.rows and len(parts) > 1 and parts[1].isdigit():
            kept = self._kept.get(parts[0], [])
            shown = kept[int(parts[1])] if int(parts[1]) < len(kept) else int(parts[1])
            fields = self.layout.rows[parts[0]][1]
            name = parts[2] if len(parts) > 2 else _typed(fields)[0]
            spec = next((f for f in fields if f.path == name), None)
            where = f"{parts[0]}.{shown}" + (f".{name}" if len(parts) > 2 else "")
            label = self.layout.label(where)
            return f"{parts[0]}.{parts[1]}.{name}", label, spec, True
        path = prefix + ".".join(parts)
        return path, self.layout.label(path), self.layout.fields.get(path), False

    def model_of(
        self, model: type[M], values: Mapping[str, Any] | None = None, *, prefix: str = ""
    ) -> M | None:
        """``model`` made of the form's values (or of ``values``: paths as on the form, less
        ``prefix``), or None with the model's errors added beside their fields."""
        try:
            return model.model_validate(unflatten(self.values if values is None else values))
        except ValidationError as exc:
            for error in exc.errors():
                path, label, spec, row = self._where(tuple(error["loc"]), prefix)
                self.add(path, pydantic_message(error, label, spec, row))
            return None

    def refuse(self, path: str, reason: str) -> None:
        """A refusal (a service's, naming ``path``) beside its field, in a sentence that names
        it; above the form if it names no field of the form."""
        found = self._locate(path) if path else None
        if found is None:
            self.add(None, sentence(reason))
            return
        form, name = found
        label = form.specs[name].label
        if form.row_noun and form.prefix:
            label = f"{form.row_noun} {int(form.prefix.rsplit('-', 1)[1]) + 1}: {label}"
        joint = " " if reason.startswith("is ") else ": "
        form.add_once(name, f"{label}{joint}{reason}")

    def rows_part(self, name: str, legend: str) -> RowsPart:
        formset = self.formsets[name]
        noun = self.layout.rows[name][0]
        return RowsPart(name, legend, noun, self.rows(name), formset.management_form)

    def bound_fields(self) -> Iterator[GovBoundField]:
        """Every field of the form in its order, rows last."""
        yield from (self.form.field(p) for p in self.layout.fields)
        for name in self.formsets:
            for row in self.rows(name):
                yield from row


def sentence(reason: str) -> str:
    return reason[:1].upper() + reason[1:]


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def pydantic_message(error: Mapping[str, Any], label: str, f: Field | None, row: bool) -> str:
    """A pydantic error as a sentence naming the field."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind in {"less_than_equal", "less_than"}:
        return f"{label} must be {_number(ctx.get('le', ctx.get('lt')))} or less"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"{label} must be {_number(ctx.get('ge', ctx.get('gt')))} or more"
    if kind == "string_too_long":
        return f"{label} must be {ctx.get('max_length')} characters or fewer"
    if kind in {"string_too_short", "missing", "too_short"}:
        return missing(label, f, row)
    message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
    return f"{label}: {message}"


def error_list(
    order: Iterable[GovBoundField], non_field: Iterable[object], *, form_id: str
) -> list[tuple[str, str]]:
    """The errors for the summary in the order of the form, each with the id it links to;
    errors of no field on the form (a stale version, say) come first and link to the form."""
    loose = [(form_id, str(message)) for message in non_field]
    return loose + [(b.auto_id, b.error) for b in order if b.errors]


def button(data: Mapping[str, Any], values: tuple[str, ...], name: str = "action") -> str:
    """Which of a form's submit buttons ``name`` was pressed (the first if none of
    ``values``)."""
    form = forms.Form(data)
    form.fields[name] = forms.ChoiceField(choices=[(v, v) for v in values])
    return str(form.cleaned_data[name]) if form.is_valid() else values[0]


def hidden_text(data: Mapping[str, Any], name: str) -> str:
    """The text of a form's hidden input ``name`` (empty if it was not sent)."""
    form = forms.Form(data)
    form.fields[name] = forms.CharField(required=False, max_length=200)
    return str(form.cleaned_data[name]) if form.is_valid() else ""


LOST = "The form lost the version of the case it was read at: reload it"


class VersionForm(forms.Form):
    """The version of the case a form was read at (its hidden input "version")."""

    version = forms.IntegerField(min_value=0)


def version_read(data: Mapping[str, Any]) -> int | None:
    """The version a form was read at, or None if it lost it."""
    form = VersionForm(data)
    return int(form.cleaned_data["version"]) if form.is_valid() else None


class MarkForm(forms.Form):
    """The last fact of the case a form was read at (its hidden input "mark"), so that what
    changed since can be shown (``vigil.services.casework.conflicts``)."""

    mark = forms.IntegerField(min_value=0)


def mark_read(data: Mapping[str, Any]) -> int | None:
    """The fact mark a form was read at, or None if it was not sent."""
    form = MarkForm(data)
    return int(form.cleaned_data["mark"]) if form.is_valid() else None


def input_text(f: Field, value: Any) -> Any:
    """A domain value as the form's input shows it (an unbound form's initial value)."""
    if f.kind == "tristate":
        return {True: "yes", False: "no"}.get(value, "unknown")
    if f.kind == "checkbox":
        return bool(value)
    if value is None:
        return ""
    if isinstance(value, StrEnum):
        return value.value
    if f.kind == "list":
        return ", ".join(value)
    if f.kind == "checkboxes":
        return [getattr(v, "value", v) for v in value]
    return value

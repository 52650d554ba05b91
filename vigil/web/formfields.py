"""The fields of Vigil's forms as Django builds them from a field list kept as data
(``vigil.web.report_fields.Field``): each kind (text, date, time, number, yes / no / not known,
choices, boxes to tick, a list of words) becomes a Django field that parses what is typed into
the domain's value, with messages that name the field in a sentence, and a widget that renders
GOV.UK Frontend markup through its template (``vigil/forms/``). ``SpecForm`` is a form of such
fields (``form_class`` builds one); its fields' ids are their names with dots as dashes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, ClassVar

from django import forms
from django.forms.boundfield import BoundField

from vigil.web.report_fields import TRISTATE, Field, local

CHOICES = frozenset({"select", "radios", "checkboxes"})  # kinds chosen from a list, not typed
TEMPLATES = "vigil/forms/"

# --- messages: each names its field, in a sentence ---------------------------------------


def missing(label: str, f: Field | None, row: bool = False) -> str:
    """A field that must be given and was not."""
    if f is not None and f.kind in CHOICES | {"tristate"}:
        return f"{label}: select {'at least one' if f.kind == 'checkboxes' else 'one'}"
    return f"{label}: enter it{' or leave the row empty' if row else ''}"


def _messages(f: Field, label: str) -> dict[str, Any]:
    invalid = {
        "datetime": "enter a real date and time, for example 2015-06-01 06:30",
        "date": "enter a real date, for example 1990-03-27",
        "int": "enter a whole number, for example 23",
        "float": "enter a number, for example 51.5386",
    }.get(f.kind, "is not valid")
    choice = {
        "tristate": "select yes, no or not known",
        "checkboxes": "select from the options",
    }.get(f.kind, "select one of the options")
    return {
        "required": missing(label, f),
        "invalid": f"{label}: {invalid}",
        "invalid_choice": f"{label}: {choice}",
        "invalid_list": f"{label}: {choice}",
        "max_digits": f"{label}: {invalid}",
    }


# --- widgets with GOV.UK markup -------------------------------------------------------------


class _Gov:
    govuk = ""  # the component's class: its error modifier is the class with "--error"


class TextInput(_Gov, forms.TextInput):
    govuk = "govuk-input"


class Textarea(_Gov, forms.Textarea):
    govuk = "govuk-textarea"


class Select(_Gov, forms.Select):
    govuk = "govuk-select"


class DateInput(_Gov, forms.DateInput):
    govuk = "govuk-input"
    input_type = "date"


class DateTimeInput(_Gov, forms.DateTimeInput):
    """``datetime-local`` in the time zone of the pages, to the minute (seconds when there
    are any, so that a value read back unchanged is unchanged)."""

    govuk = "govuk-input"
    input_type = "datetime-local"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime):
            shown = local(value) if value.tzinfo else value
            return shown.strftime("%Y-%m-%dT%H:%M" + (":%S" if shown.second else ""))
        return super().format_value(value)


class _Numbered:
    """GOV.UK ids of the options of a group: the first has the field's id, the next its id
    with "-2", "-3" ..."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        if index is None or not id_:
            return ""
        return id_ if str(index) == "0" else f"{id_}-{int(index) + 1}"


class Radios(_Numbered, forms.RadioSelect):
    template_name = TEMPLATES + "radios.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["inline"] = len(list(self.choices)) <= 3
        return context


class Checkboxes(_Numbered, forms.CheckboxSelectMultiple):
    """Boxes to tick, with a hidden empty input of the same name so that a group left with
    none ticked is sent too (the empty value is not a choice)."""

    template_name = TEMPLATES + "checkboxes.html"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        chosen = super().value_from_datadict(data, files, name)
        return [v for v in chosen or () if v]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data


class Checkbox(forms.CheckboxInput):
    """One box (value "yes") after a hidden empty input of its name: unticked, it is sent."""

    template_name = TEMPLATES + "checkbox_input.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["describedby"] = (attrs or {}).get("aria-describedby", "")
        return context


# --- fields -------------------------------------------------------------------------------


class ListField(forms.CharField):
    """Words separated by commas or lines, as a tuple in lower case."""

    def to_python(self, value: Any) -> tuple[str, ...]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return tuple(s.strip().lower() for s in re.split(r"[,\n]", text) if s.strip())


def _tristate(value: str) -> bool | None:
    return TRISTATE[value]


FIELD_TEMPLATES = {
    "radios": "choices.html",
    "tristate": "choices.html",
    "checkboxes": "choices.html",
    "checkbox": "checkbox.html",
    "hidden": "hidden.html",
}


def django_field(
    f: Field, *, default: Any = None, blank: bool = True, required: bool = False
) -> forms.Field:
    """The Django field of ``f``: it parses what is typed into the domain's value (an empty
    choice is ``default``); ``blank`` offers "Not known" first in a drop-down."""
    common: dict[str, Any] = {
        "label": f.label,
        "required": required,
        "error_messages": _messages(f, f.label),
        "template_name": TEMPLATES + FIELD_TEMPLATES.get(f.kind, "field.html"),
    }
    choices = list(f.options)
    text_attrs = {"class": "govuk-input" + (f" govuk-input--width-{f.width}" if f.width else "")}
    if f.inputmode:
        text_attrs["inputmode"] = f.inputmode
    typed = {**text_attrs, "autocomplete": "off", "spellcheck": "false"}
    if f.kind in {"radios", "tristate"}:
        coerce = _tristate if f.kind == "tristate" else str
        return forms.TypedChoiceField(
            choices=choices, coerce=coerce, empty_value=default, widget=Radios, **common
        )
    if f.kind == "checkboxes":
        return forms.TypedMultipleChoiceField(
            choices=choices, coerce=str, empty_value=[], widget=Checkboxes, **common
        )
    if f.kind == "hidden" and choices:  # chosen on an earlier page, or by the page itself
        return forms.ChoiceField(choices=choices, widget=forms.HiddenInput, **common)
    if f.kind == "hidden":
        return forms.CharField(widget=forms.HiddenInput, **common)
    if f.kind == "checkbox":
        return forms.BooleanField(widget=Checkbox, **common)
    if f.kind == "select":
        shown = [("", "Not known"), *choices] if blank else choices
        select = Select(attrs={"class": "govuk-select"})
        return forms.TypedChoiceField(
            choices=shown, coerce=str, empty_value=default, widget=select, **common
        )
    if f.kind == "datetime":
        width = {"class": "govuk-input govuk-input--width-20"}
        return forms.DateTimeField(widget=DateTimeInput(attrs=width), **common)
    if f.kind == "date":
        width = {"class": "govuk-input govuk-input--width-10"}
        return forms.DateField(widget=DateInput(attrs=width, format="%Y-%m-%d"), **common)
    if f.kind == "int":
        return forms.IntegerField(widget=TextInput(attrs=text_attrs), **common)
    if f.kind == "float":
        return forms.FloatField(widget=TextInput(attrs=text_attrs), **common)
    if f.kind == "textarea":
        area = Textarea(attrs={"class": "govuk-textarea", "rows": "3"})
        return forms.CharField(empty_value=None, widget=area, **common)
    if f.kind == "list":
        return ListField(widget=TextInput(attrs=typed), **common)
    return forms.CharField(empty_value=None, widget=TextInput(attrs=typed), **common)


class GovBoundField(BoundField):
    """A field on the page: its id is its name with dots as dashes, and its hint and error
    describe its input."""

    @property
    def auto_id(self) -> str:
        return self.html_name.replace(".", "-")

    @property
    def spec(self) -> Field:
        form: SpecForm = self.form  # type: ignore[assignment]
        return form.specs[self.name]

    @property
    def error(self) -> str:
        return str(self.errors[0]) if self.errors else ""

    @property
    def describedby(self) -> str:
        ids = [f"{self.auto_id}-hint"] if self.spec.hint else []
        return " ".join([*ids, f"{self.auto_id}-error"] if self.errors else ids)

    @property
    def aria_describedby(self) -> str | None:
        return self.describedby or None

    def build_widget_attrs(self, attrs: Any, widget: Any = None) -> dict[str, Any]:
        built: dict[str, Any] = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        base = getattr(widget, "govuk", "")
        if self.errors and base:
            built["class"] = f"{widget.attrs.get('class', base)} {base}--error"
        return built


class SpecForm(forms.Form):
    """A form of fields built from a field list (``Layout.form_class``)."""

    use_required_attribute = False
    bound_field_class = GovBoundField
    base_specs: ClassVar[Mapping[str, Field]] = {}
    row_noun: ClassVar[str] = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.specs: dict[str, Field] = dict(self.base_specs)  # its own: a page may change a hint
        if self.row_noun and self.prefix:  # "Device 2: Kind of device" in a row's messages
            number = int(self.prefix.rsplit("-", 1)[1]) + 1
            for name, django in self.fields.items():
                spec = self.specs[name]
                django.error_messages = _messages(spec, f"{self.row_noun} {number}: {spec.label}")

    def field(self, name: str) -> GovBoundField:
        return self[name]  # type: ignore[return-value]

    def present(self, name: str) -> bool:
        """Whether the field was sent (a field not on the page is not, and so is not read)."""
        if not self.is_bound:
            return False
        return self.add_prefix(name) in self.data

    def add_once(self, name: str | None, message: str) -> None:
        """``message`` beside field ``name`` (above the form if None), unless it has one."""
        if name is None or not self.has_error(name):
            self.add_error(name, message)


def form_class(
    fields: Iterable[Field],
    *,
    defaults: Mapping[str, Any] | None = None,
    required: Iterable[str] = (),
    noun: str = "",
) -> type[SpecForm]:
    """A Django form class of ``fields`` (the paths in ``required`` must be given; an empty
    choice is its value in ``defaults``). ``noun`` makes it a row of a list: "Device"."""
    defaults, required = defaults or {}, frozenset(required)
    specs = {f.path: f for f in fields}
    attrs: dict[str, Any] = {
        path: django_field(f, default=defaults.get(path), blank=not noun, required=path in required)
        for path, f in specs.items()
    }
    attrs |= {"base_specs": specs, "row_noun": noun}
    return type("LayoutForm", (SpecForm,), attrs)

"""The filters of the lists, read from the address (GET) by Django forms, so that a list can
be shared by its URL and filtered without JavaScript. A filter that does not parse is named in
the error summary and left out; the list is read with the others."""

from __future__ import annotations

from typing import Any, TypedDict

from django import forms
from django.http import QueryDict

from vigil.domain import kinds
from vigil.domain.enums import Category, RecordKind
from vigil.services import (
    ALERT_KINDS,
    ALERT_STATUSES,
    ALL_UNITS,
    CASE_STATUSES,
    SERIES_STATUSES,
    CaseFilters,
    unit_choices,
    user_unit,
)

ANY = [("", "Any")]


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        required=False,
        label=label,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": f"{label} must be a real date, like 27/03/2015"},
    )


class UnitFilterForm(forms.Form):
    """The command unit a list shows (a unit takes in the units below it), or all units. The
    choices are the units loaded when the form is made."""

    unit = forms.ChoiceField(
        required=False,
        label="Command unit",
        error_messages={"invalid_choice": "Choose a command unit from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = unit_choices()
        self.has_units = bool(units)
        self.names = dict(units)
        field = self.fields["unit"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(ALL_UNITS, "All units"), *units]

    def unit_filter(self) -> str:
        """The unit asked for (after ``is_valid``): its code, or '' for all units."""
        unit = str(self.cleaned_data.get("unit") or "") if hasattr(self, "cleaned_data") else ""
        return "" if unit == ALL_UNITS else unit

    def unit_name(self) -> str:
        """The unit asked for in words ('Eastmarsh (EM)'), or '' for all units."""
        return self.names.get(self.unit_filter(), "")


def own_unit_first(params: QueryDict, username: str) -> QueryDict:
    """The address's parameters, with the signed-in user's own unit when they name none: a
    list starts from the user's unit, and offers every unit ('all')."""
    if "unit" in params:
        return params
    own = user_unit(username)
    if not own:
        return params
    params = params.copy()
    params["unit"] = own
    return params


class CaseFilterForm(UnitFilterForm):
    q = forms.CharField(required=False, max_length=100, strip=True, label="Reference or name")
    category = forms.ChoiceField(
        required=False,
        label="Category",
        choices=ANY + [(c.value, c.label) for c in Category],
        error_messages={"invalid_choice": "Choose a category from the list"},
    )
    status = forms.ChoiceField(
        required=False,
        label="Checklist",
        choices=ANY + list(CASE_STATUSES.items()),
        error_messages={"invalid_choice": "Choose a checklist status from the list"},
    )
    reported_from = _date("Reported from")
    reported_to = _date("Reported to")
    kind = forms.ChoiceField(
        required=False,
        label="Kind of record",
        choices=ANY + [(k.value, kinds.noun(k).capitalize()) for k in RecordKind],
        error_messages={"invalid_choice": "Choose a kind of record from the list"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("reported_from"), data.get("reported_to")
        if first and last and last < first:
            self.add_error("reported_to", "Reported to must be the same as or after reported from")
        return data

    def filters(self) -> CaseFilters:
        """The filters that parsed (after ``is_valid``)."""
        data = self.cleaned_data
        return CaseFilters(
            search=data.get("q") or "",
            category=data.get("category") or "",
            status=data.get("status") or "",
            reported_from=data.get("reported_from"),
            reported_to=data.get("reported_to"),
            unit=self.unit_filter(),
            kind=data.get("kind") or "",
        )


def read_filters(form_class: type[forms.Form], params: QueryDict) -> tuple[Any, list[Any]]:
    """The bound form (validated) and its errors as (field id, message) for the summary."""
    form = form_class(params)
    form.is_valid()
    errors = [(name, message) for name, messages in form.errors.items() for message in messages]
    return form, errors


class SortParams(TypedDict):
    sort: str | None
    direction: str | None
    page: str | None


def sort_params(params: QueryDict) -> SortParams:
    """The sort, the direction and the page asked for (the service ignores what it does not
    allow)."""
    return {"sort": params.get("sort"), "direction": params.get("dir"), "page": params.get("page")}


class AlertFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        label="Answered or not",
        choices=list(ALERT_STATUSES.items()),
        error_messages={"invalid_choice": "Choose which alerts to show, answered or not"},
    )
    kind = forms.ChoiceField(
        required=False,
        label="Kind of alert",
        choices=list(ALERT_KINDS.items()),
        error_messages={"invalid_choice": "Choose the kind of alert from the list"},
    )
    mine = forms.BooleanField(required=False, label="Only alerts put before me")


class SeriesFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        label="Review",
        choices=ANY + list(SERIES_STATUSES.items()),
        error_messages={"invalid_choice": "Choose a review status from the list"},
    )

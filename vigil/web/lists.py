"""The filters of the lists, read from the address (GET) by Django forms, so that a list can
be shared by its URL and filtered without JavaScript. A filter that does not parse is named in
the error summary and left out; the list is read with the others."""

from __future__ import annotations

from typing import Any, TypedDict

from django import forms
from django.http import QueryDict

from vigil.domain.enums import Category
from vigil.services import ALERT_KINDS, ALERT_STATUSES, CASE_STATUSES, SERIES_STATUSES, CaseFilters

ANY = [("", "Any")]


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        required=False,
        label=label,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": f"{label} must be a real date, like 27/03/2015"},
    )


class CaseFilterForm(forms.Form):
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

"""Template tags for lists read a page at a time (``vigil.services.readmodels.listing``):
``{% load vigil_lists %}``, then ``{% sort_header listing "reported" "Reported" %}`` for a
column header that sorts the list, ``{% with_params page=2 %}`` for this page's address with
some parameters changed, and ``{% include "vigil/_pagination.html" %}`` for the pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict

from vigil.services import Listing

register = template.Library()


def _query(context: template.Context, changes: dict[str, Any]) -> str:
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for name, value in changes.items():
        if value is None or value == "":
            params.pop(name, None)
        else:
            params[name] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def with_params(context: template.Context, **changes: Any) -> str:
    """This page's query string with ``changes`` made (a parameter set to '' or None is
    dropped): the other filters, the sort and the page are kept, so a list's address can be
    shared."""
    return _query(context, changes)


@register.inclusion_tag("vigil/_sort_header.html", takes_context=True)
def sort_header(
    context: template.Context, listing: Listing[Any], key: str, label: str, numeric: bool = False
) -> dict[str, Any]:
    """A column header that sorts the list by ``key``: the column sorted now carries
    ``aria-sort`` and its link turns the order round; another column's link sorts by it in
    its natural direction. Sorting starts again at the first page."""
    order = listing.order
    current = order is not None and order.key == key
    if current:
        assert order is not None
        state = "descending" if order.descending else "ascending"
        direction = "asc" if order.descending else "desc"
    else:
        state, direction = "none", ""
    return {
        "label": label,
        "numeric": numeric,
        "state": state,
        "href": _query(context, {"sort": key, "dir": direction, "page": None}),
    }

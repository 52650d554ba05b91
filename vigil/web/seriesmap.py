"""The series map's data and background, and explanations' times of day in local time.

``map_data`` is the JSON the series page carries for its map (static ``vigil/series.js`` draws
it with Leaflet): the placed cases, the legs between consecutive cases labelled with their
distance (computed by ``services.seriespage``), and what to draw underneath, as
``VIGIL_MAP_TILES`` says (``vigil.config.mapsource``): nothing, a force's tile server, or a
GeoJSON vector file. A vector file kept on the server is answered by ``map_background``, to
those who may see series only.

``local_clock`` rewrites the times of day that the linkage engine writes in UTC into the site's
time zone, as every other time on the alert and series pages is shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase, JsonResponse
from django.urls import reverse
from django.utils.timezone import localtime

from vigil.config.mapsource import map_background
from vigil.services import Forbidden, SeriesChart, map_background_file
from vigil.web.common import actor_of


def map_data(chart: SeriesChart) -> dict[str, Any]:
    """The points (each case found with its place), the legs between consecutive cases
    labelled with their distance, and the background: a tile URL template (``tiles``) or the
    address of a GeoJSON file (``vector``), each empty when not set."""
    background = map_background(settings.VIGIL.map_tiles)
    vector = ""
    if background.kind == "vector":
        local = background.local_file is not None
        vector = reverse("series-map-background") if local else background.source
    return {
        "tiles": background.source if background.kind == "tiles" else "",
        "vector": vector,
        "cases": [
            {
                "reference": ref,
                "lat": lat,
                "lon": lon,
                "url": reverse("case-detail", args=[ref]),
            }
            for ref, lat, lon in chart.page.places
        ],
        "legs": [
            {"from": leg.start, "to": leg.end, "metres": leg.metres, "label": leg.words}
            for leg in chart.legs
        ],
    }


NOTHING: dict[str, Any] = {"type": "FeatureCollection", "features": []}


@login_required
def background_file(request: HttpRequest) -> HttpResponseBase:
    """The GeoJSON vector file the series map is drawn on, when the setting names a file on
    this server (streets or boundaries a force keeps offline); else an empty collection."""
    try:
        path = map_background_file(actor_of(request))
    except Forbidden as exc:
        raise PermissionDenied(exc.reason) from None
    if path is None:  # none is kept here: an empty collection, which draws nothing
        return JsonResponse(NOTHING, content_type="application/geo+json")
    if not path.is_file():
        raise Http404("The map background cannot be read.")
    return FileResponse(path.open("rb"), content_type="application/geo+json")


_CLOCK = re.compile(
    r"\b(both found at|found at) ([0-2][0-9]:[0-5][0-9])(?: and ([0-2][0-9]:[0-5][0-9]))? UTC\b"
)


def local_clock(sentence: str, moments: Iterable[datetime | None]) -> str:
    """A reason's times of day in the site's time zone: 'found at 01:10 and 02:40 UTC' reads
    'found at 02:10 and 03:40' in a British summer. Each time is converted on the day of the
    case it belongs to (``moments``: when each case of the pair was found, or reported, as the
    linkage profile reads it), since the offset changes with the season. A sentence whose
    times match none of the moments is left as it was, in UTC, which it says."""
    match = _CLOCK.search(sentence)
    if not match:
        return sentence
    known = [m for m in moments if m is not None]

    def matching(clock: str) -> list[int]:
        return [i for i, m in enumerate(known) if m.astimezone(UTC).strftime("%H:%M") == clock]

    def shown(i: int) -> str:
        return localtime(known[i]).strftime("%H:%M")

    if match.group(3) is None:  # 'both found at HH:MM UTC'
        clocks = sorted({shown(i) for i in matching(match.group(2))})
        if not clocks:
            return sentence
        words = (
            f"both found at {clocks[0]}"
            if len(clocks) == 1
            else f"found at {clocks[0]} and {clocks[1]}"
        )
    else:
        first = matching(match.group(2))
        second = [i for i in matching(match.group(3)) if i not in first[:1]]
        if not first or not second:
            return sentence
        words = f"found at {shown(first[0])} and {shown(second[0])}"
    return sentence[: match.start()] + words + sentence[match.end() :]

"""What the series map is drawn on: ``VIGIL_MAP_TILES`` read as one of three things.

- empty (the default, as on a closed police network): nothing; the page draws the points, the
  distances between them and a scale on a plain background;
- a tile server's URL template with ``{z}``, ``{x}`` and ``{y}`` (a force's own, such as
  ``https://tiles.force.example/{z}/{x}/{y}.png``; ``{s}`` for its sub-domains): raster tiles;
- a vector file in GeoJSON (streets, boundaries) that the map draws under the points: a path on
  the server (Vigil serves it to those who may see series) or an ``https://`` address ending
  in ``.geojson`` or ``.json``.

The Content-Security-Policy lets the browser reach the configured host, and only when one is
set: the tile server's origin for images, a remote vector file's origin for requests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from vigil.config.env import SettingsError

SETTING = "VIGIL_MAP_TILES"
VECTOR_SUFFIXES = (".geojson", ".json")


class MapSourceError(SettingsError):
    """The setting names neither a tile URL template nor a GeoJSON file."""


@dataclass(frozen=True)
class MapBackground:
    kind: Literal["none", "tiles", "vector"]
    source: str = ""  # the URL template, the vector file's address, or its path on the server

    @property
    def local_file(self) -> Path | None:
        """The vector file's path on this server (Vigil serves it), or None."""
        if self.kind != "vector" or _is_url(self.source):
            return None
        return Path(self.source.removeprefix("file://"))

    def _origin(self) -> list[str]:
        parts = urlsplit(self.source)
        if not parts.netloc:
            return []  # the same host as Vigil
        # 'https://{s}.tile.example.org/...' -> 'https://*.tile.example.org'
        return [f"{parts.scheme}://{re.sub(r'[{][^}]*[}]', '*', parts.netloc)}"]

    def image_sources(self) -> list[str]:
        """The CSP img-src entries the tiles need."""
        return self._origin() if self.kind == "tiles" else []

    def connect_sources(self) -> list[str]:
        """The CSP connect-src entries a remote vector file needs."""
        return self._origin() if self.kind == "vector" and _is_url(self.source) else []


def _is_url(value: str) -> bool:
    return urlsplit(value).scheme in ("http", "https")


def map_background(value: str) -> MapBackground:
    """Read the setting; refuse, naming it, anything that is neither a tile URL template nor a
    GeoJSON file."""
    value = value.strip()
    if not value:
        return MapBackground("none")
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and not parts.netloc:
        raise MapSourceError(f"{SETTING}: '{value}' has no host name")
    if all(f"{{{axis}}}" in value for axis in "zxy"):
        if parts.scheme not in ("http", "https", ""):
            raise MapSourceError(f"{SETTING}: tiles must be fetched over http or https")
        return MapBackground("tiles", value)
    if parts.path.lower().endswith(VECTOR_SUFFIXES):
        if _is_url(value):
            return MapBackground("vector", value)
        if parts.scheme not in ("", "file"):
            raise MapSourceError(f"{SETTING}: '{value}' is not an http, https or file address")
        return MapBackground("vector", value)
    raise MapSourceError(
        f"{SETTING}: '{value}' is neither a tile address with {{z}}, {{x}} and {{y}} in it nor a "
        "GeoJSON file (a path or address ending in .geojson or .json)"
    )


def checked(value: str) -> MapBackground:
    """The background the setting names, once a local vector file is found readable (the
    settings module calls this at start-up, so a wrong value stops Vigil, naming it)."""
    background = map_background(value)
    path = background.local_file
    if path is not None and not path.is_file():
        raise MapSourceError(f"{SETTING}: cannot read the vector file {path}")
    return background

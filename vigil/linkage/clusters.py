"""Series from links: the connected groups of cases that confirmed (or alerted) links join."""

from __future__ import annotations

from collections.abc import Iterable


class Components:
    """Groups of ids joined by pairs, growing one pair at a time (union-find)."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self._parent: dict[str, str] = {}
        for a, b in pairs:
            self.join(a, b)

    def find(self, x: str) -> str:
        parent = self._parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(self, a: str, b: str) -> None:
        self._parent[self.find(a)] = self.find(b)

    def together(self, ids: Iterable[str]) -> bool:
        """True when all ``ids`` are in one group."""
        return len({self.find(x) for x in ids}) <= 1

    def groups(self) -> list[list[str]]:
        """Each group sorted; largest first, then by first id."""
        found: dict[str, list[str]] = {}
        for x in list(self._parent):
            found.setdefault(self.find(x), []).append(x)
        return sorted((sorted(g) for g in found.values()), key=lambda g: (-len(g), g[0]))

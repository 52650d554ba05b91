"""The one error a broken policy pack raises: which file, which key, and why."""

from __future__ import annotations


class PolicyError(Exception):
    """A policy pack is broken. ``file`` is the pack file (``default/checklist.yaml``), ``key``
    the path inside it (``checklist[3].deadline``), ``reason`` a sentence. ``others`` holds any
    further problems found in the same file, so an administrator can fix them in one go."""

    def __init__(
        self, file: str, key: str, reason: str, others: tuple[PolicyError, ...] = ()
    ) -> None:
        self.file = file
        self.key = key
        self.reason = reason
        self.others = others
        super().__init__(str(self))

    def __str__(self) -> str:
        first = f"{self.file}: {self.key}: {self.reason}"
        return "\n".join([first, *(str(other) for other in self.others)])

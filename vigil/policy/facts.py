"""Facts as conditions see them: what kind each path holds, and its value.

Most are the death report's (``vigil.domain.facts.FACT_PATHS``). A few are facts of how the case
is being handled that the report does not hold and ``CaseView`` does not carry: the caller of
``evaluate`` supplies them as ``CaseFacts`` (``CASE_FACTS`` lists their paths).
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from vigil.domain.facts import flatten
from vigil.domain.report import DeathReport

FactKind = Literal["text", "number", "flag", "choice", "date", "texts", "records"]


@dataclass(frozen=True, slots=True)
class FactSpec:
    """What a fact path holds; ``choices`` lists the values of a controlled vocabulary."""

    kind: FactKind
    choices: frozenset[str] = frozenset()


def _strip(annotation: Any) -> Any:
    """``When | None`` -> ``datetime``: drop Optional and Annotated wrappers."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        else:
            return annotation


def _spec(annotation: Any) -> FactSpec:
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return FactSpec("choice", frozenset(member.value for member in annotation))
    if annotation is bool:
        return FactSpec("flag")
    if annotation in (int, float):
        return FactSpec("number")
    if annotation is str:
        return FactSpec("text")
    if annotation in (date, datetime):
        return FactSpec("date")
    if get_origin(annotation) is tuple:
        return FactSpec("texts" if _strip(get_args(annotation)[0]) is str else "records")
    raise TypeError(f"no fact kind for {annotation!r}")


def _specs(model: type[BaseModel], prefix: str = "") -> dict[str, FactSpec]:
    out: dict[str, FactSpec] = {}
    for name, field in model.model_fields.items():
        annotation = _strip(field.annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            out.update(_specs(annotation, f"{prefix}{name}."))
        else:
            out[f"{prefix}{name}"] = _spec(annotation)
    return out


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """Facts of a case's handling that evaluation needs and the caller supplies.

    ``panel_referred_at``: when the case was referred to the independent advisory panel (None:
    it has not been). A referral recorded after the time of evaluation does not count yet, so
    a replay of the case on an earlier day reads as that day did."""

    panel_referred_at: datetime | None = None
    # The day the oldest family concern from the public portal naming the case, still waiting
    # for an answer, was received (None: none waits).
    portal_concern_since: datetime | None = None


# The report's paths, with what each holds (the same paths as domain.facts.FACT_PATHS).
REPORT_FACTS: Mapping[str, FactSpec] = types.MappingProxyType(_specs(DeathReport))
# The paths of CaseFacts, as conditions name them. Checklist and panel rules may read them; floor
# rules may not (the floor is the report's, and check_decision computes it from the report alone).
CASE_FACTS: Mapping[str, FactSpec] = types.MappingProxyType(
    {"panel_referred": FactSpec("flag"), "portal_concern_unanswered": FactSpec("flag")}
)
# Every path a condition may name.
FACTS: Mapping[str, FactSpec] = types.MappingProxyType({**REPORT_FACTS, **CASE_FACTS})


def check_fact_path(path: str) -> str:
    """The path if the report has it; ValueError with the nearest spellings otherwise."""
    if path in FACTS:
        return path
    near = difflib.get_close_matches(path, FACTS, n=3)
    hint = f"; did you mean {' or '.join(near)}?" if near else ""
    raise ValueError(f"'{path}' is not a fact of a death report{hint}")


def age_at_death(report: DeathReport) -> int | None:
    """The recorded age, else the age on the day found (or reported) from the date of birth."""
    deceased = report.deceased
    if deceased.age is not None:
        return deceased.age
    when = report.found_at or report.reported_at
    if deceased.date_of_birth is None or when is None:
        return None
    born, day = deceased.date_of_birth, when.date()
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def read_facts(
    report: DeathReport, case_facts: CaseFacts | None = None, now: datetime | None = None
) -> dict[str, Any]:
    """The report's facts by path, JSON values; ``deceased.age`` is derived when not given.
    With ``case_facts``, their paths too, as they stood at ``now`` (any time if None)."""
    values = flatten(report.model_dump(mode="json"))
    values["deceased.age"] = age_at_death(report)
    referred = (case_facts or CaseFacts()).panel_referred_at
    values["panel_referred"] = referred is not None and (now is None or referred <= now)
    waiting = (case_facts or CaseFacts()).portal_concern_since
    values["portal_concern_unanswered"] = waiting is not None and (now is None or waiting <= now)
    return values

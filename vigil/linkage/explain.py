"""Why two cases were linked, in words an inspector understands.

Splink gives every pair a match weight made of one contribution per comparison (log2 Bayes
factors). :func:`explain` pairs each contribution with what its feature compared and says it
as a sentence: "found 40 m apart", "share phone +447700900461: caller (Sam Testperson) on A,
friend (Jo Testperson) on B". :func:`render` adds the signed weight.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from vigil.domain import kinds
from vigil.domain.enums import RecordKind
from vigil.domain.identifiers import normalise_name
from vigil.linkage.features import (
    BY_NAME,
    FEATURES,
    Compared,
    Sides,
    join_and,
    show_identifier,
    show_name,
)
from vigil.linkage.frequency import Frequencies
from vigil.linkage.profile import WRITTEN_IN, Profile

MAX_LISTED = 3  # shared identifiers or names spelt out in one sentence; the rest are counted


class Reason(NamedTuple):
    """One feature's part in a pair's match weight."""

    feature: str
    weight: float
    sentence: str


@dataclass(frozen=True)
class _Pair:
    profiles: tuple[Profile, Profile]
    sides: Sides
    frequencies: Frequencies


def _role_word(role: str) -> str:
    return role.replace("_", " ")


def _holders(entries: Iterable[str]) -> list[tuple[str, list[str]]]:
    """'caller (Sam Testperson)', 'friend (Sam Testperson)' -> [('Sam Testperson', ['caller',
    'friend'])], in order of appearance."""
    grouped: dict[str, list[str]] = {}
    for entry in entries:
        role, _, rest = entry.partition(" (")
        words = grouped.setdefault(rest.removesuffix(")"), [])
        if _role_word(role) not in words:
            words.append(_role_word(role))
    return list(grouped.items())


def _who(entries: Iterable[str]) -> str:
    held = _holders(entries)
    if not held:
        return "someone"
    return join_and(f"{join_and(roles)} ({who})" if who else join_and(roles) for who, roles in held)


def _listed(parts: list[str]) -> str:
    shown = "; ".join(parts[:MAX_LISTED])
    extra = len(parts) - MAX_LISTED
    return shown + (f"; and {extra} more" if extra > 0 else "")


def _substances(pair: _Pair, compared: Compared) -> str:
    """'GHB was found in both; it is found in 0.8% of deaths in the store (4 of 500)'."""
    if compared.level is None or not compared.value:
        return compared.text
    return "; ".join(pair.frequencies.said(s) for s in compared.value)


def _covered(key: str, shared: Iterable[str]) -> bool:
    """A shared postcode is not spelt out beside a shared address that holds it."""
    if not key.startswith("postcode:"):
        return False
    postcode = key.partition(":")[2]
    return any(k.startswith("address:") and k.endswith(" " + postcode) for k in shared)


def _institutions(pair: _Pair) -> str:
    """'; both hold LINTON HOUSE HOSTEL, which is on 14 cases (an institution's: not weighed)'
    for the identifiers moved out of scoring (frequency.COMMON_HOLDERS), else ''."""
    a, b = (set(p.row.get("common_identifiers") or ()) for p in pair.profiles)
    shared = sorted(a & b)
    if not shared:
        return ""
    parts = [f"{show_identifier(k)}, {pair.frequencies.holders_said(k)}" for k in shared]
    return f"; both hold {_listed(parts)} (an institution's: not weighed)"


def _identifiers(pair: _Pair, compared: Compared) -> str:
    if compared.level is None or not compared.value:
        return compared.text + _institutions(pair)
    (a, b), (side_a, side_b) = pair.profiles, pair.sides
    parts = [
        f"{show_identifier(key)}: {_who(a.roles.get(key, ()))} on {side_a}, "
        f"{_who(b.roles.get(key, ()))} on {side_b}"
        for key in compared.value
        if not _covered(key, compared.value)
    ]
    return "share " + _listed(parts) + _institutions(pair)


def _normalised(name: str) -> str:
    try:
        return normalise_name(name)
    except ValueError:  # no letters or digits: a reference, never equal to a name
        return ""


def _person(profile: Profile, name: str, side: str) -> str:
    """Who ``name`` is on a case: 'the caller on A', 'an alias of the friend (Jo Testperson)
    on B', 'the deceased on A'."""
    held = _holders(profile.roles.get(f"name:{name}", ()))
    if held:
        words = []
        for who, roles in held:
            same = not who or _normalised(who) == name
            words.append(join_and(roles) if same else f"{join_and(roles)} ({who})")
        return f"the {join_and(words)} on {side}"
    aliases = profile.roles.get(f"alias:{name}", ())
    if aliases:
        return f"an alias of the {_who(aliases)} on {side}"
    return f"the deceased on {side}"


def _first_named(profile: Profile, first: str, side: str) -> str:
    """Who on a case has ``first`` as first name: 'the deceased (Gabriel Testperson) on B'."""
    holders = [
        entry
        for key, entries in sorted(profile.roles.items())
        if key.startswith(("name:", "alias:")) and key.partition(":")[2].split()[:1] == [first]
        for entry in entries
        if not entry.startswith(WRITTEN_IN)
    ]
    return f"the {_who(holders)} on {side}" if holders else f"someone on {side}"


def _text_names(pair: _Pair, compared: Compared) -> str:
    if compared.level is None or not compared.value:
        return compared.text
    if compared.level > 0:
        parts = []
        for name, side in compared.value:
            mentioned, person = pair.profiles[side], pair.profiles[1 - side]
            where = mentioned.texts.get(name, "the free text")
            parts.append(
                f"{where} on {pair.sides[side]} names '{show_name(name)}'; "
                f"{_first_named(person, name, pair.sides[1 - side])} is named "
                f"{show_name(name)}, {pair.frequencies.name_said(name)}"
            )
        return _listed(parts)
    parts = []
    for name, side in compared.value:
        mentioned, person = pair.profiles[side], pair.profiles[1 - side]
        where = mentioned.texts.get(name, "the free text")
        parts.append(
            f"'{show_name(name)}', named in {where} on {pair.sides[side]}, "
            f"is {_person(person, name, pair.sides[1 - side])}"
        )
    return _listed(parts)


def _plain(_: _Pair, compared: Compared) -> str:
    return compared.text


_SENTENCES: dict[str, Callable[[_Pair, Compared], str]] = {
    "substance": _substances,
    "identifiers": _identifiers,
    "text_names": _text_names,
}


def sides_of(a: Profile, b: Profile) -> Sides:
    """How an explanation names the two records: by reference ('L-1') when both are deaths,
    as they always were; when either is another kind, each with its kind in words ('the
    drugging report R-1', 'the death D-1'), so that the reader knows what each record is."""
    refs = (str(a.row["unique_id"]), str(b.row["unique_id"]))
    if a.kind == b.kind == RecordKind.DEATH.value:
        return refs
    return (f"the {kinds.noun(a.kind)} {refs[0]}", f"the {kinds.noun(b.kind)} {refs[1]}")


def explain(
    a: Profile,
    b: Profile,
    contributions: Mapping[str, float],
    frequencies: Frequencies,
    *,
    by_reference: bool = False,
) -> list[Reason]:
    """Each feature's contribution to the pair's match weight, as a sentence, largest
    |weight| first (ties in FEATURES order). ``contributions`` maps feature names to log2
    Bayes factors (see :func:`weights_from_splink`); ``a`` and ``b`` carry their scoring
    columns (annotated with ``frequencies``, which the sentences quote); features missing from
    it are left out, and so are those with a missing value and no weight (they said nothing).
    The sides are 'A' and 'B', or the case references when ``by_reference`` (with the kind of
    each record in words when either is not a death: ``sides_of``)."""
    unknown = sorted(set(contributions) - set(BY_NAME))
    if unknown:
        raise ValueError(f"no pair feature named {', '.join(unknown)}")
    sides = sides_of(a, b) if by_reference else ("A", "B")
    pair = _Pair((a, b), sides, frequencies)
    reasons = []
    for feature in FEATURES:
        if feature.name not in contributions:
            continue
        weight = float(contributions[feature.name])
        compared = feature.compare(a.row, b.row, sides)
        if compared.level is None and weight == 0:
            continue
        sentence = _SENTENCES.get(feature.name, _plain)(pair, compared)
        reasons.append(Reason(feature.name, weight, sentence))
    return sorted(reasons, key=lambda r: -abs(r.weight))


def format_weight(weight: float) -> str:
    """'+6.2', '-3.4', '0.0'."""
    return "0.0" if round(weight, 1) == 0 else f"{weight:+.1f}"


def render(reasons: Iterable[Reason]) -> list[str]:
    """'found 40 m apart: +6.2', one line per reason."""
    return [f"{r.sentence}: {format_weight(r.weight)}" for r in reasons]


def _percent(probability: float) -> str:
    shown = f"{probability * 100:.1f}"
    if shown == "100.0" and probability < 1:
        return "over 99.9%"
    if shown == "0.0" and probability > 0:
        return "under 0.1%"
    return f"{shown}%"


def summary(match_weight: float, probability: float) -> str:
    """'match weight 14.2 (probability 99.9%)'."""
    return f"match weight {match_weight:.1f} (probability {_percent(probability)})"


def weights_from_splink(record: Mapping[str, Any]) -> dict[str, float]:
    """Contributions from one row of Splink's predictions: ``mw_<name>`` plus
    ``mw_tf_adj_<name>`` (Splink 5), or log2 of ``bf_<name>`` x ``bf_tf_adj_<name>`` (older
    Splink), for every feature the row holds."""
    weights: dict[str, float] = {}
    for feature in FEATURES:
        name = feature.name
        if record.get(f"mw_{name}") is not None:
            weights[name] = float(record[f"mw_{name}"]) + float(
                record.get(f"mw_tf_adj_{name}") or 0.0
            )
        elif record.get(f"bf_{name}") is not None:
            factor = float(record[f"bf_{name}"]) * float(record.get(f"bf_tf_adj_{name}") or 1.0)
            weights[name] = math.log2(factor) if factor > 0 else -math.inf
    return weights

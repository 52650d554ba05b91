"""Linkage profiles in the store: written with every change of a case, with the copies that
find candidates through an index (its substances, its identifier keys), and the store's
frequencies that weigh a pair when it is scored (vigil.linkage.frequency).

A profile depends on its own case only; frequencies are read when pairs are scored, the same
table for both sides, so a pair weighs the same whichever case was saved last.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.case import CaseView
from vigil.domain.identifiers import normalise_name
from vigil.linkage import profile as linkprofile
from vigil.linkage.frequency import Frequencies
from vigil.records import models as m
from vigil.records.queries import load_view
from vigil.services.access.rules import require

SCAN_KEY = "scan_key"


def store_profile(case: m.Case, view: CaseView) -> linkprofile.Profile:
    """Build the case's profile from its facts and store it with its substances and keys."""
    profile = linkprofile.build(view)
    kept = {k: v for k, v in (case.profile or {}).items() if k == SCAN_KEY}
    case.profile = {**profile.stored(), **kept}
    m.Case.objects.filter(pk=case.pk).update(profile=case.profile)
    _copy(case, m.CaseSubstance, "substance", profile.row["substances"])
    _copy(case, m.CaseKey, "key", profile.row["identifiers"])
    return profile


def remember_scan(case: m.Case, key: list[Any]) -> None:
    """Keep with the profile what the case's last cluster check depended on (services.clusters
    scans again only when it changes)."""
    case.profile = {**(case.profile or {}), SCAN_KEY: key}
    m.Case.objects.filter(pk=case.pk).update(profile=case.profile)


def _copy(case: m.Case, model: Any, field: str, values: Iterable[str]) -> None:
    wanted = set(values)
    have = set(model.objects.filter(case=case).values_list(field, flat=True))
    model.objects.filter(case=case).exclude(**{f"{field}__in": wanted}).delete()
    model.objects.bulk_create(model(case=case, **{field: v}) for v in sorted(wanted - have))


def _first_name_counts(names: set[str]) -> dict[str, int]:
    """In how many cases each first name is the first word of a name: a person's name or
    alias (an index range on the identifiers), the deceased's, or the name the person
    reported used on a drugging report (an alias key of its profile), as
    ``Frequencies.of_rows`` counts a profile's ``first_names``."""
    counts: dict[str, int] = {}
    for name in sorted(names):
        # 'gabriel' and 'gabriel ...' but not 'gabriella': ' ' sorts just before '!'
        words = Q(normalised=name) | Q(normalised__gte=f"{name} ", normalised__lt=f"{name}!")
        cases = set(
            m.Identifier.objects.filter(words, kind__in=("name", "alias")).values_list(
                "case_id", flat=True
            )
        )
        alias = f"alias:{name}"
        used = Q(key=alias) | Q(key__gte=f"{alias} ", key__lt=f"{alias}!")
        cases.update(m.CaseKey.objects.filter(used).values_list("case_id", flat=True))
        for pk, deceased in m.Case.objects.filter(deceased_name__istartswith=name).values_list(
            "pk", "deceased_name"
        ):
            if _first(deceased) == name:
                cases.add(pk)
        counts[name] = len(cases)
    return counts


def _first(name: str) -> str:
    try:
        return normalise_name(name).split()[0]
    except ValueError:
        return ""


def frequencies_for(rows: Iterable[Mapping[str, Any]]) -> Frequencies:
    """The store's frequencies of the substances, first names and identifiers of ``rows`` (the
    case being linked and its candidates): a few grouped queries, the same counts whatever the
    order in which the cases were saved."""
    rows = list(rows)
    keys = sorted({k for r in rows for k in r.get("identifiers") or ()})
    holders = dict(
        m.CaseKey.objects.filter(key__in=keys)
        .values_list("key")
        .annotate(n=Count("case"))
        .values_list("key", "n")
    )
    substances = sorted({s for r in rows for s in r.get("substances") or ()})
    names = {n for r in rows for c in ("first_names", "text_first_names") for n in r.get(c) or ()}
    counts = dict(
        m.CaseSubstance.objects.filter(substance__in=substances)
        .values_list("substance")
        .annotate(n=Count("case"))
        .values_list("substance", "n")
    )
    return Frequencies(
        counts, _first_name_counts(names), m.Case.objects.count(), identifiers=holders
    )


def store_frequencies(rows: Iterable[Mapping[str, Any]]) -> Frequencies:
    """The frequencies of a whole store whose profile rows are ``rows`` (a batch link)."""
    counted = Frequencies.of_rows(rows)
    return replace(counted, cases=m.Case.objects.count())


def rebuild_profiles(actor: Actor, progress: Callable[[str], None] | None = None) -> int:
    """Build every case's profile again from its facts (after the profile's shape changed:
    migration 0010 clears them); then re-link with ``vigil link --all``. Returns the count."""
    require(actor, Permission.RELINK)
    say = progress or (lambda _: None)
    done = 0
    pks = list(m.Case.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), 500):
        with transaction.atomic():
            for case in m.Case.objects.filter(pk__in=pks[start : start + 500]):
                store_profile(case, load_view(case))
                done += 1
        say(f"{done} of {len(pks)} profiles built")
    with transaction.atomic():
        audit.record(
            actor.username,
            Event.PROFILES_BUILT,
            "cases",
            "*",
            {"cases": done},
            at=datetime.now(UTC),
        )
    return done

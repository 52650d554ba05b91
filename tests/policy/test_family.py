"""Who counts as family (``family_relationships``), the ``family`` list and flags that read it,
and the default checklist's family items."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from vigil.domain import CaseView, Role
from vigil.policy import PolicyError, PolicyPack, default_pack, evaluate, load_pack
from vigil.policy.conditions import Condition
from vigil.policy.facts import read_facts
from vigil.policy.scope import Scope

from .factories import T0, case, complete_case, concern, hours, liaison, person
from .test_loader import HEADER, write_pack

CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)
FAMILY = frozenset({Role.NEXT_OF_KIN, Role.PARTNER, Role.FRIEND})
PEOPLE = (
    person("pat-testperson", Role.NEXT_OF_KIN),
    person("kim-testfriend", Role.FRIEND),
    person("wes-testwitness", Role.WITNESS),
    person("lee-testhost", Role.HOST, Role.FRIEND),
)


def check(
    data: dict[str, Any], case_: CaseView, family: frozenset[Role] = FAMILY
) -> tuple[bool, str]:
    scope = Scope(case_, T0, read_facts(case_.report), family_roles=family)
    outcome = CONDITION.validate_python(data).check(scope)
    return outcome.ok, outcome.why


def test_the_default_pack_counts_partners_and_friends_as_family() -> None:
    assert default_pack().family_relationships == FAMILY


def test_a_pack_without_the_key_counts_the_next_of_kin_only(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path, {"pack.yaml": HEADER}))
    assert pack.family_relationships == {Role.NEXT_OF_KIN}


# (case id, condition, case, family roles, verdict, reason)
VERDICTS: list[tuple[str, dict[str, Any], CaseView, frozenset[Role], bool, str]] = [
    ("every family member, by any of their roles", {"some": "family"}, case(persons=PEOPLE),
     FAMILY, True, "recorded: 'Pat Testperson' (next of kin), 'Kim Testfriend' (friend) and "
     "'Lee Testhost' (host, friend)"),
    ("the pack's definition decides", {"some": "family"}, case(persons=PEOPLE),
     frozenset({Role.NEXT_OF_KIN}), True, "recorded: 'Pat Testperson' (next of kin)"),
    ("a witness is not family", {"some": "family"},
     case(persons=(person("wes-testwitness", Role.WITNESS),)), FAMILY, False,
     "no family member is recorded"),
    ("liaison with family", {"some": "liaison", "where": {"family": True}},
     case(persons=PEOPLE, liaison=(liaison("kim-testfriend"),)), FAMILY, True,
     "recorded: liaison with 'Kim Testfriend' (friend) on 2015-06-19 08:00"),
    ("liaison with a witness only", {"some": "liaison", "where": {"family": True}},
     case(persons=PEOPLE, liaison=(liaison("wes-testwitness"),)), FAMILY, False,
     "no liaison entry that is with family is recorded"),
    ("a family concern", {"every": "concerns", "where": {"answered": True}},
     case(persons=PEOPLE, liaison=(liaison("kim-testfriend", concerns=(
         concern("Who was he with?", answered=False),)),)), FAMILY, False,
     "concern 'Who was he with?' raised by 'Kim Testfriend' (friend) is not answered"),
    ("a concern raised by family", {"some": "concerns", "where": {"family": True}},
     case(persons=PEOPLE, liaison=(liaison("wes-testwitness", concerns=(
         concern("I saw a man leave.", answered=True),)),)), FAMILY, False,
     "no concern that is raised by family is recorded"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "case_", "family", "ok", "why"),
    [v[1:] for v in VERDICTS],
    ids=[v[0] for v in VERDICTS],
)
def test_family_conditions(
    data: dict[str, Any], case_: CaseView, family: frozenset[Role], ok: bool, why: str
) -> None:
    assert check(data, case_, family) == (ok, why)


FAMILY_CONCERNS = """
checklist:
  - id: family_concern_answered
    title: Family concerns answered within 48 hours
    rule: Every concern the family raises is answered.
    owner_role: investigator
    for_each: {in: concerns, where: {family: true}}
    satisfied_when: {each: {answered: true}}
    deadline: 48h
    anchor: item
"""


def family_pack(tmp_path: Path, roles: str) -> PolicyPack:
    header = HEADER + f"family_relationships: {roles}\n"
    return load_pack(write_pack(tmp_path, {"pack.yaml": header, "rules.yaml": FAMILY_CONCERNS}))


def test_a_pack_can_ask_for_every_family_concern_answered_in_time(tmp_path: Path) -> None:
    pack = family_pack(tmp_path, "[next_of_kin, partner, friend]")
    open_concern = (concern("Why was his phone not found?", answered=False),)
    entries = (
        liaison("kim-testfriend", at=T0 + hours(2), concerns=open_concern),
        liaison("wes-testwitness", concerns=open_concern),  # not family: not this rule's
    )
    (item,) = evaluate(pack, case(persons=PEOPLE, liaison=entries), T0 + hours(51)).unmet
    assert (item.rule_id, item.subject) == ("family_concern_answered", "kim-testfriend")
    assert (item.deadline, item.overdue) == (T0 + hours(50), True)


# (case id, family_relationships as written, key, words of the reason)
BROKEN: list[tuple[str, str, str, str]] = [
    ("the deceased", "[next_of_kin, deceased]", "family_relationships",
     "the deceased is not their own family"),
    ("outside the vocabulary", "[next_of_kin, cousin]", "family_relationships[1]",
     "'cousin' is not one of"),
    ("no one", "[]", "family_relationships", "at least 1"),
    ("not a list", "partner", "family_relationships", "should be a list"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("roles", "key", "reason"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_a_broken_family_names_pack_yaml_and_the_key(
    tmp_path: Path, roles: str, key: str, reason: str
) -> None:
    with pytest.raises(PolicyError) as caught:
        family_pack(tmp_path, roles)
    assert (caught.value.file, caught.value.key) == ("trial/pack.yaml", key)
    assert reason in caught.value.reason


def test_the_default_checklist_tells_each_next_of_kin_and_partner_when_they_became_known() -> None:
    persons = (
        person("jo-testcaller", Role.CALLER),
        person("pat-testperson", Role.NEXT_OF_KIN),
        person("kit-testpartner", Role.PARTNER, known_at=T0 + hours(20)),
        person("kim-testfriend", Role.FRIEND),
    )
    ev = evaluate(default_pack(), complete_case(persons=persons), T0 + hours(30))
    (item,) = ev.unmet
    assert (item.rule_id, item.subject) == ("next_of_kin_told", "kit-testpartner")
    assert (item.deadline, item.overdue) == (T0 + hours(44), False)

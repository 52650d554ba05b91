"""Sign-off on every categorisation (``signoff_required: always``) or only below the floor
(``below_floor``): which decisions the checklist leaves waiting for a reviewing officer."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from vigil.domain import Category, UserRole
from vigil.policy import PolicyError, PolicyPack, default_pack, evaluate, load_pack
from vigil.policy.conditions import DecisionIs
from vigil.policy.facts import read_facts
from vigil.policy.scope import Scope

from .factories import T0, complete_case, decision, hours
from .test_loader import HEADER, write_pack

NOW = T0 + hours(30)
UUI = Category.UNEXPECTED_UNDER_INVESTIGATION
BY_CONSTABLE = decision(UUI, by="pc_testperson")  # at the floor, made by a response officer
BELOW_BY_CONSTABLE = decision(Category.UNEXPECTED_NOT_SUSPICIOUS, by="pc_testperson")

# The default pack's category_decided rule (it reads {decision: signed_off}) in a trial pack,
# with a floor the complete case is at (it has a note).
DECIDED = """
floor:
  - id: note_present
    category: unexpected_under_investigation
    reason: A note was found.
    when: {fact: scene.note_present, equals: true}
checklist:
  - id: category_decided
    title: Category decided, with a rationale, and signed off by a reviewing officer
    rule: A reviewing officer decides or signs off the category.
    owner_role: reviewing_officer
    satisfied_when: {decision: signed_off}
"""


def pack_with(tmp_path: Path, signoff: str | None) -> PolicyPack:
    header = HEADER + (f"signoff_required: {signoff}\n" if signoff else "")
    return load_pack(write_pack(tmp_path, {"pack.yaml": header, "checklist.yaml": DECIDED}))


def reasons(pack: PolicyPack, *decisions: object) -> dict[str, str]:
    ev = evaluate(pack, complete_case(decisions=decisions), NOW)
    return {u.rule_id: u.reason for u in ev.unmet}


def test_the_default_pack_asks_for_a_sign_off_on_every_categorisation() -> None:
    pack = default_pack()
    assert pack.signoff_required == "always"
    unmet = reasons(pack, BY_CONSTABLE)
    assert set(unmet) == {"category_decided"}
    assert "is not made or signed off by a reviewing officer" in unmet["category_decided"]
    assert "(pc_testperson is a response officer)" in unmet["category_decided"]
    title = pack.checklist_rule("category_decided").title
    assert title.endswith("signed off by a reviewing officer")


def test_a_reviewing_officers_own_decision_is_its_sign_off() -> None:
    assert reasons(default_pack(), decision(UUI)) == {}


def test_a_pack_without_the_key_asks_always(tmp_path: Path) -> None:
    pack = pack_with(tmp_path, None)
    assert pack.signoff_required == "always"
    assert set(reasons(pack, BY_CONSTABLE)) == {"category_decided"}


def test_below_floor_lets_a_decision_at_the_floor_stand_unsigned(tmp_path: Path) -> None:
    pack = pack_with(tmp_path, "below_floor")
    assert reasons(pack, BY_CONSTABLE) == {}
    ev = evaluate(pack, complete_case(decisions=(BY_CONSTABLE,)), NOW)
    assert ev.unmet == () and not ev.below_floor


def test_below_floor_still_asks_a_sign_off_below_the_floor(tmp_path: Path) -> None:
    unmet = reasons(pack_with(tmp_path, "below_floor"), BELOW_BY_CONSTABLE)
    assert set(unmet) == {"category_decided"}
    assert "is not made or signed off by a reviewing officer" in unmet["category_decided"]


def test_below_floor_counts_a_reviewing_officers_override_as_the_sign_off(tmp_path: Path) -> None:
    signed = decision(
        Category.UNEXPECTED_NOT_SUSPICIOUS,
        by="pc_testperson",
        override_by="insp_testperson",
        override_reason="Toxicology and CCTV rule out a third party.",
    )
    assert reasons(pack_with(tmp_path, "below_floor"), signed) == {}


def test_no_decision_is_unmet_whatever_the_pack_says(tmp_path: Path) -> None:
    for signoff in ("always", "below_floor"):
        folder = tmp_path / signoff
        folder.mkdir()
        unmet = reasons(pack_with(folder, signoff))
        assert unmet == {"category_decided": "no category decision is recorded"}


@pytest.mark.parametrize("value", ["sometimes", "true", "[always]"])
def test_a_value_outside_the_vocabulary_names_pack_yaml_and_the_key(
    tmp_path: Path, value: str
) -> None:
    with pytest.raises(PolicyError) as caught:
        load_pack(write_pack(tmp_path, {"pack.yaml": HEADER + f"signoff_required: {value}\n"}))
    assert (caught.value.file, caught.value.key) == ("trial/pack.yaml", "signoff_required")
    assert "is not one of 'always' or 'below_floor'" in caught.value.reason


def test_an_unsigned_decision_at_the_floor_says_why_it_stands() -> None:
    case_ = complete_case(decisions=(BY_CONSTABLE,))
    scope = Scope(
        case_,
        NOW,
        read_facts(case_.report),
        floor=UUI,
        category=UUI,
        signoff_roles=frozenset({UserRole.REVIEWING_OFFICER}),
        signoff_below_floor_only=True,
    )
    outcome = DecisionIs(decision="signed_off").check(scope)
    assert outcome.ok
    assert outcome.why == (
        "the decision ('unexpected, under investigation' by pc_testperson) is at or above the "
        "floor, where the policy needs no sign-off"
    )
    strict = DecisionIs(decision="signed_off").check(replace(scope, signoff_below_floor_only=False))
    assert not strict.ok

"""Reasons are written for the reader: every fact has words, and no reason the default pack
gives (floor evidence, unmet checklist items, conditions) shows a fact's path, a snake_case
code or a role's code. Usernames and action titles are exceptions: people wrote them, and they
are shown as given (the factories' are snake_case)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pytest

from vigil.domain import Category, UserRole
from vigil.policy import default_pack, evaluate
from vigil.policy.facts import FACTS
from vigil.policy.wording import FACT_WORDS, a_role, vocabulary

from .factories import T0, case, complete_case, hours, report
from .test_checklist import UNMET
from .test_conditions import VERDICTS

SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")  # next_of_kin, unexpected_under_investigation
DOTTED = re.compile(r"\b[a-z]+\.[a-z_]+\b")  # scene.phone, attendance.sergeant_or_above
USERNAMES = re.compile(r"\b[a-z]+_testperson\b")  # the factories' users
TITLES = re.compile(r"action \S+ '[^']*'")  # an action's title is the officer's own text


def internal_words(texts: Iterable[str]) -> list[str]:
    found = []
    for text in texts:
        plain = TITLES.sub("an action", USERNAMES.sub("someone", text))
        found += [f"{m!r} in {text!r}" for m in SNAKE.findall(plain) + DOTTED.findall(plain)]
    return found


def test_every_fact_a_condition_may_name_has_words() -> None:
    assert set(FACT_WORDS) == set(FACTS)
    for path, words in FACT_WORDS.items():
        assert words.noun and not internal_words([words.noun, words.yes, words.no]), path
        assert bool(words.yes) is (FACTS[path].kind == "flag"), path  # a flag states itself
        assert bool(words.no) is (FACTS[path].kind == "flag"), path


def test_the_sergeant_who_did_not_attend_is_said_in_words() -> None:
    ev = evaluate(
        default_pack(),
        complete_case(report={"attendance": {"sergeant_or_above": False}}),
        T0 + hours(30),
    )
    (item,) = ev.unmet
    assert item.reason == "a sergeant or above did not attend"


def test_floor_evidence_is_in_words() -> None:
    young = report(
        deceased={"age": 23, "known_illness": False},
        location={"place_type": "car_park"},
        scene={"phone": "missing", "moved_after_death": True, "note_present": True},
        first_account={"fits_scene": False},
        toxicology={"status": "not_requested", "substances": ["ghb"]},
        circumstances="Possible overdose.",
    )
    ev = evaluate(default_pack(), case(young), T0 + hours(2))
    evidence = [r.evidence for r in ev.floor_reasons]
    assert len(evidence) >= 6
    assert internal_words(evidence) == []
    assert "the place is 'car park'" in "; ".join(evidence)
    assert "the deceased had no known illness" in "; ".join(evidence)
    assert "the first account does not fit the scene" in evidence


def test_nothing_recorded_is_said_in_words() -> None:
    bare = report(deceased={"age": None, "known_illness": None}, toxicology={"status": "pending"})
    ev = evaluate(default_pack(), case(bare), T0 + hours(30))
    texts = [r.evidence for r in ev.floor_reasons] + [u.reason for u in ev.unmet]
    assert texts and internal_words(texts) == []


@pytest.mark.parametrize("changes", [u[1] for u in UNMET], ids=[u[0] for u in UNMET])
def test_every_unmet_item_of_the_checklist_reads_as_words(changes: dict[str, Any]) -> None:
    ev = evaluate(default_pack(), complete_case(**changes), T0 + hours(30))
    assert ev.unmet
    assert internal_words(u.reason for u in ev.unmet) == []
    assert internal_words(u.rule for u in ev.unmet) == []


def test_every_condition_reason_in_the_language_table_reads_as_words() -> None:
    assert internal_words(v[4] for v in VERDICTS) == []


def test_categories_and_roles_read_as_words() -> None:
    assert vocabulary(UserRole.RESPONSE_OFFICER) == "response officer"
    assert vocabulary(Category.UNEXPECTED_NOT_SUSPICIOUS) == "unexpected not suspicious"
    assert vocabulary("car_park") == "car park"
    assert a_role(UserRole.INVESTIGATOR) == "an investigator"
    assert a_role(UserRole.REVIEWING_OFFICER) == "a reviewing officer"

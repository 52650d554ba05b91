"""Referrals to the advisory panel the policy requires: when each default rule holds, how the
item reads (never repeating a sensitive fact), and what clears it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from vigil.domain import UserRole
from vigil.domain.case import SeriesMembership
from vigil.policy import Evaluation, PolicyError, UnmetItem, default_pack, evaluate, load_pack
from vigil.policy.facts import CaseFacts
from vigil.policy.panel import is_sensitive
from vigil.policy.wording import PANEL_SENSITIVE_RULE

from .factories import T0, complete_case, hours
from .test_loader import HEADER, write_pack
from .test_wording import internal_words

NOW = T0 + hours(30)
GHB = {"toxicology": {"substances": ["ghb", "alcohol"]}}
# Withheld from most readers (the deceased's sexuality); GHB is not: toxicology is evidence.
SENSITIVE_WORDS = ("gay", "bisexual", "lesbian", "queer", "trans", "lgbt", "sexuality")


def panel_items(ev: Evaluation) -> dict[str, UnmetItem]:
    return {
        u.rule_id: u for u in ev.unmet if u.rule_id in {r.id for r in default_pack().panel_referral}
    }


def run(report: dict[str, Any], case_facts: CaseFacts | None = None, **parts: Any) -> Evaluation:
    return evaluate(default_pack(), complete_case(report=report, **parts), NOW, case_facts)


def with_sexuality(text: str, **more: Any) -> dict[str, Any]:
    return {**more, "deceased": {"sexuality": text}}


# (case id, report changes, whether the GHB review rule asks for a referral)
GHB_REVIEW: list[tuple[str, dict[str, Any], bool]] = [
    ("GHB found, the deceased gay", with_sexuality("Gay; out to his friends", **GHB), True),
    ("GBL found, the deceased bisexual", with_sexuality("bisexual",
     toxicology={"substances": ["gbl"]}), True),
    ("GHB in the circumstances, the deceased a trans woman", with_sexuality(
        "Trans woman", circumstances="Friends say he was given GHB at a party."), True),
    ("GHB found, LGBTQ+ as written", with_sexuality("LGBTQ+", **GHB), True),
    ("GHB found, the deceased straight", with_sexuality("Straight", **GHB), False),
    ("GHB found, sexuality not recorded", GHB, False),
    ("the deceased gay, heroin not GHB", with_sexuality(
        "gay", toxicology={"substances": ["heroin"]}), False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("report", "referred"), [g[1:] for g in GHB_REVIEW], ids=[g[0] for g in GHB_REVIEW]
)
def test_ghb_deaths_of_lgbt_people_go_to_the_panel(report: dict[str, Any], referred: bool) -> None:
    assert ("ghb_panel_review" in panel_items(run(report))) is referred


def test_the_ghb_review_item_repeats_no_sensitive_fact() -> None:
    item = panel_items(run(with_sexuality("Gay", **GHB)))["ghb_panel_review"]
    assert item.title == (
        "Referral to the advisory panel required: the case meets one of the panel's criteria"
    )
    assert item.rule == PANEL_SENSITIVE_RULE
    assert item.reason == (
        "the facts it rests on are sensitive and not repeated here; "
        "no referral to the advisory panel is recorded"
    )
    shown = " ".join([item.rule_id, item.title, item.rule, item.reason]).casefold()
    assert [w for w in SENSITIVE_WORDS if w in shown] == []
    assert (item.owner_role, item.deadline, item.overdue) == (
        UserRole.REVIEWING_OFFICER,
        T0 + hours(7 * 24),
        False,
    )


def test_only_the_rule_reading_sexuality_is_sensitive() -> None:
    pack = default_pack()
    assert is_sensitive(pack.panel_rule("ghb_panel_review"))
    assert not is_sensitive(pack.panel_rule("series_to_panel"))


CONFIRMED = T0 + hours(10)


def test_a_confirmed_series_goes_to_the_panel_within_72_hours_of_confirmation() -> None:
    ev = run({}, series=SeriesMembership(confirmed_at=CONFIRMED))
    item = panel_items(ev)["series_to_panel"]
    assert item.title == (
        "Referral to the advisory panel required: the death is part of a confirmed series"
    )
    assert item.reason == (
        "an analyst confirmed the death as part of a series; "
        "no referral to the advisory panel is recorded"
    )
    assert item.rule == default_pack().panel_rule("series_to_panel").rule
    assert item.deadline == CONFIRMED + hours(72)
    assert not item.overdue
    assert internal_words([item.title, item.rule, item.reason]) == []
    late = evaluate(
        default_pack(),
        complete_case(series=SeriesMembership(confirmed_at=CONFIRMED)),
        CONFIRMED + hours(73),
    )
    assert panel_items(late)["series_to_panel"].overdue


# (case id, when the referral is recorded, whether the items stay)
REFERRED: list[tuple[str, datetime | None, bool]] = [
    ("no referral", None, True),
    ("referred before now", T0 + hours(12), False),
    ("referred exactly now", NOW, False),
    ("referred after now: not yet", NOW + hours(1), True),
]


@pytest.mark.parametrize(("at", "stays"), [r[1:] for r in REFERRED], ids=[r[0] for r in REFERRED])
def test_a_recorded_referral_clears_every_panel_item(at: datetime | None, stays: bool) -> None:
    ev = run(
        with_sexuality("gay", **GHB),
        CaseFacts(panel_referred_at=at),
        series=SeriesMembership(confirmed_at=CONFIRMED),
    )
    assert set(panel_items(ev)) == ({"ghb_panel_review", "series_to_panel"} if stays else set())


def test_no_panel_item_without_a_reason_for_one() -> None:
    assert panel_items(run({})) == {}


PANEL = """
panel_referral:
  - id: ghb_found
    reason: %s
    rule: GHB deaths are reviewed.
    when: {fact: toxicology.substances, contains_any: [ghb]}
"""


def test_a_pack_rule_reads_in_the_packs_words(tmp_path: Path) -> None:
    folder = write_pack(tmp_path, {"pack.yaml": HEADER, "panel.yaml": PANEL % "GHB was found."})
    pack = load_pack(folder)
    (item,) = evaluate(pack, complete_case(report=GHB), NOW).unmet
    assert item.title == "Referral to the advisory panel required: GHB was found"
    assert item.reason == (
        "the list of substances found includes 'ghb'; no referral to the advisory panel is recorded"
    )
    assert (item.rule, item.deadline) == ("GHB deaths are reviewed.", None)
    assert evaluate(pack, complete_case(report=GHB), NOW, CaseFacts(NOW)).unmet == ()


def test_a_checklist_rule_may_read_the_referral(tmp_path: Path) -> None:
    rule = """
checklist:
  - id: panel_told
    title: Referred to the panel
    rule: Every case is referred.
    owner_role: reviewing_officer
    satisfied_when: {fact: panel_referred, equals: true}
"""
    pack = load_pack(write_pack(tmp_path, {"pack.yaml": HEADER, "checklist.yaml": rule}))
    (item,) = evaluate(pack, complete_case(), NOW).unmet
    assert item.reason == "no referral to the advisory panel is recorded"
    assert evaluate(pack, complete_case(), NOW, CaseFacts(T0)).unmet == ()


LONG = "A " + "very " * 40 + "long reason."

# (case id, files besides pack.yaml, the file at fault, its key, words of the reason)
BROKEN: list[tuple[str, dict[str, str], str, str, str]] = [
    ("a floor rule reading the referral", {"floor.yaml": """
floor:
  - id: unreferred
    category: homicide
    reason: Not referred.
    when: {fact: panel_referred, equals: false}
"""}, "floor.yaml", "floor[0].when.fact", "a floor rule reads the death report"),
    ("a reason too long for a title", {"panel.yaml": PANEL % LONG}, "panel.yaml",
     "panel_referral[0].reason", "at most 159 characters"),
    ("no condition", {"panel.yaml": PANEL.replace(
        "    when: {fact: toxicology.substances, contains_any: [ghb]}\n", "") % "GHB."},
     "panel.yaml", "panel_referral[0].when", "required key is missing"),
    ("an unknown fact", {"panel.yaml": PANEL.replace("toxicology.substances", "toxicology.drugs")
                         % "GHB."}, "panel.yaml", "panel_referral[0].when.fact",
     "'toxicology.drugs' is not a fact of a death report"),
    ("an anchor of a for_each rule", {"panel.yaml": PANEL % "GHB." + "    deadline: 7d\n"
                                      "    anchor: item\n"},
     "panel.yaml", "panel_referral[0].anchor", "'item' is not one of"),
    ("an anchor without a deadline", {"panel.yaml": PANEL % "GHB." + "    anchor: found_at\n"},
     "panel.yaml", "panel_referral[0].anchor", "add deadline"),
    ("each outside for_each", {"panel.yaml": PANEL.replace(
        "{fact: toxicology.substances, contains_any: [ghb]}", "{each: {answered: true}}") % "X."},
     "panel.yaml", "panel_referral[0].when.each", "needs a checklist rule with for_each"),
    ("an id used by a floor rule", {"a.yaml": """
floor:
  - id: ghb_found
    category: unexpected_under_investigation
    reason: GHB.
    when: {fact: toxicology.substances, contains_any: [ghb]}
""", "b.yaml": PANEL % "GHB."}, "b.yaml", "panel_referral[0].id",
     "duplicate rule id 'ghb_found' (also in trial/a.yaml floor[0].id)"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("files", "file", "key", "reason"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_a_broken_panel_rule_names_file_and_key(
    tmp_path: Path, files: dict[str, str], file: str, key: str, reason: str
) -> None:
    with pytest.raises(PolicyError) as caught:
        load_pack(write_pack(tmp_path, {"pack.yaml": HEADER, **files}))
    assert (caught.value.file, caught.value.key) == (f"trial/{file}", key)
    assert reason in caught.value.reason

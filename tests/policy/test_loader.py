"""Loading packs, and refusing broken ones with the file and key at fault."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import get_args

import pytest
import yaml

from vigil.domain.enums import PUBLIC_PLACES, Category, UserRole
from vigil.domain.facts import FACT_PATHS
from vigil.policy import PolicyError, default_pack, evaluate, load_pack
from vigil.policy.conditions import AllOf, FactIs
from vigil.policy.facts import CASE_FACTS, FACTS, REPORT_FACTS
from vigil.policy.lists import LISTS, ListName
from vigil.policy.loader import DEFAULT_PACK

from .factories import T0, complete_case

HEADER = "name: trial\nversion: '1'\nsupervisor_roles: [reviewing_officer]\n"
FLOOR_OK = """
floor:
  - id: phone_missing
    category: unexpected_under_investigation
    reason: The phone is missing.
    when: {fact: scene.phone, equals: missing}
"""
RULE = """
checklist:
  - id: cctv_sought
    title: CCTV sought
    rule: CCTV is sought.
    owner_role: investigator
    satisfied_when: %s
    deadline: %s
"""


def write_pack(root: Path, files: dict[str, str], name: str = "trial") -> Path:
    folder = root / name
    folder.mkdir()
    for file_name, text in files.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    return folder


def test_default_pack_loads() -> None:
    pack = default_pack()
    assert (pack.name, pack.version) == ("default", "1.3")
    assert pack.supervisor_roles == {UserRole.REVIEWING_OFFICER}
    assert pack.signoff_roles == {UserRole.REVIEWING_OFFICER}
    assert pack.presumption is Category.UNEXPECTED_UNDER_INVESTIGATION
    ids = [r.id for r in pack.floor] + [r.id for r in pack.checklist]
    assert len(set(ids)) == len(ids) > 20


def test_default_pack_public_places_match_the_domain() -> None:
    when = default_pack().floor_rule("young_adult_public_place").when
    assert isinstance(when, AllOf)
    (places,) = [c for c in when.all_ if isinstance(c, FactIs) and c.in_ is not None]
    assert places.fact == "location.place_type"
    assert set(places.in_ or ()) == {p.value for p in PUBLIC_PLACES}


def test_vocabularies_are_in_step_with_the_domain() -> None:
    assert tuple(REPORT_FACTS) == FACT_PATHS
    assert dict(FACTS) == {**REPORT_FACTS, **CASE_FACTS}
    assert set(CASE_FACTS) == {"panel_referred", "portal_concern_unanswered"}
    assert set(LISTS) == set(get_args(ListName))


def test_a_directory_pack_merges_its_files_in_name_order(tmp_path: Path) -> None:
    folder = write_pack(tmp_path, {"pack.yaml": HEADER, "b.yaml": FLOOR_OK,
                                   "a.yaml": RULE % ("{some: cctv}", "48h")})  # fmt: skip
    pack = load_pack(folder)
    assert [r.id for r in pack.floor] == ["phone_missing"]
    assert [r.id for r in pack.checklist] == ["cctv_sought"]
    item = evaluate(pack, complete_case(report={"cctv": []}), T0).unmet[0]
    assert (item.rule_id, item.reason) == ("cctv_sought", "no CCTV entry is recorded")


def test_a_single_file_pack(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text(HEADER + FLOOR_OK + RULE % ("{some: cctv}", "2d"), encoding="utf-8")
    pack = load_pack(path)
    assert pack.checklist[0].deadline is not None
    assert pack.checklist[0].deadline.days == 2


def test_a_copy_of_the_default_pack_loads_the_same(tmp_path: Path) -> None:
    copy = tmp_path / "default"
    shutil.copytree(DEFAULT_PACK, copy)
    assert load_pack(copy) == default_pack()


def test_evaluation_is_json_serialisable() -> None:
    data = evaluate(default_pack(), complete_case(decisions=()), T0).to_dict()
    assert json.loads(json.dumps(data)) == data


# (case id, files besides a valid pack.yaml, the file at fault, its key, words of the reason)
BROKEN: list[tuple[str, dict[str, str], str, str, str]] = [
    ("bad duration", {"checklist.yaml": RULE % ("{some: cctv}", "24x")},
     "checklist.yaml", "checklist[0].deadline", "'24x' is not a duration like 24h or 7d"),
    ("zero duration", {"checklist.yaml": RULE % ("{some: cctv}", "0h")},
     "checklist.yaml", "checklist[0].deadline", "'0h' is not a duration"),
    ("unknown fact path", {"floor.yaml": FLOOR_OK.replace("scene.phone", "scene.phon")},
     "floor.yaml", "floor[0].when.fact", "'scene.phon' is not a fact of a death report; "
     "did you mean scene.phone"),
    ("unknown category", {"floor.yaml": FLOOR_OK.replace("unexpected_under_investigation",
                                                         "suspicious")},
     "floor.yaml", "floor[0].category", "'suspicious' is not one of 'expected'"),
    ("missing key in a rule", {"floor.yaml": FLOOR_OK.replace("    reason: The phone is missing.\n",
                                                              "")},
     "floor.yaml", "floor[0].reason", "required key is missing"),
    ("YAML syntax error", {"floor.yaml": "floor:\n  - id: x\n   when: [\n"},
     "floor.yaml", "line 3, column 4", "not valid YAML"),
    ("a key given twice", {"floor.yaml": FLOOR_OK + "    reason: Again.\n"},
     "floor.yaml", "line 7, column 5", "key 'reason' is given twice"),
    ("not a mapping", {"floor.yaml": "- id: x\n"}, "floor.yaml", "(file)", "should be a mapping"),
    ("unknown top-level key", {"checklist.yaml": "rules: []\n"},
     "checklist.yaml", "rules", "unknown key"),
    ("header outside pack.yaml", {"floor.yaml": "version: '2'\n" + FLOOR_OK},
     "floor.yaml", "version", "belongs in pack.yaml"),
    ("not a condition", {"floor.yaml": FLOOR_OK.replace("{fact: scene.phone, equals: missing}",
                                                        "{facts: scene.phone}")},
     "floor.yaml", "floor[0].when", "a condition is a mapping with one of the keys fact,"),
    ("two operators", {"floor.yaml": FLOOR_OK.replace("equals: missing",
                                                      "equals: missing, present: true")},
     "floor.yaml", "floor[0].when", "exactly one of equals, in, between"),
    ("value outside the fact's vocabulary",
     {"floor.yaml": FLOOR_OK.replace("equals: missing", "equals: misssing")},
     "floor.yaml", "floor[0].when.equals", "'misssing' is not one of 'missing', 'present'"),
    ("between on text", {"floor.yaml": FLOOR_OK.replace("scene.phone, equals: missing",
                                                        "cause.text, between: [1, 2]")},
     "floor.yaml", "floor[0].when.between", "cause.text is not a number"),
    ("deep key path", {"floor.yaml": FLOOR_OK.replace(
        "{fact: scene.phone, equals: missing}",
        "{all: [{fact: scene.phone, equals: missing}, {not: {fact: deceased.age, "
        "between: [40, 16]}}]}")},
     "floor.yaml", "floor[0].when.all[1].not.between", "low end (40) is above the high end"),
    ("unknown text path", {"floor.yaml": FLOOR_OK.replace(
        "{fact: scene.phone, equals: missing}", "{text: [circumstances, cause.txt], "
        "mentions: [overdose]}")},
     "floor.yaml", "floor[0].when.text[1]", "'cause.txt' is not a fact"),
    ("floor rule reading the category", {"floor.yaml": FLOOR_OK.replace(
        "{fact: scene.phone, equals: missing}", "{category_at_least: homicide}")},
     "floor.yaml", "floor[0].when.category_at_least", "computed from facts"),
    ("unknown list", {"checklist.yaml": RULE % ("{some: cctvs}", "1h")},
     "checklist.yaml", "checklist[0].satisfied_when.some", "'cctvs' is not one of"),
    ("unknown attribute of a list",
     {"checklist.yaml": RULE % ("{some: exhibits, where: {colour: red}}", "1h")},
     "checklist.yaml", "checklist[0].satisfied_when.where.colour",
     "exhibits have no attribute 'colour'"),
    ("attribute value outside its vocabulary",
     {"checklist.yaml": RULE % ("{some: exhibits, where: {kind: [note, letter]}}", "1h")},
     "checklist.yaml", "checklist[0].satisfied_when.where.kind[1]", "'letter' is not one of"),
    ("$each outside for_each",
     {"checklist.yaml": RULE % ("{some: actions, where: {subject: $each}}", "1h")},
     "checklist.yaml", "checklist[0].satisfied_when.where.subject[0]", "needs a checklist rule "
     "with for_each"),
    ("each outside for_each", {"checklist.yaml": RULE % ("{each: {answered: true}}", "1h")},
     "checklist.yaml", "checklist[0].satisfied_when.each", "needs a checklist rule with for_each"),
    ("flag that is not true or false",
     {"checklist.yaml": RULE % ("{some: exhibits, where: {seized: maybe}}", "1h")},
     "checklist.yaml", "checklist[0].satisfied_when.where.seized", "should be true or false"),
    ("anchor item without for_each",
     {"checklist.yaml": RULE % ("{some: cctv}", "1h") + "    anchor: item\n"},
     "checklist.yaml", "checklist[0].anchor", "needs for_each"),
    ("unknown owner role", {"checklist.yaml": (RULE % ("{some: cctv}", "1h")).replace(
        "owner_role: investigator", "owner_role: detective")},
     "checklist.yaml", "checklist[0].owner_role", "'detective' is not one of"),
    ("bad rule id", {"floor.yaml": FLOOR_OK.replace("id: phone_missing", "id: Phone Missing")},
     "floor.yaml", "floor[0].id", "lower-case letters"),
    ("a .yml file would be ignored", {"floor.yml": FLOOR_OK}, "floor.yml", "(file)",
     "pack files end in .yaml"),
    ("duplicate rule id across files",
     {"a.yaml": FLOOR_OK, "b.yaml": RULE.replace("cctv_sought", "phone_missing")
      % ("{some: cctv}", "1h")},
     "b.yaml", "checklist[0].id", "duplicate rule id 'phone_missing' (also in trial/a.yaml "
     "floor[0].id)"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("files", "file", "key", "reason"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_broken_pack_names_file_and_key(
    tmp_path: Path, files: dict[str, str], file: str, key: str, reason: str
) -> None:
    folder = write_pack(tmp_path, {"pack.yaml": HEADER, **files})
    with pytest.raises(PolicyError) as caught:
        load_pack(folder)
    error = caught.value
    assert (error.file, error.key) == (f"trial/{file}", key)
    assert reason in error.reason
    assert str(error).startswith(f"trial/{file}: {key}: {error.reason}")


BROKEN_HEADERS = [
    ("missing version", "name: trial\nsupervisor_roles: [reviewing_officer]\n", "version",
     "required key is missing"),
    ("version as a number", HEADER.replace("'1'", "1.0"), "version", "should be text"),
    ("unknown supervisor role", HEADER.replace("reviewing_officer", "chief"),
     "supervisor_roles[0]", "'chief' is not one of"),
    ("no supervisor", HEADER.replace("[reviewing_officer]", "[]"), "supervisor_roles",
     "at least 1"),
    ("unknown presumption", HEADER + "presumption: suspicious\n", "presumption",
     "'suspicious' is not one of"),
    ("unknown sign-off role", HEADER + "signoff_roles: [chief]\n", "signoff_roles[0]",
     "'chief' is not one of"),
    ("no sign-off role", HEADER + "signoff_roles: []\n", "signoff_roles", "at least 1"),
    ("a sign-off role that may not decide", HEADER + "signoff_roles: [reviewing_officer, analyst]\n",
     "signoff_roles", "analyst may not decide a category"),
    ("a supervisor role that may not decide", HEADER.replace("reviewing_officer", "panel_member"),
     "supervisor_roles", "panel_member may not decide a category"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "key", "reason"), [b[1:] for b in BROKEN_HEADERS], ids=[b[0] for b in BROKEN_HEADERS]
)
def test_broken_header_names_pack_yaml(tmp_path: Path, text: str, key: str, reason: str) -> None:
    with pytest.raises(PolicyError) as caught:
        load_pack(write_pack(tmp_path, {"pack.yaml": text}))
    assert (caught.value.file, caught.value.key) == ("trial/pack.yaml", key)
    assert reason in caught.value.reason


def test_missing_pack_yaml(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        load_pack(write_pack(tmp_path, {"floor.yaml": FLOOR_OK}))
    assert (caught.value.file, caught.value.key) == ("trial/pack.yaml", "(file)")


def test_single_file_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text(HEADER + RULE % ("{some: cctv}", "1 day"), encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_pack(path)
    assert str(caught.value) == (
        "one.yaml: checklist[0].deadline: '1 day' is not a duration like 24h or 7d"
    )


def test_all_problems_of_a_file_are_reported(tmp_path: Path) -> None:
    text = FLOOR_OK.replace("scene.phone", "scene.phon").replace(
        "unexpected_under_investigation", "suspicious"
    )
    with pytest.raises(PolicyError) as caught:
        load_pack(write_pack(tmp_path, {"pack.yaml": HEADER, "floor.yaml": text}))
    keys = {caught.value.key, *(other.key for other in caught.value.others)}
    assert keys == {"floor[0].when.fact", "floor[0].category"}
    assert str(caught.value).count("trial/floor.yaml:") == 2


def test_every_default_file_parses_as_yaml() -> None:
    for path in DEFAULT_PACK.glob("*.yaml"):
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict)

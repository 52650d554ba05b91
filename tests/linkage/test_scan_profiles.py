"""Cluster scan profiles as data: the shipped file loads, profiles admit the deaths they name,
and a broken file is refused with the file and key at fault."""

import pytest

from vigil.linkage.scan_profiles import ProfileError, default_profiles, load_profiles, substances

YOUNG_MAN_GHB = {
    "age": 23,
    "sex": "male",
    "place_type": "churchyard",
    "substances": ["ghb"],
}


def named(name):
    return next(p for p in default_profiles() if p.name == name)


@pytest.mark.parametrize(
    ("profile", "row", "category", "admitted"),
    [
        ("young_unexplained", YOUNG_MAN_GHB, "unexpected_under_investigation", True),
        ("young_unexplained", YOUNG_MAN_GHB, "expected", False),
        ("young_unexplained", {**YOUNG_MAN_GHB, "age": 55}, "homicide", False),
        ("young_unexplained", {**YOUNG_MAN_GHB, "age": None}, "homicide", False),
        ("ghb", YOUNG_MAN_GHB, "", True),
        ("ghb", {**YOUNG_MAN_GHB, "substances": ["heroin"]}, "", False),
        ("ghb", {"rare_substances": [], "common_substances": ["gbl"]}, "", True),
        ("public_place", YOUNG_MAN_GHB, "unexpected_under_investigation", True),
        ("public_place", {**YOUNG_MAN_GHB, "place_type": "home"}, "homicide", False),
        ("young_men_ghb", {**YOUNG_MAN_GHB, "sex": "female"}, "", False),
    ],
)
def test_profiles_admit_the_deaths_they_name(profile, row, category, admitted):
    assert named(profile).admits(row, category) is admitted


def test_substances_are_read_from_either_form_of_the_row():
    assert substances({"substances": ["ghb"]}) == {"ghb"}
    assert substances({"rare_substances": ["ghb"], "common_substances": ["alcohol"]}) == {
        "ghb",
        "alcohol",
    }


@pytest.mark.parametrize(
    ("text", "key", "reason"),
    [
        (
            "profiles:\n  - name: a\n    words: w\n    colour: red\n",
            "profiles[0].colour",
            "unknown",
        ),
        ("profiles:\n  - name: a\n", "profiles[0].words", "required"),
        ("profiles:\n  - name: a\n    words: w\n    place_types: [moon]\n", "place_types", ""),
        (
            "profiles:\n  - {name: a, words: w}\n  - {name: a, words: v}\n",
            "profiles[1].name",
            "twice",
        ),
        ("profiles:\n  - {name: a, words: w, age_min: 40, age_max: 30}\n", "profiles[0]", "age"),
        ("- just a list\n", "(file)", "mapping"),
        ("profiles: [\n", "(file)", "YAML"),
    ],
)
def test_a_broken_file_is_refused_naming_file_and_key(tmp_path, text, key, reason):
    path = tmp_path / "mine.yaml"
    path.write_text(text)
    with pytest.raises(ProfileError) as info:
        load_profiles(path)
    assert info.value.file == "mine.yaml"
    assert key in info.value.key
    assert reason in str(info.value)

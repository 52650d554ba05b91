"""Clearance clusters (MAP's rule): a hand-made file with known groups, the options' refusals,
and the real western-states file checked against an independent DuckDB count."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from vigil.cli.app import app
from vigil.domain.errors import DomainError
from vigil.oversight import clearance

runner = CliRunner()

COLUMNS = [
    "rowid",
    "year",
    "fip",
    "cnty_name",
    "msa_code",
    "msa_name",
    "vic_sex",
    "weapon",
    "solved",
    "homicide_type",
]
ALPHA = ("99001", "Alpha, ZZ")
BETA = ("99003", "Beta, ZZ")
STRANGLED, HANDGUN, KNIFE, BLUNT = (
    "Strangulation - hanging",
    "Handgun - pistol, revolver, etc",
    "Knife or cutting instrument",
    "Blunt object - hammer, club, etc",
)
# (county, sex, weapon, [(year, solved)]): synthetic victims; both counties in one rural MSA.
VICTIMS = [
    (ALPHA, "Female", STRANGLED, [(1990, "No"), (1991, "Yes"), (1995, "No"), (1999, "No")]),
    (ALPHA, "Female", HANDGUN, [(1992, "Yes"), (1993, "Yes"), (1994, "Yes")]),
    (ALPHA, "Male", STRANGLED, [(1996, "No"), (1997, "No")]),
    (BETA, "Female", KNIFE, [(1990, "Yes"), (1991, "No"), (1992, "No")]),  # 1/3 solved
    (BETA, "Female", STRANGLED, [(1993, "No")]),  # one victim: too few on its own
    (BETA, "Female", BLUNT, [(2005, "No"), (2006, "No")]),
]
REAL = (
    Path(__file__).resolve().parents[3]
    / "shared/data/map-shr-western-states"
    / "map_shr_western_states_except_wa_1976_2018.csv.gz"
)


def write_file(path: Path, victims=VICTIMS, columns=COLUMNS) -> Path:
    rows = [
        {
            "rowid": str(n),
            "year": str(year),
            "fip": fip,
            "cnty_name": county,
            "msa_code": "99999",
            "msa_name": "Rural Zedland",
            "vic_sex": sex,
            "weapon": weapon,
            "solved": solved,
            "homicide_type": "Murder and non-negligent manslaughter",
        }
        for n, ((fip, county), sex, weapon, deaths) in enumerate(victims, start=1)
        for year, solved in deaths
    ]
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(*args: str) -> list[dict]:
    result = runner.invoke(app, ["clusters", "clearance", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def brief(groups: list[dict]) -> list[tuple]:
    return [(g["area"], g["sex"], g["weapon"], g["victims"], g["solved"]) for g in groups]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        # The defaults: county x female x weapon, at or below 0.33, at least 2 victims, most
        # unsolved first. Beta's knife group (1 of 3 solved, 0.333...) is just above 0.33.
        ([], [("Alpha, ZZ", "Female", STRANGLED, 4, 1), ("Beta, ZZ", "Female", BLUNT, 2, 0)]),
        (
            ["--max-clearance", "0.34"],
            [
                ("Alpha, ZZ", "Female", STRANGLED, 4, 1),
                ("Beta, ZZ", "Female", BLUNT, 2, 0),
                ("Beta, ZZ", "Female", KNIFE, 3, 1),
            ],
        ),
        (
            ["--max-clearance", "0.25"],  # at the threshold is in
            [("Alpha, ZZ", "Female", STRANGLED, 4, 1), ("Beta, ZZ", "Female", BLUNT, 2, 0)],
        ),
        (["--max-clearance", "0.2"], [("Beta, ZZ", "Female", BLUNT, 2, 0)]),
        (["--years", "1990-1999"], [("Alpha, ZZ", "Female", STRANGLED, 4, 1)]),
        (["--min-victims", "3"], [("Alpha, ZZ", "Female", STRANGLED, 4, 1)]),
        (["--sex", "male"], [("Alpha, ZZ", "Male", STRANGLED, 2, 0)]),
        (
            ["--sex", "all"],  # each sex still its own group; ties on unsolved by clearance
            [
                ("Alpha, ZZ", "Female", STRANGLED, 4, 1),
                ("Alpha, ZZ", "Male", STRANGLED, 2, 0),
                ("Beta, ZZ", "Female", BLUNT, 2, 0),
            ],
        ),
        # The MSA joins the counties: Beta's lone strangled woman now counts.
        (
            ["--geo", "msa"],
            [
                ("Rural Zedland", "Female", STRANGLED, 5, 1),
                ("Rural Zedland", "Female", BLUNT, 2, 0),
            ],
        ),
    ],
)
def test_groups_of_a_hand_made_file(tmp_path, options, expected):
    assert brief(run(str(write_file(tmp_path / "shr.csv")), *options)) == expected


def test_each_group_has_the_documented_keys_and_years(tmp_path):
    first = run(str(write_file(tmp_path / "shr.csv")))[0]
    assert first == {
        "area": "Alpha, ZZ",
        "sex": "Female",
        "weapon": STRANGLED,
        "victims": 4,
        "solved": 1,
        "unsolved": 3,
        "clearance": 0.25,
        "first_year": 1990,
        "last_year": 1999,
    }


def test_a_gzip_file_reads_as_the_plain_one(tmp_path):
    plain = run(str(write_file(tmp_path / "shr.csv")), "--sex", "all")
    assert run(str(write_file(tmp_path / "shr.csv.gz")), "--sex", "all") == plain
    # Compressed or not is told by the content, not the name.
    named_wrongly = tmp_path / "shr.txt"
    named_wrongly.write_bytes((tmp_path / "shr.csv.gz").read_bytes())
    assert run(str(named_wrongly), "--sex", "all") == plain


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--years", "2010-2000"], "--years: 2010 is after 2000"),
        (["--years", "the eighties"], "--years: 'the eighties' is not a year"),
        (["--max-clearance", "2"], "--max-clearance: 2 is not a share between 0 and 1"),
        (["--geo", "state"], "--geo: 'state' is not one of county, msa"),
        (["--sex", "unknown"], "--sex: 'unknown' is not one of female, male, all"),
        (["--min-victims", "0"], "--min-victims: 0 is not a number of victims"),
    ],
)
def test_bad_options_are_refused_naming_the_option(tmp_path, options, message):
    result = runner.invoke(
        app, ["clusters", "clearance", str(write_file(tmp_path / "s.csv")), *options]
    )
    assert result.exit_code == 1
    assert f"Refused {message}" in " ".join(result.output.split())


def test_a_file_not_in_the_layout_is_refused_naming_the_missing_columns(tmp_path):
    path = write_file(
        tmp_path / "s.csv", columns=[c for c in COLUMNS if c not in {"weapon", "solved"}]
    )
    result = runner.invoke(app, ["clusters", "clearance", str(path)])
    assert result.exit_code == 1
    assert (
        "FILE: is not in the Supplementary Homicide Reports layout: missing columns weapon, "
        "solved" in " ".join(result.output.split())
    )


def test_a_row_that_cannot_be_read_is_refused_naming_its_line(tmp_path):
    path = write_file(tmp_path / "s.csv")
    path.write_text(path.read_text().replace(",Yes,", ",Maybe,", 1))
    with pytest.raises(DomainError) as refused:
        clearance.clusters(clearance.read(path), clearance.Settings())
    assert refused.value.field == "line 3"
    assert refused.value.reason == "solved 'Maybe' is not Yes or No"


# The real file: the command's groups against the same rule written once more in SQL.
INDEPENDENT = """
    select * from (
        select {name} as area, vic_sex as sex, weapon, count(*) as victims,
               count(*) filter (where solved = 'Yes') as cleared,
               min(year::int) as first_year, max(year::int) as last_year
        from read_csv(?, all_varchar = true)
        where {where}
        group by {code}, {name}, vic_sex, weapon
    )
    where victims >= ? and cleared / victims <= ?
    order by victims - cleared desc, cleared / victims, area, sex, weapon
"""


@pytest.mark.skipif(not REAL.exists(), reason="the shared MAP/SHR file is not beside the repo")
@pytest.mark.parametrize(
    ("options", "code", "name", "where", "least", "most"),
    [
        ([], "fip", "cnty_name", "vic_sex = 'Female'", 2, 0.33),
        (
            [
                "--geo",
                "msa",
                "--sex",
                "all",
                "--years",
                "1980-1999",
                "--min-victims",
                "5",
                "--max-clearance",
                "0.5",
            ],
            "msa_code",
            "msa_name",
            "year::int between 1980 and 1999",
            5,
            0.5,
        ),
    ],
)
def test_the_real_file_agrees_with_a_count_in_duckdb(options, code, name, where, least, most):
    sql = INDEPENDENT.format(code=code, name=name, where=where)
    rows = duckdb.execute(sql, [str(REAL), least, most]).fetchall()
    expected = [
        {
            "area": a,
            "sex": s,
            "weapon": w,
            "victims": v,
            "solved": k,
            "unsolved": v - k,
            "clearance": round(k / v, 4),
            "first_year": f,
            "last_year": last,
        }
        for a, s, w, v, k, f, last in rows
    ]
    assert expected  # the comparison means something
    assert run(str(REAL), *options) == expected


@pytest.mark.skipif(not REAL.exists(), reason="the shared MAP/SHR file is not beside the repo")
def test_salt_lake_county_strangled_women_counted_by_hand():
    """Counted with gawk: 19 women strangled in Salt Lake County, 5 solved, that is
    zcat FILE | gawk -v FPAT='([^,]*)|("[^"]+")' '$7 == "\"Salt Lake, UT\"" &&
    $18 == "Female" && $32 == "Strangulation - hanging" {n++; if ($14 == "Yes") s++}
    END {print n, s}'"""
    groups = {(g["area"], g["weapon"]): g for g in run(str(REAL))}
    group = groups[("Salt Lake, UT", STRANGLED)]
    assert (group["victims"], group["solved"], group["unsolved"]) == (19, 5, 14)
    assert (group["first_year"], group["last_year"]) == (1976, 2002)
    assert next(iter(groups.values())) is group  # the most unsolved in these states

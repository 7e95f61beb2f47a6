"""audit_service: reading a service's CSV and the workspace's population."""

from datetime import date

import pandas as pd
import pytest

from healthgap.errors import InputError
from healthgap.reference.lsoa import lsoas
from healthgap.targeting.audit_data import audit_service
from healthgap.workspace import init_workspace

ON = date(2026, 3, 31)


@pytest.fixture
def luton(tmp_path):
    """A Luton workspace without person-level data (Census population)."""
    return init_workspace(tmp_path / "ws", place="Luton")


@pytest.fixture
def codes():
    table = lsoas()
    luton = table[table["lad_name"] == "Luton"].sort_values("imd_rank")
    return {
        "q1": str(luton["lsoa_code"].iloc[0]),  # the most deprived LSOA: quintile 1
        "q5": str(luton.loc[luton["imd_decile"] >= 9, "lsoa_code"].iloc[0]),
        "other": str(table.loc[table["lad_name"] == "Bedford", "lsoa_code"].iloc[0]),
    }


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_person_level_and_aggregated_files_agree(luton, codes, tmp_path):
    people = (
        [f"{codes['q1']},30,x"] * 40
        + [f"{codes['q1']},70,x"] * 12
        + [f"{codes['q5']},30,x"] * 9
        + [f"{codes['other']},30,x"] * 3
        + [",40,x"] * 2
    )
    person = _write(tmp_path / "people.csv", "lsoa_code,age,clinic\n" + "\n".join(people) + "\n")
    counts = "imd_quintile,age_band,count\n1,25-34,40\n1,65+,12\n5,25-34,9\n,35-49,2\n"
    aggregated = _write(tmp_path / "counts.csv", counts)
    a = audit_service(luton, person, on=ON)
    b = audit_service(luton, aggregated, on=ON)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.person_level and not b.person_level
    assert a.outside == 3 and b.outside == 0
    assert a.unknown == {"imd_quintile": 2, "age_band": 0}
    assert a.dimensions == ("imd_quintile", "age_band")
    assert a.population_source == "Census 2021 usual residents (ONS)"
    q1 = a.table[(a.table["dimension"] == "imd_quintile") & (a.table["category"] == "1")]
    assert q1["service_count"].item() == 52
    assert q1["verdict"].item() == "over-represented"


def test_census_population_matches_the_lsoa_table(luton, tmp_path):
    table = lsoas()
    luton_lsoas = table[table["lad_name"] == "Luton"]
    file = _write(tmp_path / "s.csv", "age_band,count\n0-15,10\n65+,10\n")
    out = audit_service(luton, file, on=ON).table
    assert out["population_count"].tolist() == [
        int(luton_lsoas[c].sum())
        for c in ("pop_0_15", "pop_16_24", "pop_25_34", "pop_35_49", "pop_50_64", "pop_65_plus")
    ]


def test_dimensions_without_census_data_are_noted(luton, tmp_path):
    file = _write(tmp_path / "s.csv", "sex,age_band,count\nF,65+,10\nM,65+,12\n")
    audit = audit_service(luton, file, on=ON)
    assert audit.dimensions == ("age_band",)
    assert "sex: not in the population data" in audit.notes[0]
    only_sex = _write(tmp_path / "t.csv", "sex,count\nF,10\n")
    with pytest.raises(InputError, match="none of its categories"):
        audit_service(luton, only_sex, on=ON)


def test_registered_population_from_persons(tmp_path, codes):
    persons = pd.DataFrame(
        {
            "person_id": range(1, 8),
            "sex": ["F", "F", "M", "M", "F", "M", "F"],
            "birth_date": pd.to_datetime(
                [
                    "1990-05-01",
                    "1950-01-01",
                    "1990-05-01",
                    "2000-04-01",
                    "1980-01-01",
                    "1970-01-01",
                    "2030-01-01",
                ]
            ).date,
            "ethnicity": ["Asian", "White", "White", None, "Black", "White", "White"],
            "lsoa_code": [codes["q1"]] * 4 + [codes["q5"], codes["other"], codes["q1"]],
            "registered_to": pd.to_datetime(
                [None, "2025-01-01", None, None, None, None, None]
            ).date,
        }
    )
    folder = tmp_path / "ws"
    folder.mkdir()
    persons.to_parquet(folder / "persons.parquet")
    ws = init_workspace(folder, place="Luton", persons="persons.parquet")
    service = _write(tmp_path / "s.csv", "sex,ethnicity,count\nFemale,Asian,1\nMale,White,1\n")
    out = audit_service(ws, service, on=ON).table
    # Registered on 2026-03-31 and living in Luton: persons 1, 3, 4, 5 (2 left, 6 lives in
    # Bedford, 7 is not born yet).
    sex = out[out["dimension"] == "sex"]
    assert dict(zip(sex["category"], sex["population_count"], strict=True)) == {
        "Female": 2,
        "Male": 2,
    }
    ethnic = out[out["dimension"] == "ethnicity"]
    assert dict(zip(ethnic["category"], ethnic["population_count"], strict=True)) == {
        "Asian": 1,
        "Black": 1,
        "White": 1,
    }


def test_labels_are_normalised(luton, codes, tmp_path):
    rows = f"{codes['q1']},f,A,1990-06-01\n{codes['q1']},2,H,not known\n{codes['q5']},Male,z,\n"
    file = _write(tmp_path / "p.csv", "LSOA_code,Sex,ethnicity,birth_date\n" + rows)
    audit = audit_service(luton, file, on=ON)
    assert audit.unknown == {"imd_quintile": 0, "ethnicity": 1, "sex": 0, "age_band": 2}
    assert audit.dimensions == ("imd_quintile", "age_band")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("imd_quintile,count\n1,4\n6,2\n", r"column 'imd_quintile': .*must be 1 .*\(row 3\)"),
        ("imd_quintile,count\n1,4\n2,x\n", r"column 'count': .*whole numbers .*\(row 3\)"),
        ("imd_quintile,count\n1,4.5\n", r"column 'count': .*\(row 2\)"),
        ("imd_quintile,count,clinic\n1,4,a\n", r"also has 'clinic'"),
        ("count\n4\n", "no category column"),
        ("age_band,count\n65+,3\n70-79,4\n", r"column 'age_band': .*0-15.*\(row 3\)"),
        ("lsoa_code,sex\nE01999999,F\n", r"column 'lsoa_code': .*not an English LSOA.*\(row 2\)"),
        ("sex,age\nF,30\nQ,31\n", r"column 'sex': .*\(row 3\)"),
        ("sex,age\nF,30\nM,-2\nF,200\n", r"column 'age': .*\(rows 3, 4\)"),
        ("sex,birth_date\nF,2030-01-01\nM,03/04/1990\n", r"column 'birth_date': .*\(rows 2, 3\)"),
        ("ethnicity\nPurple\n", r"column 'ethnicity': .*\(row 2\)"),
        ("name,clinic\nx,y\n", "expected person-level columns"),
        ("sex,count\n", "header but no rows"),
        ("", "the file is empty"),
        ("sex,sex\nF,M\n", "appear twice"),
    ],
)
def test_malformed_files_raise(luton, tmp_path, text, message):
    file = _write(tmp_path / "bad.csv", text)
    with pytest.raises(InputError, match=message):
        audit_service(luton, file, on=ON)


def test_missing_file_raises(luton, tmp_path):
    with pytest.raises(InputError, match="no service file"):
        audit_service(luton, tmp_path / "nope.csv")


def test_published_table_suppresses_and_rounds(luton, tmp_path):
    file = _write(tmp_path / "s.csv", "imd_quintile,count\n1,123\n2,61\n3,3\n4,40\n5,9\n")
    published = audit_service(luton, file, on=ON).published()
    assert published["service_count"].tolist()[:2] == [125, 60]
    hidden = published[published["service_count"] == "*"]
    assert len(hidden) >= 2  # quintile 3 (3 people) and one more so it can't be worked out
    assert (hidden[["ratio", "lower_ci", "upper_ci", "verdict", "method"]].isin(["*", ""])).all(
        axis=None
    )
    shown = published[published["service_count"] != "*"]
    assert all(int(v) % 5 == 0 for v in shown["population_count"])

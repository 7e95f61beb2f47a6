"""Importing a user's own aggregate table (CSV or Parquet)."""

import hashlib

import numpy as np
import pandas as pd
import pytest

from healthgap.errors import InputError
from healthgap.methods.proportion import proportion
from healthgap.methods.rate import rate
from healthgap.warehouse.store import Warehouse
from healthgap.warehouse.tables import import_table

TABLE = """\
indicator_id,area_code,period,imd_quintile,numerator,denominator
flu_65,E06000032,2023/24,1,"1,234",2000
flu_65,E06000032,2023/24,2,50,100
flu_65,E06000032,2023/24,,1284,2100
"""


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(tmp_path):
    return Warehouse.create(tmp_path / "warehouse.duckdb")


def write(tmp_path, text, name="table.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_table_computes_proportions_with_both_limits(store, tmp_path):
    summary = import_table(write(tmp_path, TABLE), store, groups=["imd_quintile"])
    rows = store.read("indicator_values").sort_values("denominator")
    expected = proportion(
        pd.DataFrame({"x": [50, 1234, 1284], "n": [100, 2000, 2100]}),
        "x",
        "n",
        confidence=[0.95, 0.998],
    )
    for column in ("value", "lower_ci_95", "upper_ci_95", "lower_ci_99_8", "upper_ci_99_8"):
        np.testing.assert_allclose(rows[column], expected[column], rtol=1e-12)
    assert rows["count"].tolist() == [50, 1234, 1284]
    assert rows["breakdown_type"].tolist() == ["imd_quintile", "imd_quintile", "total"]
    assert rows["category"].tolist() == ["2", "1", ""]
    assert set(rows["unit"]) == {"%"} and set(rows["method"]) == {"Wilson"}
    assert set(rows["source"]) == {"table"} and set(rows["area_type"]) == {"lad"}
    assert set(rows["sex"]) == {"Persons"} and set(rows["age"]) == {"All ages"}
    assert str(rows["period_start"].iloc[0])[:10] == "2023-04-01"
    assert summary.rows == 3 and summary.indicators == ("flu_65",)


def test_import_table_computes_rates_with_a_multiplier(store, tmp_path):
    import_table(
        write(tmp_path, TABLE), store, groups=["imd_quintile"], method="rate", multiplier=1000
    )
    rows = store.read("indicator_values").sort_values("denominator")
    expected = rate(
        pd.DataFrame({"x": [50, 1234, 1284], "n": [100, 2000, 2100]}),
        "x",
        "n",
        confidence=[0.95, 0.998],
        multiplier=1000,
    )
    np.testing.assert_allclose(rows["value"], [500, 617, 1284 / 2.1], rtol=1e-12)
    np.testing.assert_allclose(rows["upper_ci_99_8"], expected["upper_ci_99_8"], rtol=1e-12)
    assert set(rows["unit"]) == {"per 1,000"} and set(rows["method"]) == {"Byars"}


def test_import_table_keeps_given_values_and_limits(store, tmp_path):
    text = """\
Area Code,Period,Value,Lower CI 95,Upper CI 95,Sex,Age,Breakdown Type,Category
E06000032,2024,12.5,10,15,Female,65+ yrs,ethnicity,Asian
E06000032,2024,11,,,Female,65+ yrs,total,
"""
    text = text.replace("Lower CI 95,Upper CI 95", "lower_ci_95,upper_ci_95")
    import_table(write(tmp_path, text), store, indicator_id="x1")
    rows = store.read("indicator_values").sort_values("value")
    assert rows["value"].tolist() == [11, 12.5]
    assert rows["lower_ci_95"].iloc[1] == 10 and np.isnan(rows["lower_ci_95"].iloc[0])
    assert rows["category"].tolist() == ["", "Asian"]
    assert set(rows["sex"]) == {"Female"} and set(rows["indicator_id"]) == {"x1"}
    assert rows["method"].isna().all()


def test_import_table_reads_parquet(store, tmp_path):
    frame = pd.DataFrame(
        {
            "area_code": ["E01015673", "E01015674"],
            "period": [2023, 2023],
            "numerator": [3, np.nan],
            "denominator": [40.0, 50.0],
        }
    )
    path = tmp_path / "table.parquet"
    frame.to_parquet(path)
    import_table(path, store, indicator_id="smoking")
    rows = store.read("indicator_values").sort_values("area_code")
    assert rows["period"].tolist() == ["2023", "2023"]
    assert rows["area_type"].tolist() == ["lsoa", "lsoa"]
    assert rows["value"].iloc[0] == pytest.approx(7.5) and np.isnan(rows["value"].iloc[1])


def test_import_table_cross_breakdown_joins_groups(store, tmp_path):
    text = "area_code,period,ethnicity,sex_group,value\nE06000032,2024,Asian,Male,4\n"
    text += "E06000032,2024,,,5\n"
    import_table(write(tmp_path, text), store, indicator_id="x", groups=["ethnicity", "sex_group"])
    rows = store.read("indicator_values").sort_values("value")
    assert rows["breakdown_type"].tolist() == ["ethnicity*sex_group", "total"]
    assert rows["category"].tolist() == ["Asian*Male", ""]


def test_import_table_reimport_replaces_the_indicator(store, tmp_path):
    path = write(tmp_path, TABLE)
    import_table(path, store, groups=["imd_quintile"])
    import_table(
        write(tmp_path, TABLE.replace("flu_65,E06000032,2023/24,2,50,100\n", "")),
        store,
        groups=["imd_quintile"],
    )
    assert len(store.read("indicator_values")) == 2


@pytest.mark.parametrize(
    ("text", "options", "match"),
    [
        (TABLE.replace('"1,234"', "-3"), {}, r"column 'numerator': must not be negative at row 2"),
        (TABLE.replace(",50,", ",500,"), {}, r"'numerator': exceeds the denominator .* at row 3"),
        (TABLE.replace(",50,", ",5O,"), {}, r"'numerator': expected a number .* row 3: '5O'"),
        (TABLE.replace(",100\n", ",0\n"), {}, r"'denominator': must be greater than zero at row 3"),
        (TABLE.replace("E06000032,2023/24,2", "E6000032,2023/24,2"), {}, r"'area_code': not an"),
        (TABLE.replace("E06000032,2023/24,2", "E05000001,2023/24,2"), {}, "add area_type"),
        (TABLE.replace("flu_65,E06000032,2023/24,2", "flu_65,E06000032,,2"), {}, "'period': a"),
        (TABLE.replace("2023/24,2,", "2023/24,1,"), {}, r"repeat at row 2; row 3"),
        (TABLE, {"indicator_id": "other"}, "not both or neither"),
        (TABLE.replace("numerator", "numerater"), {}, "unknown column.* numerater"),
        (TABLE, {"method": "proportion", "groups": ["imd_quintile", "ward"]}, "no group column"),
        (TABLE.replace("imd_quintile", "breakdown_type"), {}, r"'category': a breakdown .* row 2"),
    ],
)
def test_import_table_bad_input_names_row_and_column_and_writes_nothing(
    store, tmp_path, text, options, match
):
    options = {"groups": ["imd_quintile"], **options} if "imd_quintile" in text else options
    before = digest(store.path)
    with pytest.raises(InputError, match=match) as caught:
        import_table(write(tmp_path, text), store, **options)
    assert "table.csv" in str(caught.value)
    assert digest(store.path) == before


def test_import_table_limits_must_enclose_the_value(store, tmp_path):
    text = "area_code,period,value,lower_ci_95,upper_ci_95\nE06000032,2024,12.5,13,15\n"
    with pytest.raises(InputError, match=r"'lower_ci_95': confidence limits must enclose"):
        import_table(write(tmp_path, text), store, indicator_id="x")


def test_import_table_method_needs_numerators(store, tmp_path):
    text = "area_code,period,value\nE06000032,2024,12.5\n"
    with pytest.raises(InputError, match="method and multiplier apply only"):
        import_table(write(tmp_path, text), store, indicator_id="x", method="rate")


def test_import_table_needs_values_or_counts(store, tmp_path):
    text = "area_code,period,numerator\nE06000032,2024,12\n"
    with pytest.raises(InputError, match="needs a 'value' column or 'numerator' and 'denominator'"):
        import_table(write(tmp_path, text), store, indicator_id="x")


def test_import_table_unknown_extension_is_an_error(store, tmp_path):
    with pytest.raises(InputError, match=r"expected a \.csv or \.parquet"):
        import_table(write(tmp_path, TABLE, name="table.xlsx"), store)


def test_import_table_area_type_column_is_checked_against_codes(store, tmp_path):
    text = "area_code,area_type,period,value\nE06000032,region,2024,1\n"
    with pytest.raises(InputError, match="not a code of area type 'region'"):
        import_table(write(tmp_path, text), store, indicator_id="x")

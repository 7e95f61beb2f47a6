"""Exporting the warehouse in Fingertips' layout with disclosure control."""

import csv
import hashlib
import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.disclosure import DisclosureRules
from healthgap.errors import InputError
from healthgap.warehouse import _validate
from healthgap.warehouse.export import SYNTHETIC, _number_text, export
from healthgap.warehouse.fingertips import COLUMNS, import_fingertips
from healthgap.warehouse.store import Warehouse
from healthgap.warehouse.tables import import_table

FOLDER = Path(__file__).parents[2] / "reference" / "fingertips"
REAL = FOLDER / "fingertips_93356_campylobacter_countyua.csv"
KEY = ["Area Code", "Time period", "Age", "Category Type", "Category"]
LIMITS = ["Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit"]

# One area, one period: a total and three categories, one with a count below 7.
SMALL = """\
indicator_id,area_code,period,ethnicity,numerator,denominator
flu_65,E06000032,2023/24,Asian,3,40
flu_65,E06000032,2023/24,Black,121,300
flu_65,E06000032,2023/24,White,1234,2000
flu_65,E06000032,2023/24,,1358,2340
"""


@pytest.fixture
def store(tmp_path):
    return Warehouse.create(tmp_path / "warehouse.duckdb")


def read_rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def small_table(store, tmp_path):
    path = tmp_path / "small.csv"
    path.write_text(SMALL, encoding="utf-8")
    import_table(path, store, groups=["ethnicity"])


def test_export_csv_has_fingertips_header_and_every_row(store, tmp_path):
    import_fingertips(REAL, store)
    out = export(store, tmp_path / "out.csv", rules=DisclosureRules())
    rows = read_rows(out)
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 853
    assert {len(r) for r in rows} == {26}


def test_export_round_trip_keeps_values_of_unsuppressed_cells(store, tmp_path):
    import_fingertips(REAL, store)
    out = export(store, tmp_path / "out.csv", rules=DisclosureRules())
    again = Warehouse.create(tmp_path / "again" / "warehouse.duckdb")
    assert import_fingertips(out, again).rows == 852
    original = pd.read_csv(REAL, dtype=str, keep_default_na=False).set_index(KEY).sort_index()
    exported = pd.read_csv(out, dtype=str, keep_default_na=False).set_index(KEY).sort_index()
    shown = exported["Value"] != "*"
    assert shown.sum() > 700
    for column in LIMITS:
        mine = pd.to_numeric(exported.loc[shown, column])
        np.testing.assert_array_equal(mine, pd.to_numeric(original.loc[shown, column]))
    counts = pd.to_numeric(exported.loc[shown, "Count"])
    source = pd.to_numeric(original.loc[shown, "Count"])
    assert (counts.dropna() % 5 == 0).all()  # rounded to the nearest 5
    assert (counts - source).abs().max() <= 2.5
    reread = again.read("indicator_values")
    first = store.read("indicator_values")
    merged = first.merge(reread, on=["area_code", "period", "age", "breakdown_type", "category"])
    kept = merged["value_y"].notna()
    np.testing.assert_array_equal(merged.loc[kept, "value_x"], merged.loc[kept, "value_y"])
    assert (merged["area_type_x"] == merged["area_type_y"]).all()
    assert (merged["category_order_x"].fillna(0) == merged["category_order_y"].fillna(0)).all()


def test_export_small_counts_appear_as_asterisks(store, tmp_path):
    small_table(store, tmp_path)
    out = export(store, tmp_path / "out.csv", rules=DisclosureRules())
    table = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("Category")
    asian = table.loc["Asian"]
    assert asian["Count"] == "*" and asian["Value"] == "*"
    assert asian["Lower CI 95.0 limit"] == "*" and asian["Upper CI 99.8 limit"] == "*"
    # secondary suppression: the Asian count cannot be recovered from the total
    others = table.loc[["Black", "White"], "Count"]
    assert (others == "*").any() or table.loc["", "Count"] == "*"
    shown = pd.to_numeric(table["Count"].replace("*", np.nan)).dropna()
    assert (shown % 5 == 0).all()
    assert "3" not in table["Count"].tolist()
    raw = store.read("indicator_values")
    assert 3 in raw["count"].tolist()  # the warehouse keeps raw values


def test_export_xlsx_has_numbers_as_numbers_and_asterisks(store, tmp_path):
    small_table(store, tmp_path)
    out = export(store, tmp_path / "out.xlsx", rules=DisclosureRules())
    book = openpyxl.load_workbook(out, read_only=True)
    rows = list(book["Data"].iter_rows(values_only=True))
    assert tuple(rows[0]) == COLUMNS
    value = COLUMNS.index("Value")
    cells = [r[value] for r in rows[1:]]
    assert "*" in cells
    assert any(isinstance(c, float) for c in cells)
    about = dict(book["About"].iter_rows(values_only=True))
    assert about["synthetic"] == "no"
    book.close()


def test_export_parquet_is_typed_with_metadata(store, tmp_path):
    small_table(store, tmp_path)
    out = export(store, tmp_path / "out.parquet", rules=DisclosureRules())
    table = pd.read_parquet(out)
    assert tuple(table.columns) == COLUMNS
    assert table["Value"].dtype == np.float64
    assert table["Value"].isna().any()  # suppressed
    notes = json.loads(pq.read_metadata(out).metadata[b"healthgap"])
    assert json.loads(notes["disclosure_control"])["threshold"] == 7


def test_export_marks_synthetic_rows(store, tmp_path):
    rows = pd.DataFrame(
        {
            "indicator_id": ["x"],
            "source": ["build"],
            "area_code": ["E06000032"],
            "area_type": ["lad"],
            "period": ["2024"],
            "sex": ["Persons"],
            "age": ["All ages"],
            "breakdown_type": ["total"],
            "category": [""],
            "value": [10.0],
            "count": [100.0],
            "denominator": [1000.0],
        }
    )
    with store.change("build", synthetic=True) as change:
        change.replace("indicator_values", rows, where={"source": "build"})
    small_table(store, tmp_path)
    out = export(store, tmp_path / "out.csv", rules=DisclosureRules())
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    notes = table.set_index("Indicator ID")["Value note"]
    assert notes["x"].startswith(SYNTHETIC)
    assert not notes["flu_65"].str.startswith(SYNTHETIC).any()
    everything = export(store, tmp_path / "all.csv", rules=DisclosureRules(), synthetic=True)
    marked = pd.read_csv(everything, dtype=str, keep_default_na=False)["Value note"]
    assert marked.str.startswith(SYNTHETIC).all()


def test_export_source_filter(store, tmp_path):
    import_fingertips(FOLDER / "sample_26_columns.csv", store)
    small_table(store, tmp_path)
    out = export(store, tmp_path / "out.csv", rules=DisclosureRules(), source="table")
    assert set(pd.read_csv(out, dtype=str)["Indicator ID"]) == {"flu_65"}


def test_export_unknown_extension_is_an_error_and_writes_nothing(store, tmp_path):
    small_table(store, tmp_path)
    with pytest.raises(InputError, match=r"unknown export format '\.json'"):
        export(store, tmp_path / "out.json", rules=DisclosureRules())
    assert not (tmp_path / "out.json").exists()


def test_export_empty_warehouse_is_an_error(store, tmp_path):
    with pytest.raises(InputError, match="no values"):
        export(store, tmp_path / "out.csv", rules=DisclosureRules())


def test_export_failure_leaves_the_previous_file(store, tmp_path, monkeypatch):
    small_table(store, tmp_path)
    out = export(store, tmp_path / "out.csv", rules=DisclosureRules())
    before = hashlib.sha256(out.read_bytes()).hexdigest()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    with pytest.raises(OSError, match="disk full"):
        export(store, out, rules=DisclosureRules())
    assert hashlib.sha256(out.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=20))
def test_number_text_reads_back_exactly(numbers):
    shown = _number_text(pd.Series(numbers, dtype="float64"))
    loaded = _validate.Loaded(Path("x.csv"), pd.DataFrame({"n": shown}), csv=True)
    np.testing.assert_array_equal(_validate.numbers(loaded, "n"), numbers)

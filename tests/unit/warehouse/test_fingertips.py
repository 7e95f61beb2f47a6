"""Importing Fingertips downloads (tests/reference/fingertips, see its PROVENANCE.md)."""

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from healthgap.errors import InputError
from healthgap.warehouse._validate import periods
from healthgap.warehouse.fingertips import COLUMNS, area_type, import_fingertips
from healthgap.warehouse.store import Warehouse

FOLDER = Path(__file__).parents[2] / "reference" / "fingertips"
REAL = FOLDER / "fingertips_93356_campylobacter_countyua.csv"
SAMPLE = FOLDER / "sample_26_columns.csv"
MALFORMED = FOLDER / "malformed"


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(tmp_path):
    return Warehouse.create(tmp_path / "warehouse.duckdb")


def one(frame, **where):
    mask = np.ones(len(frame), dtype=bool)
    for column, value in where.items():
        mask &= (frame[column] == value).to_numpy()
    assert mask.sum() == 1, where
    return frame[mask].iloc[0]


def test_import_fingertips_real_download_loads_every_row(store):
    summary = import_fingertips(REAL, store)
    rows = store.read("indicator_values")
    assert summary.rows == len(rows) == 852
    assert summary.indicators == ("93356",)
    assert summary.areas == 162
    assert summary.periods == ("2015", "2016", "2017")
    assert rows["area_type"].value_counts().to_dict() == {"lad": 760, "england": 65, "region": 27}
    assert set(rows["source"]) == {"fingertips"}
    assert set(rows["build_id"]) == {summary.build_id}


def test_import_fingertips_values_match_the_file_by_hand(store):
    import_fingertips(REAL, store)
    rows = store.read("indicator_values")
    # row 2 (lines 2-3) of the file: England, 2015, all ages, no breakdown
    england = one(
        rows, area_code="E92000001", period="2015", age="All ages", breakdown_type="total"
    )
    assert england["value"] == 94.7261896202678
    assert england["lower_ci_95"] == 93.9129396546008
    assert england["upper_ci_95"] == 95.5447303303505
    assert np.isnan(england["lower_ci_99_8"])
    assert (england["count"], england["denominator"]) == (51897, 54786327)
    assert england["indicator_name"] == "Campylobacter incidence rate/100,000"
    assert england["area_type"] == "england" and pd.isna(england["parent_code"])
    assert england["comparison"] == "Not compared"
    assert str(england["period_start"])[:10] == "2015-01-01"
    assert str(england["period_end"])[:10] == "2015-12-31"
    # row 79: County Durham, 2015
    durham = one(rows, area_code="E06000047", period="2015", age="All ages")
    assert (durham["value"], durham["count"], durham["denominator"]) == (
        132.000500293441,
        686,
        519695,
    )
    assert durham["upper_ci_95"] == 142.258919793922
    assert (durham["area_type"], durham["parent_code"]) == ("lad", "E12000001")
    assert durham["comparison"] == "Worse" and durham["area_name"] == "County Durham"
    # the IMD 2015 deciles of England keep Fingertips' order
    deciles = rows[rows["breakdown_type"] == "County & UA deprivation deciles in England (IMD2015)"]
    first = one(deciles, period="2015", category="Most deprived decile (IMD2015)")
    assert (first["category_order"], first["value"], first["count"]) == (1, 69.6234924331395, 3541)
    assert first["value_note"] == "Aggregated from all known lower geography values"
    last = one(deciles, period="2015", category="Least deprived decile (IMD2015)")
    assert last["category_order"] == 10
    assert rows.loc[rows["breakdown_type"] == "total", "category"].eq("").all()
    assert rows.loc[rows["breakdown_type"] == "total", "category_order"].isna().all()


def test_import_fingertips_blank_values_are_null_with_their_note(store):
    import_fingertips(REAL, store)
    scilly = one(
        store.read("indicator_values"), area_code="E06000053", period="2015", age="All ages"
    )
    assert scilly[["value", "lower_ci_95", "count", "denominator"]].isna().all()
    assert scilly["value_note"] == "Value for Cornwall & Isles of Scilly combined"
    assert pd.isna(scilly["recent_trend"])


def test_import_fingertips_27_columns_give_the_same_rows_as_26(tmp_path):
    results = []
    for name in ("sample_26_columns.csv", "sample_27_columns.csv"):
        store = Warehouse.create(tmp_path / name / "warehouse.duckdb")
        import_fingertips(FOLDER / name, store)
        results.append(store.read("indicator_values").drop(columns="build_id"))
    assert len(results[0]) == 5
    pd.testing.assert_frame_equal(results[0], results[1])


def test_import_fingertips_parent_comparison_may_name_another_parent(store, tmp_path):
    text = (FOLDER / "sample_27_columns.csv").read_text(encoding="utf-8")
    variant = tmp_path / "variant.csv"
    variant.write_text(
        text.replace("Compared to Region value", "Compared to Regions (statistical) value"),
        encoding="utf-8",
    )
    assert import_fingertips(variant, store).rows == 5


def test_import_fingertips_quoted_line_breaks_count_as_one_row(store):
    summary = import_fingertips(SAMPLE, store)
    names = store.read("indicator_values")["indicator_name"]
    assert summary.rows == 5  # ten physical data lines
    assert SAMPLE.read_bytes().count(b"\n") == 11
    assert set(names) == {"Campylobacter incidence rate/100,000"}


def test_import_fingertips_thousands_separators_are_numbers(store):
    import_fingertips(FOLDER / "sample_thousands_separators.csv", store)
    england = one(store.read("indicator_values"), area_code="E92000001", breakdown_type="total")
    assert (england["count"], england["denominator"]) == (51897, 54786327)


def test_import_fingertips_suppression_marker_is_null(store, tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace("132.000500293441", "*")
    marked = tmp_path / "marked.csv"
    marked.write_text(text, encoding="utf-8")
    import_fingertips(marked, store)
    assert np.isnan(one(store.read("indicator_values"), area_code="E06000047")["value"])


def test_import_fingertips_accepts_a_byte_order_mark(store, tmp_path):
    marked = tmp_path / "bom.csv"
    marked.write_bytes(b"\xef\xbb\xbf" + SAMPLE.read_bytes())
    assert import_fingertips(marked, store).rows == 5


def test_import_fingertips_bad_header_lists_expected_and_found_columns(store):
    with pytest.raises(InputError, match="not a Fingertips data download") as caught:
        import_fingertips(MALFORMED / "bad_header.csv", store)
    message = str(caught.value)
    assert "bad_header.csv" in message
    assert ", ".join(COLUMNS) in message
    assert "missing 'Parent Name', 'Area Code'; unexpected 'Area code'" in message


def test_import_fingertips_bad_area_code_names_row_line_and_column(store):
    with pytest.raises(InputError, match=r"bad_area_code.csv, column 'Area Code'") as caught:
        import_fingertips(MALFORMED / "bad_area_code.csv", store)
    assert "row 5 (line 8): 'E6000047'" in str(caught.value)
    assert caught.value.rows == [5] and caught.value.column == "Area Code"


def test_import_fingertips_non_numeric_value_names_row_and_column(store):
    with pytest.raises(InputError, match=r"column 'Value': expected a number") as caught:
        import_fingertips(MALFORMED / "non_numeric_value.csv", store)
    assert "row 5 (line 8): '132.0005OO'" in str(caught.value)


def test_import_fingertips_record_with_extra_fields_is_an_error(store):
    with pytest.raises(InputError, match=r"expected 26 fields .* found 27 at row 4 \(line 6\)"):
        import_fingertips(MALFORMED / "ragged_row.csv", store)


def test_import_fingertips_unclosed_quote_is_an_error(store):
    with pytest.raises(InputError, match=r"never closed in row 6 \(line 10\)"):
        import_fingertips(MALFORMED / "unclosed_quote.csv", store)


@pytest.mark.parametrize("name", sorted(p.name for p in MALFORMED.glob("*.csv")))
def test_import_fingertips_malformed_file_writes_nothing(store, name):
    import_fingertips(SAMPLE, store)
    before = digest(store.path)
    with pytest.raises(InputError, match=name):
        import_fingertips(MALFORMED / name, store)
    assert digest(store.path) == before
    assert not list(store.path.parent.glob("*.tmp"))


def test_import_fingertips_unknown_area_is_an_error_when_areas_are_given(store):
    known = {"E92000001", "E12000001", "E06000047"}
    with pytest.raises(InputError, match=r"not known to this workspace at row 6 \(line 10\)"):
        import_fingertips(SAMPLE, store, known_areas=known)
    assert import_fingertips(SAMPLE, store, known_areas=known | {"E06000053"}).rows == 5


def test_import_fingertips_code_of_the_wrong_area_type_is_an_error(store, tmp_path):
    wrong = tmp_path / "wrong.csv"
    text = SAMPLE.read_text(encoding="utf-8")
    wrong.write_text(text.replace("E12000001,North East region", "E06000001,North East"), "utf-8")
    with pytest.raises(InputError, match=r"not a code of area type 'region' at row 4"):
        import_fingertips(wrong, store)


def test_import_fingertips_reimport_replaces_its_own_rows(store):
    import_fingertips(REAL, store)
    import_fingertips(REAL, store)
    assert len(store.read("indicator_values")) == 852
    builds = store.builds()
    assert builds["kind"].tolist() == ["import fingertips"] * 2
    assert json.loads(builds["inputs"].iloc[0]) == {str(REAL): digest(REAL)}


def test_import_fingertips_other_areas_of_the_same_indicator_are_kept(store):
    import_fingertips(REAL, store)
    import_fingertips(SAMPLE, store)  # England, North East, Durham and Scilly, 2015 only
    sample_areas = {"E92000001", "E12000001", "E06000047", "E06000053"}
    real = pd.read_csv(REAL, dtype=str)
    kept = (~real["Area Code"].isin(sample_areas)).sum()
    rows = store.read("indicator_values")
    assert len(rows) == kept + 5
    assert (rows["area_code"] == "E06000001").sum() == (real["Area Code"] == "E06000001").sum()


def test_import_fingertips_exact_duplicate_rows_are_dropped(store, tmp_path):
    lines = SAMPLE.read_bytes().decode("utf-8").split("\r\n")
    doubled = tmp_path / "doubled.csv"
    doubled.write_text("\r\n".join([*lines[:-1], lines[1]]) + "\r\n", encoding="utf-8")
    summary = import_fingertips(doubled, store)
    assert (summary.rows, summary.duplicates_dropped) == (5, 1)


def test_import_fingertips_conflicting_duplicates_are_an_error(store, tmp_path):
    lines = SAMPLE.read_bytes().decode("utf-8").split("\r\n")
    changed = lines[1].replace("94.7261896202678", "95")
    clash = tmp_path / "clash.csv"
    clash.write_text("\r\n".join([*lines[:-1], changed]) + "\r\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"appear twice .* at row 2; row 7 \(line 12\)"):
        import_fingertips(clash, store)


def test_import_fingertips_text_that_is_not_utf8_is_an_error(store, tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes(SAMPLE.read_bytes().replace(b"County Durham", b"County D\xfcrham"))
    with pytest.raises(InputError, match="not UTF-8"):
        import_fingertips(latin, store)


def test_import_fingertips_missing_file_or_warehouse_is_an_error(store, tmp_path):
    with pytest.raises(InputError, match="no such file"):
        import_fingertips(tmp_path / "none.csv", store)
    with pytest.raises(InputError, match="healthgap init"):
        import_fingertips(SAMPLE, tmp_path / "nowhere" / "warehouse.duckdb")


def test_import_fingertips_header_without_rows_is_an_error(store, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text(",".join(COLUMNS) + "\r\n", encoding="utf-8")
    with pytest.raises(InputError, match="no data rows"):
        import_fingertips(empty, store)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Country", "england"),
        ("England", "england"),
        ("Region", "region"),
        ("County & UA", "lad"),
        ("District & UA", "lad"),
        ("UA", "lad"),
        ("Counties & UAs (from Apr 2023)", "lad"),
        ("Upper tier local authorities (4/23)", "lad"),
        ("MSOA", "msoa"),
        ("GP", "practice"),
        ("GPs", "practice"),
        ("Combined authorities", "combined authorities"),
        ("NHS region", "nhs region"),
    ],
)
def test_area_type_normalises_fingertips_names(name, expected):
    assert area_type(pd.Series([name])).tolist() == [expected]


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2015", "2015-01-01", "2015-12-31"),
        ("2015 - 17", "2015-01-01", "2017-12-31"),
        ("2019/20", "2019-04-01", "2020-03-31"),
        ("2017/18 - 19/20", "2017-04-01", "2020-03-31"),
        ("2019/20 Q4", "2020-01-01", "2020-03-31"),
        ("Feb 2024", "2024-02-01", "2024-02-29"),
        ("2023-24 flu season", None, None),
        ("2019/21", None, None),
    ],
)
def test_periods_start_and_end(label, start, end):
    first, last = periods(pd.Series([label]))
    got = [None if pd.isna(v) else str(v)[:10] for v in (first.iloc[0], last.iloc[0])]
    assert got == [start, end]


def test_import_fingertips_file_is_not_changed(store, tmp_path):
    copy = tmp_path / "copy.csv"
    shutil.copyfile(SAMPLE, copy)
    before = digest(copy)
    import_fingertips(copy, store)
    assert digest(copy) == before

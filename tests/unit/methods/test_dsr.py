import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgap.errors import InputError
from healthgap.methods.dsr import dsr
from healthgap.reference.esp2013 import esp2013
from tests.unit.methods._phe import PHE_LIMITS, assert_close, read

BANDS = list(esp2013()["age_band"])
ESP = esp2013()["population"].to_numpy(dtype=float)
NONIND_METHOD = "Dobson, non-independent events"


def multiarea() -> pd.DataFrame:
    # PHE matches age bands by position and its file labels 55-59 as "55-69"; we match
    # ESP 2013 by label, so the typo is corrected here.
    return read("test_multiarea.csv").replace({"ageband": {"55-69": "55-59"}})


def expected_dsr(rows: slice) -> pd.DataFrame:
    return read("test_DSR_results.csv").iloc[rows].reset_index(drop=True)


def assert_matches(result: pd.DataFrame, expected: pd.DataFrame, limits=PHE_LIMITS) -> None:
    assert list(result["total_events" if "total_events" in result else "count"]) == list(
        expected["total_count"]
    )
    assert list(result["pop"]) == list(expected["total_pop"])
    assert_close(result["value"], expected["value"])
    for theirs, ours in limits.items():
        assert_close(result[ours], expected[theirs])
    suppressed = expected["statistic"] == "dsr NA for total count < 10"
    assert list(result["note"].notna()) == list(suppressed)


@pytest.mark.parametrize(("multiplier", "rows"), [(100_000, slice(4, 7)), (10_000, slice(0, 3))])
def test_dsr_matches_phe_reference_esp_matched_by_label(multiplier, rows):
    # test_multiarea.csv → test_DSR_results.csv rows for testdata_big/small/tiny.
    result = dsr(
        multiarea(), "count", "pop", age="ageband", by="area",
        confidence=[0.95, 0.998], multiplier=multiplier,
    )  # fmt: skip
    expected = expected_dsr(rows)
    assert list(result["area"]) == list(expected["area"])
    assert_matches(result, expected)
    assert set(result["method"]) == {"Dobson"}


@pytest.mark.parametrize(
    "name", ["test_multiarea_esp.csv", "testdata_DSR_ISR__testdata_multiarea.csv"]
)
def test_dsr_matches_phe_reference_standard_column(name):
    data = read(name)
    if "esp2013" not in data:  # the same areas without a standard column: add ESP by position
        data["esp2013"] = np.tile(ESP, 3)
    result = dsr(
        data, "count", "pop", age="ageband", by="area", standard="esp2013",
        confidence=[0.95, 0.998],
    )  # fmt: skip
    assert_matches(result, expected_dsr(slice(4, 7)))


def test_dsr_single_level_998_matches_phe_reference():
    # test_DSR_results.csv rows 5-7, 99.8% columns (PHE's "test confidence").
    result = dsr(multiarea(), "count", "pop", age="ageband", by="area", confidence=0.998)
    limits = {"lower99_8cl": "lower_ci", "upper99_8cl": "upper_ci"}
    assert_matches(result, expected_dsr(slice(4, 7)), limits)


@pytest.mark.parametrize("name", ["test_DSR_1976.csv", "testdata_DSR_ISR__testdata_1976.csv"])
def test_dsr_matches_phe_reference_user_standard_1976(name):
    # test_DSR_results.csv row testdata_1976 per 100,000. PHE tests only its 95% limits:
    # the file's 99.8% columns for this row are mis-scaled (×10 and ×100).
    result = dsr(read(name), "count", "pop", age="Age Band", standard="esp1976")
    expected = expected_dsr(slice(7, 8))
    limits = {"lower95_0cl": "lower_ci", "upper95_0cl": "upper_ci"}
    assert_matches(result, expected, limits)


def test_dsr_non_independent_matches_phe_reference():
    # test_DSR_nonind.csv: people by event frequency → test_DSR_results.csv rows 9-12.
    result = dsr(
        read("test_DSR_nonind.csv"), "persons", "pop", age="ageband", by="area",
        standard="esp2013", confidence=[0.95, 0.998], independent_events=False,
        event_frequency="freq",
    )  # fmt: skip
    expected = expected_dsr(slice(8, 12))
    assert list(result["area"]) == list(expected["area"])
    assert_matches(result, expected)
    assert set(result["method"]) == {NONIND_METHOD}
    assert list(result["persons"]) == [695, 655, 78, 6]


def test_dsr_non_independent_wide_file_with_esp_matching():
    # testdata_DSR_ISR__testdata_nonindepe.csv holds people with 1-4 events as columns
    # f1-f4 and total events as `count`; reshaped long, with ESP 2013 matched by label.
    wide = read("testdata_DSR_ISR__testdata_nonindepe.csv")
    wide["ageband"] = wide["ageband"].replace({"55-69": "55-59"})
    long = wide.melt(
        id_vars=["area", "ageband", "count", "pop"], value_vars=["f1", "f2", "f3", "f4"],
        var_name="freq", value_name="persons",
    )  # fmt: skip
    long["freq"] = long["freq"].str[1:].astype(int)
    result = dsr(
        long, "persons", "pop", age="ageband", by="area", confidence=[0.95, 0.998],
        independent_events=False, event_frequency="freq",
    )  # fmt: skip
    expected = expected_dsr(slice(8, 12))
    assert_matches(result, expected)
    assert list(result["total_events"]) == list(wide.groupby("area", sort=False)["count"].sum())


def test_dsr_non_independent_single_events_equal_independent():
    data = multiarea().assign(freq=1)
    independent = dsr(data, "count", "pop", age="ageband", by="area")
    single = dsr(
        data, "count", "pop", age="ageband", by="area", independent_events=False,
        event_frequency="freq",
    )  # fmt: skip
    for column in ["value", "lower_ci", "upper_ci"]:
        assert_close(single[column], independent[column], rtol=1e-12)


def test_dsr_non_independent_widens_limits():
    data = read("test_DSR_nonind.csv").query("area == 'testdata_nonind_big'")
    events = (
        data.assign(events=data["persons"].fillna(0) * data["freq"])
        .groupby("ageband", as_index=False)
        .agg(events=("events", "sum"), pop=("pop", "first"), esp=("esp2013", "first"))
    )
    independent = dsr(events, "events", "pop", age="ageband", standard="esp")
    nonind = dsr(
        data, "persons", "pop", age="ageband", standard="esp2013", independent_events=False,
        event_frequency="freq",
    )  # fmt: skip
    assert nonind["value"].iloc[0] == pytest.approx(independent["value"].iloc[0], rel=1e-12)
    assert nonind["lower_ci"].iloc[0] < independent["lower_ci"].iloc[0]
    assert nonind["upper_ci"].iloc[0] > independent["upper_ci"].iloc[0]


@pytest.mark.parametrize(
    ("name", "column"),
    [("test_DSR_nonind_err1.csv", "pop"), ("test_DSR_nonind_err2.csv", "esp2013")],
)
def test_dsr_non_independent_inconsistent_rows_raise(name, column):
    # PHE: "There are rows with the same grouping variables and ageband but with different …"
    with pytest.raises(
        InputError, match=rf"column '{column}': differs between rows .*\(rows 0, 57, 114, 171\)"
    ):
        dsr(
            read(name), "persons", "pop", age="ageband", by="area", standard="esp2013",
            independent_events=False, event_frequency="freq",
        )  # fmt: skip


@pytest.mark.parametrize("prefix", ["test_", "testdata_DSR_ISR__testdata_"])
@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("1", r"column 'count': must not be negative \(row 5\)"),
        ("3", r"column 'pop': must be greater than zero \(row 1\)"),
        ("4", r"column 'stdpop': must not be negative \(row 5\)"),
    ],
)
def test_dsr_phe_error_files_raise(prefix, number, message):
    with pytest.raises(InputError, match=message):
        dsr(read(f"{prefix}err{number}.csv"), "count", "pop", age="Age Band", standard="stdpop")


@pytest.mark.parametrize("name", ["test_err2.csv", "test_err2_esp.csv"])
def test_dsr_zero_population_raises(name):
    data = read(name).assign(age=BANDS * 2)  # two areas of 19 bands, no age column in PHE's
    with pytest.raises(InputError, match=r"column 'pop': must be greater than zero \(row 1\)"):
        dsr(data, "count", "pop", age="age", by="area")


def test_dsr_hand_calculated_two_bands():
    df = pd.DataFrame({"age": ["a", "b"], "d": [20, 30], "n": [1000, 2000], "w": [3, 1]})
    result = dsr(df, "d", "n", age="age", standard="w", multiplier=1000)
    # (3·20/1000 + 1·30/2000)/4 = 0.01875; V = (20·(3/1000)² + 30·(1/2000)²)/16
    value = (3 * 20 / 1000 + 30 / 2000) / 4 * 1000
    variance = (20 * (3 / 1000) ** 2 + 30 * (1 / 2000) ** 2) / 16
    z = 1.959963984540054
    upper = 51 * (1 - 1 / (9 * 51) + z / (3 * np.sqrt(51))) ** 3
    assert result["value"].iloc[0] == pytest.approx(value, rel=1e-12)
    expected_upper = value + np.sqrt(variance / 50) * (upper - 50) * 1000
    assert result["upper_ci"].iloc[0] == pytest.approx(expected_upper, rel=1e-9)
    assert result[["d", "n"]].iloc[0].tolist() == [50, 3000]


def test_dsr_same_rate_in_every_band_gives_that_rate():
    df = pd.DataFrame({"age": BANDS, "d": 10, "n": 1000})
    assert dsr(df, "d", "n", age="age")["value"].iloc[0] == pytest.approx(1000.0, rel=1e-12)


def test_dsr_row_order_does_not_matter():
    data = multiarea()
    shuffled = data.sample(frac=1, random_state=np.random.default_rng(3)).reset_index(drop=True)
    a = dsr(data, "count", "pop", age="ageband", by="area")
    b = dsr(shuffled, "count", "pop", age="ageband", by="area").set_index("area").loc[a["area"]]
    assert_close(b["value"], a["value"], rtol=1e-12)


def test_dsr_zero_events_suppressed_without_warnings():
    df = pd.DataFrame({"age": BANDS, "d": 0, "n": 500})
    result = dsr(df, "d", "n", age="age", confidence=[0.95, 0.998])
    assert result.drop(columns=["d", "n", "method", "note"]).isna().all(axis=None)
    assert result["note"].iloc[0] == "suppressed: fewer than 10 events"


def test_dsr_missing_counts_count_as_zero():
    df = pd.DataFrame({"age": BANDS, "d": [np.nan] + [1.0] * 18, "n": 100})
    zeros = df.fillna({"d": 0})
    assert_close(dsr(df, "d", "n", age="age")["value"], dsr(zeros, "d", "n", age="age")["value"])


def test_dsr_single_group_equals_by_with_one_group():
    data = multiarea().query("area == 'testdata_big'")
    grouped = dsr(data, "count", "pop", age="ageband", by="area")
    single = dsr(data, "count", "pop", age="ageband")
    assert list(single.columns) == list(grouped.columns[1:])
    assert_close(single["value"], grouped["value"], rtol=1e-15)


def test_dsr_does_not_modify_input():
    data = multiarea()
    before = data.copy()
    dsr(data, "count", "pop", age="ageband", by="area")
    pd.testing.assert_frame_equal(data, before)


def test_dsr_missing_esp_band_names_group():
    data = multiarea().drop(index=[5])  # testdata_big loses 25-29
    with pytest.raises(InputError, match=r"all 19 ESP 2013 .*area='testdata_big' .*lacks 25-29"):
        dsr(data, "count", "pop", age="ageband", by="area")


def test_dsr_repeated_band_names_rows():
    data = multiarea().replace({"ageband": {"90+": "85-89"}})
    with pytest.raises(InputError, match=r"column 'ageband': the same age band appears more"):
        dsr(data, "count", "pop", age="ageband", by="area")


def test_dsr_custom_standard_band_counts_must_agree():
    data = read("test_multiarea_esp.csv").drop(index=[40])
    with pytest.raises(InputError, match=r"same number of age bands \(most have 19\).*tiny"):
        dsr(data, "count", "pop", age="ageband", by="area", standard="esp2013")


def test_dsr_event_frequency_arguments_must_agree():
    data = multiarea().assign(freq=1)
    with pytest.raises(InputError, match="only used with independent_events=False"):
        dsr(data, "count", "pop", age="ageband", event_frequency="freq")
    with pytest.raises(InputError, match="needs event_frequency"):
        dsr(data, "count", "pop", age="ageband", independent_events=False)
    with pytest.raises(InputError, match="must be greater than zero"):
        dsr(
            data.assign(freq=0), "count", "pop", age="ageband", by="area",
            independent_events=False, event_frequency="freq",
        )  # fmt: skip


@pytest.mark.parametrize("multiplier", [0, -1, "1000", float("nan")])
def test_dsr_bad_multiplier_raises(multiplier):
    with pytest.raises(InputError, match="multiplier"):
        dsr(multiarea(), "count", "pop", age="ageband", by="area", multiplier=multiplier)


def test_dsr_missing_column_raises():
    with pytest.raises(InputError, match=r"column\(s\) 'age' not found"):
        dsr(multiarea(), "count", "pop", age="age")


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.integers(0, 400), min_size=19, max_size=19),
    st.lists(st.integers(1, 50_000), min_size=19, max_size=19),
)
def test_dsr_value_lies_within_nested_limits(counts, pops):
    df = pd.DataFrame({"age": BANDS, "d": counts, "n": pops})
    r = dsr(df, "d", "n", age="age", confidence=[0.95, 0.998]).iloc[0]
    if sum(counts) < 10:
        assert np.isnan(r["value"])
        return
    tol = 1e-9 * r["value"]
    assert r["lower_ci_99_8"] <= r["lower_ci_95"] + tol
    assert r["lower_ci_95"] <= r["value"] + tol
    assert r["value"] <= r["upper_ci_95"] + tol
    assert r["upper_ci_95"] <= r["upper_ci_99_8"] + tol

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgap.errors import InputError
from healthgap.methods.isr import isr
from tests.unit.methods._phe import PHE_LIMITS, assert_close, read

REF = {"reference_count": "refcount", "reference_population": "refpop"}


def expected_isr(name: str, rows: slice) -> pd.DataFrame:
    return read(name).iloc[rows].reset_index(drop=True)


def with_reference(data: pd.DataFrame, groups: int) -> pd.DataFrame:
    """Attach test_ISR_refdata.csv's reference counts and populations by position."""
    ref = read("test_ISR_refdata.csv")
    return data.assign(
        refcount=np.tile(ref["refcount"], groups), refpop=np.tile(ref["refpop"], groups)
    )


def assert_matches(result, expected, limits=PHE_LIMITS) -> None:
    assert list(result["area"]) == list(expected["area"])
    assert list(result["observed"]) == list(expected["observed"])
    assert_close(result["expected"], expected["expected"])
    if "reference_rate" in result:
        assert_close(result["reference_rate"], expected["ref_rate"])
    assert_close(result["value"], expected["value"])
    for theirs, ours in limits.items():
        assert_close(result[ours], expected[theirs])
    assert list(result["method"]) == list(expected["method"])


RESULT_FILES = ["test_ISR_results.csv", "testdata_DSR_ISR__testresults_ISR.csv"]
CASES = [
    # rows of the results file, output, ratio_scale, multiplier
    (slice(0, 3), "rate", 1, 100_000),
    (slice(3, 6), "rate", 1, 1000),
    (slice(6, 9), "ratio", 1, 100_000),
    (slice(9, 12), "ratio", 100, 100_000),
]


@pytest.mark.parametrize("results", RESULT_FILES)
@pytest.mark.parametrize(("rows", "output", "scale", "multiplier"), CASES)
def test_isr_matches_phe_reference_own_reference_columns(results, rows, output, scale, multiplier):
    # test_ISR_ownref.csv: three areas with reference counts and populations as columns
    # (testdata_tiny has a missing count, population and reference count: zero, as PHE).
    result = isr(
        read("test_ISR_ownref.csv"), "count", "pop", **REF, by="area", output=output,
        ratio_scale=scale, multiplier=multiplier, confidence=[0.95, 0.998],
    )  # fmt: skip
    assert_matches(result, expected_isr(results, rows))
    if output == "ratio":
        assert "reference_rate" not in result


@pytest.mark.parametrize(("rows", "output", "scale", "multiplier"), CASES)
def test_isr_matches_phe_reference_separate_reference_table(rows, output, scale, multiplier):
    # test_multiarea.csv with test_ISR_refdata.csv joined by age band, as an analyst would.
    ref = read("test_ISR_refdata.csv").rename(columns={"Age Band": "ageband"})
    data = read("test_multiarea.csv").merge(ref, on="ageband", how="left")
    result = isr(
        data, "count", "pop", **REF, by="area", output=output, ratio_scale=scale,
        multiplier=multiplier, confidence=[0.95, 0.998],
    )  # fmt: skip
    assert_matches(result, expected_isr("test_ISR_results.csv", rows))


def test_isr_single_level_998_matches_phe_reference():
    # test_ISR_results.csv rows 1-3, 99.8% columns (PHE's "test confidence").
    result = isr(read("test_ISR_ownref.csv"), "count", "pop", **REF, by="area", output="rate",
                 confidence=0.998)  # fmt: skip
    limits = {"lower99_8cl": "lower_ci", "upper99_8cl": "upper_ci"}
    assert_matches(result, expected_isr("test_ISR_results.csv", slice(0, 3)), limits)


@pytest.mark.parametrize(
    ("rows", "output", "scale"), [(slice(12, 14), "rate", 1), (slice(14, 16), "ratio", 100)]
)
def test_isr_zero_population_matches_phe_reference(rows, output, scale):
    # test_err2.csv: Area1 has a zero population in one band; allowed for an ISR.
    data = with_reference(read("test_err2.csv"), groups=2)
    result = isr(data, "count", "pop", **REF, by="area", output=output, ratio_scale=scale)
    limits = {"lower95_0cl": "lower_ci", "upper95_0cl": "upper_ci"}
    assert_matches(result, expected_isr("test_ISR_results.csv", rows), limits)


@pytest.mark.parametrize(
    "lookup", ["test_ISR_lookup.csv", "testdata_DSR_ISR__testdata_multiarea_lookup.csv"]
)
def test_isr_observed_totals_match_phe_reference(lookup):
    # Observed totals supplied per area (no age breakdown), as PHE's observed_totals.
    data = read("test_ISR_ownref.csv").drop(columns="count")
    result = isr(
        data, "total_count", "pop", **REF, by="area", output="rate",
        observed_totals=read(lookup), confidence=[0.95, 0.998],
    )  # fmt: skip
    assert_matches(result, expected_isr("test_ISR_results.csv", slice(0, 3)))


def test_isr_observed_totals_missing_group_raises():
    data = read("test_ISR_ownref.csv")
    totals = read("test_ISR_lookup.csv").iloc[:2]
    with pytest.raises(InputError, match=r"no total for 1 group.*testdata_tiny"):
        isr(data, "total_count", "pop", **REF, by="area", observed_totals=totals)


def test_isr_observed_totals_repeated_group_raises():
    totals = read("test_ISR_lookup.csv")
    totals = pd.concat([totals, totals.iloc[:1]], ignore_index=True)
    with pytest.raises(InputError, match=r"more than one row for the same group \(rows 0, 3\)"):
        isr(read("test_ISR_ownref.csv"), "total_count", "pop", **REF, by="area",
            observed_totals=totals)  # fmt: skip


def test_isr_observed_totals_without_by_needs_one_row():
    data = read("test_ISR_ownref.csv").query("area == 'testdata_big'")
    one = pd.DataFrame({"deaths": [895]})
    result = isr(data, "deaths", "pop", **REF, observed_totals=one)
    assert result["observed"].iloc[0] == 895
    with pytest.raises(InputError, match="one row without by="):
        isr(data, "deaths", "pop", **REF, observed_totals=pd.concat([one, one]))


def test_isr_hand_calculated_smr():
    df = pd.DataFrame({"d": [3, 12], "n": [1000, 200], "rx": [50, 300], "rn": [10_000, 2000]})
    result = isr(df, "d", "n", reference_count="rx", reference_population="rn", ratio_scale=100)
    expected = 1000 * 50 / 10_000 + 200 * 300 / 2000  # 5 + 30
    assert result["expected"].iloc[0] == pytest.approx(35.0)
    assert result["value"].iloc[0] == pytest.approx(15 / 35 * 100)
    assert result["expected"].iloc[0] == pytest.approx(expected)
    assert result["method"].iloc[0] == "Byars"
    rate = isr(df, "d", "n", reference_count="rx", reference_population="rn", output="rate")
    assert rate["reference_rate"].iloc[0] == pytest.approx(350 / 12_000 * 100_000)
    assert rate["value"].iloc[0] == pytest.approx(15 / 35 * 350 / 12_000 * 100_000)


def test_isr_zero_observed_uses_exact_limits():
    df = pd.DataFrame({"d": [0], "n": [1000], "rx": [10], "rn": [1000]})
    result = isr(df, "d", "n", reference_count="rx", reference_population="rn")
    assert result["value"].iloc[0] == 0
    assert result["lower_ci"].iloc[0] == 0
    assert result["upper_ci"].iloc[0] == pytest.approx(-np.log(0.025) / 10, rel=1e-9)
    assert result["method"].iloc[0] == "Exact"


def test_isr_nothing_expected_gives_missing_value():
    df = pd.DataFrame({"a": ["x", "y"], "d": [0, 5], "n": [0, 100], "rx": [1, 1], "rn": [10, 10]})
    result = isr(df, "d", "n", reference_count="rx", reference_population="rn", by="a")
    assert np.isnan(result["value"].iloc[0]) and np.isnan(result["upper_ci"].iloc[0])
    assert result["value"].iloc[1] == pytest.approx(0.5)


def test_isr_does_not_modify_input():
    data = read("test_ISR_ownref.csv")
    before = data.copy()
    isr(data, "count", "pop", **REF, by="area")
    pd.testing.assert_frame_equal(data, before)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("test_err1.csv", r"column 'count': must not be negative \(row 5\)"),
        ("test_err3.csv", r"column 'pop': must not be negative \(row 1\)"),
    ],
)
def test_isr_phe_error_files_raise(name, message):
    with pytest.raises(InputError, match=message):
        isr(with_reference(read(name), groups=1), "count", "pop", **REF)


def test_isr_reference_population_must_be_positive():
    data = read("test_ISR_ownref.csv")
    data.loc[3, "refpop"] = 0
    with pytest.raises(InputError, match=r"column 'refpop': must be greater than zero \(row 3\)"):
        isr(data, "count", "pop", **REF, by="area")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"output": "smr"}, "output must be 'ratio' or 'rate'"),
        ({"ratio_scale": 0}, "ratio_scale must be greater than zero"),
        ({"multiplier": "1000"}, "multiplier must be a number"),
        ({"confidence": 0.74}, "confidence must be between"),
    ],
)
def test_isr_bad_arguments_raise(kwargs, message):
    with pytest.raises(InputError, match=message):
        isr(read("test_ISR_ownref.csv"), "count", "pop", **REF, by="area", **kwargs)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 500), st.integers(1, 10_000), st.integers(0, 1000)),
        min_size=1,
        max_size=19,
    )
)
def test_isr_value_lies_within_nested_limits(rows):
    df = pd.DataFrame(rows, columns=["d", "n", "rx"]).assign(rn=10_000)
    r = isr(df, "d", "n", reference_count="rx", reference_population="rn",
            confidence=[0.95, 0.998]).iloc[0]  # fmt: skip
    if not r["expected"] > 0:
        assert np.isnan(r["value"])
        return
    tol = 1e-9 * max(r["value"], 1e-300)
    assert r["lower_ci_99_8"] <= r["lower_ci_95"] + tol
    assert r["lower_ci_95"] <= r["value"] + tol
    assert r["value"] <= r["upper_ci_95"] + tol
    assert r["upper_ci_95"] <= r["upper_ci_99_8"] + tol

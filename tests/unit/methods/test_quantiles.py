import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from healthgap.errors import InputError
from healthgap.methods.quantiles import QUANTILE_NAMES, quantiles
from tests.unit.methods._phe import PHE

# PHE's quantile test data: two indicators (40501 low is good, 90366 high is good) and two
# with duplicate values, each in three copies told apart by GroupSet:
#   "IndSexReg" deciles within (IndSexRef, ParentCode) with invert = Polarity,
#   "IndSex"    septiles over the whole set with invert = Polarity,
#   "None"      quartiles over the whole set with invert = TRUE.
# PHE's Polarity/invert TRUE is our highest_first=True. Regions with fewer than 10 areas
# (East Midlands) get a missing decile with a warning in PHE; we refuse them instead.
GROUPED = ["test_quantiles_g.csv", "test_quantiles_ug.csv"]
POLARITY = {"RAG - Low is good": True, "RAG - High is good": False, "TRUE": True, "FALSE": False}


def _read(name: str) -> pd.DataFrame:
    # keep_default_na=False so that GroupSet "None" stays a name, not a missing value.
    data = pd.read_csv(PHE / name, keep_default_na=False, na_values=[""])
    data["Polarity"] = data["Polarity"].map(lambda v: POLARITY.get(v, v)).astype(bool)
    return data


def _assert_quantiles(result: pd.DataFrame, expected: pd.Series) -> None:
    ours = result["quantile"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    np.testing.assert_array_equal(ours, expected.to_numpy(dtype="float64"))


def _big_enough(data: pd.DataFrame, by: list[str], n: int) -> pd.DataFrame:
    return data[data.groupby(by)["Value"].transform("count") >= n]


@pytest.mark.parametrize("name", [*GROUPED, "testdata_Quantiles__testdata_Quantiles.csv"])
def test_quantiles_matches_phe_reference_deciles_within_regions(name):
    by = ["IndSexRef", "ParentCode"]
    data = _big_enough(_read(name).query("GroupSet == 'IndSexReg'"), by, 10)
    result = quantiles(data, "Value", n=10, by=by, highest_first="Polarity")
    _assert_quantiles(result, data["QuantileInGrp"])
    assert result["quantile"].isna().sum() == data["Value"].isna().sum() > 0


@pytest.mark.parametrize("name", GROUPED)
def test_quantiles_matches_phe_reference_septiles_ungrouped(name):
    data = _read(name).query("GroupSet == 'IndSex'")
    result = quantiles(data, "Value", n=7, highest_first="Polarity")
    _assert_quantiles(result, data["QuantileInGrp"])


@pytest.mark.parametrize("by", [None, "GroupSet"])
@pytest.mark.parametrize("name", GROUPED)
def test_quantiles_matches_phe_reference_quartiles_highest_first(name, by):
    data = _read(name).query("GroupSet == 'None'")
    result = quantiles(data, "Value", n=4, by=by)
    _assert_quantiles(result, data["QuantileInGrp"])


def test_quantiles_phe_reference_small_region_is_refused():
    # test_quantiles_g.csv: East Midlands (E12000004) has 9 areas, too few for deciles.
    data = _read("test_quantiles_g.csv").query("GroupSet == 'IndSexReg'")
    with pytest.raises(InputError, match=r"'ParentCode': 'E12000004'.*at least 10 are needed"):
        quantiles(data, "Value", by=["IndSexRef", "ParentCode"], highest_first="Polarity")


@pytest.mark.parametrize(
    "name", ["test_quantiles_fail.csv", "testdata_Quantiles__testdata_Quantiles.csv"]
)
def test_quantiles_phe_reference_mixed_polarity_is_refused(name):
    data = _read(name).query("Test == 'BadPolarity'")
    assert len(data) == 35
    with pytest.raises(InputError, match="column 'Polarity': must be the same for every row"):
        quantiles(data, "Value", n=7, highest_first="Polarity")


def test_quantiles_names_match_phe_qnames():
    expected = pd.read_csv(PHE / "qnames.csv")
    assert dict(QUANTILE_NAMES) == dict(zip(expected["quantiles"], expected["qname"], strict=True))


def test_quantiles_hand_calculated_quintiles_of_ten():
    df = pd.DataFrame({"x": np.arange(1.0, 11.0)})
    lowest_first = quantiles(df, "x", n=5, highest_first=False)["quantile"].tolist()
    assert lowest_first == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert quantiles(df, "x", n=5)["quantile"].tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]


def test_quantiles_hand_calculated_uneven_group():
    # N = 7, n = 3: q = 4 − ⌈(8 − r)·3/7⌉ for ranks r = 1..7 → 1, 1, 1, 2, 2, 3, 3.
    df = pd.DataFrame({"x": [7.0, 6, 5, 4, 3, 2, 1]})
    assert quantiles(df, "x", n=3)["quantile"].tolist() == [1, 1, 1, 2, 2, 3, 3]


def test_quantiles_tied_values_share_the_lowest_ranks_quantile():
    # Ranks 1, 2, 2, 2, 5, 6 with N/n = 2: the ties take rank 2's quantile.
    df = pd.DataFrame({"x": [6.0, 5, 5, 5, 2, 1]})
    assert quantiles(df, "x", n=3)["quantile"].tolist() == [1, 1, 1, 1, 3, 3]


def test_quantiles_missing_values_get_missing_quantile_and_do_not_count():
    df = pd.DataFrame({"x": [1.0, None, 2.0, 3.0, 4.0]}, index=list("abcde"))
    result = quantiles(df, "x", n=2, highest_first=False)
    assert result["quantile"].dtype == "Int64"
    assert result["quantile"].isna().tolist() == [False, True, False, False, False]
    assert result["quantile"].dropna().tolist() == [1, 1, 2, 2]
    assert list(result.index) == list("abcde")


def test_quantiles_group_without_any_value_is_left_missing():
    df = pd.DataFrame({"g": ["A", "A", "B", "B"], "x": [1.0, 2.0, None, None]})
    result = quantiles(df, "x", n=2, by="g")
    assert result["quantile"].isna().tolist() == [False, False, True, True]


def test_quantiles_polarity_column_applies_per_group():
    df = pd.DataFrame(
        {"g": ["A", "A", "B", "B"], "x": [1.0, 2.0, 1.0, 2.0], "hi": [True, True, False, False]}
    )
    assert quantiles(df, "x", n=2, by="g", highest_first="hi")["quantile"].tolist() == [2, 1, 1, 2]


def test_quantiles_does_not_modify_its_input():
    df = pd.DataFrame({"x": [3.0, 1.0, 2.0]})
    before = df.copy()
    quantiles(df, "x", n=3)
    pd.testing.assert_frame_equal(df, before)


def test_quantiles_too_few_areas_ungrouped_is_refused():
    with pytest.raises(InputError, match=r"only 3 areas have a value; at least 5 are needed"):
        quantiles(pd.DataFrame({"x": [1.0, 2.0, 3.0, None]}), "x", n=5)


@pytest.mark.parametrize("n", [1, 0, 2.5, True, "10"])
def test_quantiles_bad_number_of_quantiles_is_refused(n):
    with pytest.raises(InputError, match="n \\(the number of quantiles\\)"):
        quantiles(pd.DataFrame({"x": [1.0, 2.0]}), "x", n=n)


def test_quantiles_text_value_names_column_and_row():
    with pytest.raises(InputError, match=r"column 'x': must be numeric \(row 2\)"):
        quantiles(pd.DataFrame({"x": ["1", "2", "three"]}), "x", n=2)


def test_quantiles_infinite_value_is_refused():
    with pytest.raises(InputError, match=r"column 'x': must be finite \(row 1\)"):
        quantiles(pd.DataFrame({"x": [1.0, -np.inf]}), "x", n=2)


def test_quantiles_non_boolean_polarity_column_is_refused():
    df = pd.DataFrame({"x": [1.0, 2.0], "hi": ["yes", "yes"]})
    with pytest.raises(InputError, match="column 'hi': must hold only True or False"):
        quantiles(df, "x", n=2, highest_first="hi")


def test_quantiles_missing_polarity_is_refused():
    df = pd.DataFrame({"x": [1.0, 2.0], "hi": [True, None]})
    with pytest.raises(InputError, match=r"column 'hi': has missing values \(row 1\)"):
        quantiles(df, "x", n=2, highest_first="hi")


def test_quantiles_unknown_polarity_column_is_named():
    with pytest.raises(InputError, match="'Pol'"):
        quantiles(pd.DataFrame({"x": [1.0, 2.0]}), "x", n=2, highest_first="Pol")


def _phe_oracle(df: pd.DataFrame, n: int, highest_first: bool) -> list[float]:
    """PHE's rule one group at a time, with scipy's ranks."""
    out = pd.Series(np.nan, index=df.index)
    for _, group in df.groupby("g"):
        x = group["x"].to_numpy()
        keep = ~np.isnan(x)
        if not keep.any():
            continue
        adjusted = np.nanmax(x) - x[keep] if highest_first else x[keep]
        size = keep.sum()
        rank = stats.rankdata(adjusted, method="min")
        q = np.floor((n + 1) - np.ceil(((size + 1) - rank) / (size / n)))
        out[group.index[keep]] = np.where(q == 0, 1, q)
    return out.tolist()


group_rows = st.lists(
    st.tuples(
        st.sampled_from("ABC"),
        st.one_of(st.none(), st.integers(-5, 5).map(float), st.floats(-1e3, 1e3)),
    ),
    min_size=1,
    max_size=60,
)


@given(group_rows, st.integers(2, 6), st.booleans())
def test_quantiles_match_a_group_by_group_oracle(rows, n, highest_first):
    df = pd.DataFrame(rows, columns=["g", "x"]).astype({"x": "float64"})
    counts = df.groupby("g")["x"].count()
    df = df[df["g"].isin(counts.index[(counts >= n) | (counts == 0)])]
    result = quantiles(df, "x", n=n, by="g", highest_first=highest_first)
    ours = result["quantile"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    np.testing.assert_array_equal(ours, _phe_oracle(df, n, highest_first))


@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=80, unique=True), st.integers(2, 10))
def test_quantiles_are_monotone_and_about_equal_in_size(xs, n):
    if len(xs) < n:
        return
    df = pd.DataFrame({"x": xs})
    q = quantiles(df, "x", n=n, highest_first=False)["quantile"].to_numpy(dtype="int64")
    by_value = q[np.argsort(xs)]
    assert by_value[0] == 1 and by_value[-1] == n
    assert (np.diff(by_value) >= 0).all()
    sizes = np.bincount(q, minlength=n + 1)[1:]
    assert (np.abs(sizes - len(xs) / n) < 2).all()

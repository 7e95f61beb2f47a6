import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgap.errors import InputError
from healthgap.methods.inequality._build import build_settings


def _two_settings() -> pd.DataFrame:
    # Area B has three ordered subgroups given out of order, area A two.
    return pd.DataFrame(
        {
            "area": ["B", "A", "B", "A", "B"],
            "q": [3, 1, 1, 2, 2],
            "pct": [70.0, 40.0, 50.0, 45.0, 60.0],
            "se": [1.0, 2.0, 3.0, 4.0, 5.0],
            "n": [20, 30, 10, 10, 10],
        },
        index=list("vwxyz"),
    )


def test_build_aligns_settings_in_first_seen_order_sorted_by_order():
    s = build_settings(
        _two_settings(), "pct", subgroup="q", se="se", population="n", by="area", order="q"
    )
    assert s.keys["area"].tolist() == ["B", "A"]
    assert s.mask.tolist() == [[True, True, True], [True, True, False]]
    np.testing.assert_array_equal(s.y, [[50.0, 60.0, 70.0], [40.0, 45.0, np.nan]])
    np.testing.assert_array_equal(s.order, [[1, 2, 3], [1, 2, np.nan]])
    np.testing.assert_array_equal(s.se, [[3.0, 5.0, 1.0], [2.0, 4.0, np.nan]])
    np.testing.assert_allclose(s.share, [[0.25, 0.25, 0.5], [0.75, 0.25, 0.0]])
    np.testing.assert_allclose(s.mean, [(50 * 10 + 60 * 10 + 70 * 20) / 40, 41.25])
    assert s.labels[1, 2] is None and s.labels[0, 0] == 1
    assert s.ordered and s.scale == 100.0
    assert s.n_subgroups.tolist() == [3, 2]
    assert s.favourable.tolist() == [True, True]
    assert not s.reference.any()


def test_build_non_ordered_keeps_input_order_within_setting():
    df = pd.DataFrame({"g": ["c", "a", "b"], "y": [3.0, 1.0, 2.0]})
    s = build_settings(df, "y", subgroup="g")
    assert s.labels.tolist() == [["c", "a", "b"]]
    assert not s.ordered
    assert np.isnan(s.order).all()


def test_build_without_population_has_unknown_shares_and_mean():
    df = pd.DataFrame({"area": ["A", "A", "B"], "g": ["x", "y", "x"], "y": [1.0, 2.0, 3.0]})
    s = build_settings(df, "y", subgroup="g", by="area")
    assert np.isnan(s.share[s.mask]).all()
    assert (s.share[~s.mask] == 0).all()
    assert np.isnan(s.mean).all()
    assert np.isnan(s.pop).all() and np.isnan(s.se).all()


def test_build_setting_average_is_used_without_population_only():
    df = pd.DataFrame({"g": ["x", "y"], "y": [1.0, 3.0], "n": [1, 1], "avg": [2.5, 2.5]})
    assert build_settings(df, "y", subgroup="g", setting_average="avg").mean.tolist() == [2.5]
    # as healthequal: the population-weighted mean wins when populations are given
    s = build_settings(df, "y", subgroup="g", population="n", setting_average="avg")
    assert s.mean.tolist() == [2.0]


def test_build_favourable_column_gives_one_flag_per_setting():
    df = pd.DataFrame(
        {"ind": ["a", "a", "b", "b"], "g": [1, 2, 1, 2], "y": [1.0] * 4, "fav": [1, 1, 0, 0]}
    )
    s = build_settings(df, "y", subgroup="g", by="ind", favourable="fav")
    assert s.favourable.tolist() == [True, False]
    s = build_settings(df.assign(fav=df["fav"] == 1), "y", subgroup="g", by="ind", favourable="fav")
    assert s.favourable.tolist() == [True, False]
    assert build_settings(
        df, "y", subgroup="g", by="ind", favourable=False
    ).favourable.tolist() == [
        False,
        False,
    ]


def test_build_reference_as_label_or_column():
    df = pd.DataFrame(
        {"area": ["A", "A", "B", "B"], "g": ["u", "v", "v", "u"], "y": [1.0, 2.0, 3.0, 4.0]}
    )
    s = build_settings(df, "y", subgroup="g", by="area", reference="v")
    assert s.reference.tolist() == [[False, True], [True, False]]
    marked = df.assign(ref=[True, False, False, False])
    s = build_settings(marked, "y", subgroup="g", by="area", reference="ref")
    assert s.reference.tolist() == [[True, False], [False, False]]


def test_build_does_not_modify_its_input():
    df = _two_settings()
    before = df.copy()
    build_settings(df, "pct", subgroup="q", se="se", population="n", by="area", order="q")
    pd.testing.assert_frame_equal(df, before)


BASE = pd.DataFrame(
    {
        "area": ["A", "A", "A"],
        "g": ["x", "y", "z"],
        "y": [1.0, 2.0, 3.0],
        "se": [0.1, 0.1, 0.1],
        "n": [10, 10, 10],
        "o": [1, 2, 3],
        "fav": [1, 1, 1],
        "ref": [0, 1, 0],
    },
    index=[10, 11, 12],
)


@pytest.mark.parametrize(
    ("changes", "kwargs", "match"),
    [
        ({"y": ["a", 2.0, 3.0]}, {}, r"'y': must be numeric \(row 10\)"),
        ({"y": [np.nan, 2.0, 3.0]}, {}, r"'y': has missing values \(row 10\)"),
        ({"y": [np.inf, 2.0, 3.0]}, {}, r"'y': must be finite \(row 10\)"),
        ({"se": [0.1, -1.0, 0.1]}, {"se": "se"}, r"'se': must not be negative \(row 11\)"),
        ({"n": [10, -1, 10]}, {"population": "n"}, r"'n': must not be negative \(row 11\)"),
        ({"n": [0, 0, 0]}, {"population": "n"}, r"'n': must be greater than zero.*rows 10, 11"),
        ({"n": [10, np.nan, 10]}, {"population": "n"}, r"'n': has missing values"),
        ({"g": ["x", "x", "z"]}, {}, r"'g': each subgroup must appear once.*rows 10, 11\)"),
        ({"g": ["x", None, "z"]}, {}, r"'g': has missing values \(row 11\)"),
        ({"o": [1, 2, 4]}, {"order": "o"}, r"'o': must number the subgroups .* 1, 2, …, k"),
        ({"o": [1, 2, 2]}, {"order": "o"}, r"'o': must number the subgroups"),
        ({"o": [0, 1, 2]}, {"order": "o"}, r"'o': must number the subgroups"),
        ({"o": [1, 2.5, 3]}, {"order": "o"}, r"'o': must number the subgroups"),
        ({"fav": [1, 0, 1]}, {"favourable": "fav"}, r"'fav': must take one value within each"),
        ({"fav": [2, 2, 2]}, {"favourable": "fav"}, r"'fav': must be True/False"),
        ({}, {"favourable": 1}, "favourable must be True, False or a column name"),
        ({}, {"scale": 0}, "scale must be a positive number"),
        ({}, {"scale": "100"}, "scale must be a positive number"),
        ({}, {"scale": True}, "scale must be a positive number"),
        ({}, {"reference": "w"}, r"'g': reference subgroup 'w' is missing.*rows 10, 11, 12"),
        ({"ref": [1, 1, 0]}, {"reference": "ref"}, "'ref': marks more than one reference"),
        ({"ref": [1, 5, 0]}, {"reference": "ref"}, "'ref': must be True/False"),
        (
            {"ref": pd.array([True, None, False], dtype="boolean")},
            {"reference": "ref"},
            r"'ref': must be True/False \(or 1/0\) \(row 11\)",
        ),
        ({}, {"order": "o", "reference": "y"}, "reference subgroup applies to non-ordered"),
        ({}, {"se": "nope"}, r"column\(s\) 'nope' not found"),
        ({}, {"favourable": "nope"}, r"column\(s\) 'nope' not found"),
        ({}, {"by": ["area", "nope"]}, r"column\(s\) 'nope' not found"),
        ({"area": ["A", "A", "A"]}, {"setting_average": "y"}, "'y': must take one value"),
    ],
)
def test_build_bad_input_raises_input_error(changes, kwargs, match):
    df = BASE.assign(**changes)
    with pytest.raises(InputError, match=match):
        build_settings(df, "y", subgroup="g", **{"by": "area", **kwargs})


def test_build_rejects_empty_data_and_non_frames():
    with pytest.raises(InputError, match="no rows"):
        build_settings(BASE.iloc[:0], "y", subgroup="g")
    with pytest.raises(InputError, match="expected a pandas DataFrame"):
        build_settings([1, 2], "y", subgroup="g")  # type: ignore[arg-type]


def test_build_order_error_names_only_the_offending_setting():
    df = pd.concat([BASE, BASE.assign(area="B", o=[1, 3, 4]).set_axis([20, 21, 22])])
    with pytest.raises(InputError, match=r"rows 20, 21, 22\)") as info:
        build_settings(df, "y", subgroup="g", by="area", order="o")
    assert info.value.rows == [20, 21, 22]


@settings(max_examples=50, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 6), min_size=1, max_size=6),
    seed=st.integers(0, 2**32 - 1),
)
def test_build_places_every_row_once_whatever_the_row_order(sizes, seed):
    rng = np.random.default_rng(seed)
    rows = [(f"s{i}", j + 1, float(rng.uniform(1, 99)), int(rng.integers(1, 50)))
            for i, size in enumerate(sizes) for j in range(size)]  # fmt: skip
    df = pd.DataFrame(rows, columns=["s", "o", "y", "n"]).sample(frac=1, random_state=rng)
    st_ = build_settings(df, "y", subgroup="o", population="n", by="s", order="o")
    assert st_.mask.sum() == len(df)
    totals = df.groupby("s", sort=False)["y"].sum()
    np.testing.assert_allclose(np.nansum(st_.y, axis=1), totals.loc[st_.keys["s"]].to_numpy())
    np.testing.assert_allclose(st_.share.sum(axis=1), 1.0)
    # within a setting subgroups run 1..k in order
    expected = np.where(st_.mask, np.arange(1, st_.mask.shape[1] + 1), np.nan)
    np.testing.assert_array_equal(st_.order, expected)

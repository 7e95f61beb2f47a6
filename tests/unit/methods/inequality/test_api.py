import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgap.errors import InputError
from healthgap.methods.inequality import _catalogue
from healthgap.methods.inequality.api import inequality

AVAILABLE = _catalogue.catalogue()


def _frame(k=4, **extra):
    return pd.DataFrame(
        {
            "g": [f"s{i}" for i in range(k)],
            "o": range(1, k + 1),
            "y": np.linspace(20.0, 80.0, k),
            "se": 2.0,
            "n": np.arange(10, 10 + k),
            **extra,
        }
    )


def _codes(out):
    return out["measure"].tolist()


def test_api_catalogue_holds_all_21_measures_in_canonical_order():
    assert list(AVAILABLE) == list(_catalogue.ORDER)
    assert len(_catalogue.ORDER) == 21 and len(set(_catalogue.ORDER)) == 21


# What HEAT's tables mark each measure as needing beyond the subgroup estimates.
REQUIRES = {
    "population": {"aci", "rci", "sii", "rii", "bgv", "bgsd", "cov", "idisw", "mdbw", "mdmw",
                   "mdrw", "ti", "mld"},
    "setting_average": {"paf", "par", "idisu", "mdmu"},
    "reference": {"mdru", "mdrw"},
}  # fmt: skip


@pytest.mark.parametrize("code", _catalogue.ORDER)
def test_api_measures_declare_what_they_require(code):
    expected = {need for need, codes in REQUIRES.items() if code in codes}
    assert AVAILABLE[code].requires == expected


def test_api_all_on_non_ordered_data_omits_ordered_measures():
    out = inequality(_frame(), "y", subgroup="g", se="se", population="n", seed=1)
    codes = _codes(out)
    assert codes == [c for c in AVAILABLE if AVAILABLE[c].dimensions != "ordered"
                     and c not in ("mdru", "mdrw")]  # fmt: skip
    assert codes[:7] == ["d", "r", "paf", "par", "bgv", "bgsd", "cov"]


def test_api_all_on_ordered_data_omits_non_ordered_measures():
    out = inequality(_frame(), "y", subgroup="g", se="se", population="n", order="o")
    expected = [c for c in AVAILABLE if AVAILABLE[c].dimensions != "non-ordered"]
    assert _codes(out) == expected
    assert _codes(out)[:4] == ["d", "r", "paf", "par"]


def test_api_all_with_two_subgroups_gives_only_pairwise_measures():
    out = inequality(_frame(2), "y", subgroup="g", se="se", population="n")
    assert _codes(out) == ["d", "r"]


def test_api_all_without_population_omits_weighted_measures():
    out = inequality(_frame(), "y", subgroup="g", se="se")
    assert not {"paf", "par", "bgv", "bgsd", "cov"} & set(_codes(out))
    assert {"d", "r"} <= set(_codes(out))
    with_avg = inequality(_frame(avg=50.0), "y", subgroup="g", setting_average="avg")
    assert {"paf", "par"} <= set(_codes(with_avg))
    assert "bgv" not in _codes(with_avg)


def test_api_all_omits_settings_with_too_few_subgroups():
    df = pd.concat([_frame(3).assign(area="A"), _frame(2).assign(area="B")])
    out = inequality(df, "y", subgroup="g", population="n", by="area")
    assert set(out.loc[out["area"] == "B", "measure"]) == {"d", "r"}
    assert {"bgv", "paf"} <= set(out.loc[out["area"] == "A", "measure"])


def test_api_output_columns_rows_and_order():
    df = pd.concat([_frame(3).assign(area="Z"), _frame(3).assign(area="A")])
    out = inequality(df, "y", subgroup="g", se="se", population="n", by="area",
                     measures=["bgv", "d"], confidence=[0.95, 0.998])  # fmt: skip
    assert list(out.columns) == [
        "area", "measure", "name", "value", "se", "lower_ci_95", "upper_ci_95",
        "lower_ci_99_8", "upper_ci_99_8", "interpretation",
    ]  # fmt: skip
    assert out["area"].tolist() == ["Z", "Z", "A", "A"]  # settings in first-seen order
    assert out["measure"].tolist() == ["d", "bgv"] * 2  # canonical measure order
    assert out["name"].tolist()[:2] == ["Difference", "Between-group variance"]
    assert out["interpretation"].str.contains("0 means no inequality").all()
    assert isinstance(out.index, pd.RangeIndex)


def test_api_measure_codes_are_case_insensitive_and_deduplicated():
    out = inequality(_frame(), "y", subgroup="g", measures=["R", "d", "r"])
    assert _codes(out) == ["d", "r"]
    assert _codes(inequality(_frame(), "y", subgroup="g", measures="D")) == ["d"]


def test_api_equal_subgroups_give_every_measure_its_null_value():
    # populations of whole hundreds: HEAT's SII/RII round y·n/100 to whole counts
    df = _frame(5).assign(y=42.0, n=[100, 200, 300, 400, 500])
    seen = set()
    for kw in ({"reference": "s1"}, {"order": "o"}, {"favourable": False, "reference": "s0"}):
        out = inequality(df, "y", subgroup="g", se="se", population="n", seed=2, **kw)
        for code, value in zip(out["measure"], out["value"], strict=True):
            assert value == pytest.approx(AVAILABLE[code].null, abs=1e-9), code
        seen |= set(out["measure"])
    assert seen == set(AVAILABLE)


def test_api_seed_makes_simulated_limits_reproducible():
    kw = {"subgroup": "g", "se": "se", "population": "n", "measures": ["bgsd", "cov"]}
    a = inequality(_frame(6), "y", seed=11, **kw)
    pd.testing.assert_frame_equal(a, inequality(_frame(6), "y", seed=11, **kw))
    assert not a["lower_ci"].equals(inequality(_frame(6), "y", seed=12, **kw)["lower_ci"])


def test_api_nothing_applicable_gives_an_empty_frame():
    out = inequality(_frame(1), "y", subgroup="g", by=None)
    assert out.empty
    assert list(out.columns) == [
        "measure", "name", "value", "se", "lower_ci", "upper_ci", "interpretation"
    ]  # fmt: skip


def test_api_does_not_modify_its_input():
    df = _frame()
    before = df.copy()
    inequality(df, "y", subgroup="g", se="se", population="n", order="o", seed=0)
    pd.testing.assert_frame_equal(df, before)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"measures": ["d", "gini"]}, r"unknown measure\(s\) 'gini'; choose from d, r, paf"),
        ({"measures": [1]}, r"unknown measure\(s\) 1"),
        ({"measures": []}, "name at least one of"),
        ({"measures": ["bgv"], "order": "o"}, "'bgv' applies to non-ordered dimensions only"),
        ({"measures": ["bgv"]}, "'bgv' weights subgroups by population: give population="),
        ({"measures": ["paf"]}, "'paf' needs the setting average"),
        ({"measures": ["d"], "confidence": 95}, "between 0.9 and 1"),
        ({"measures": ["d"], "value": "nope"}, r"column\(s\) 'nope' not found"),
    ],
)
def test_api_bad_requests_raise_input_error(kwargs, match):
    kwargs = {"value": "y", **kwargs}
    with pytest.raises(InputError, match=match):
        inequality(_frame(), subgroup="g", **kwargs)


def test_api_named_measure_needing_more_subgroups_names_the_settings():
    df = pd.concat([_frame(3).assign(area="A"), _frame(2).assign(area="B")])
    with pytest.raises(InputError, match=r"'bgv' needs at least 3 subgroups.*\(area='B'\)"):
        inequality(df, "y", subgroup="g", population="n", by="area", measures=["bgv"])
    with pytest.raises(InputError, match=r"'par' needs at least 3 subgroups.*the data"):
        inequality(_frame(2), "y", subgroup="g", population="n", measures="par")


def test_api_named_measure_for_the_other_dimension_or_without_reference_raises():
    with pytest.raises(InputError, match="'sii' applies to ordered dimensions only"):
        inequality(_frame(), "y", subgroup="g", population="n", measures=["sii"])
    with pytest.raises(InputError, match="'mdru' needs a reference subgroup"):
        inequality(_frame(), "y", subgroup="g", population="n", measures=["mdru"])


@settings(max_examples=30, deadline=None)
@given(sizes=st.lists(st.integers(2, 5), min_size=1, max_size=5))
def test_api_one_row_per_setting_and_measure(sizes):
    df = pd.concat([_frame(k).assign(area=f"a{i}") for i, k in enumerate(sizes)])
    out = inequality(df, "y", subgroup="g", se="se", population="n", by="area",
                     measures=["d", "r"])  # fmt: skip
    assert len(out) == 2 * len(sizes)
    assert out["area"].tolist() == [f"a{i}" for i in range(len(sizes)) for _ in (0, 1)]
    np.testing.assert_allclose(out.loc[out["measure"] == "d", "value"], 60.0)

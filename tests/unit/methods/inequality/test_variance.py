from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgap.methods.inequality.api import inequality

HEAT = Path(__file__).parents[3] / "reference" / "heat"
Z95 = 1.959963984540054


def _var(df, value="y", subgroup="g", **kwargs):
    kwargs.setdefault("measures", ["bgv", "bgsd", "cov"])
    return inequality(df, value, subgroup=subgroup, **kwargs).set_index("measure")


def test_variance_matches_healthequal_testthat():
    # testthat_nonordered.csv: healthequal tests/testthat/test-bgv.R and test-bgsd.R
    df = pd.read_csv(HEAT / "testthat_nonordered.csv")
    ref = pd.read_csv(HEAT / "expected_simple_impact_variance.csv").set_index("measure")
    out = _var(df, "est", "subgroup", se="se", population="pop", seed=1)
    np.testing.assert_allclose(out.loc["bgv", "value"], ref.loc["bgv", "estimate"], rtol=1e-6)
    np.testing.assert_allclose(out.loc["bgv", "se"], ref.loc["bgv", "se"], rtol=1e-6)
    bgv = out.loc["bgv"]
    assert bgv["lower_ci"] == pytest.approx(bgv["value"] - Z95 * bgv["se"], rel=1e-12)
    np.testing.assert_allclose(out.loc["bgsd", "value"], ref.loc["bgsd", "estimate"], rtol=1e-6)
    mu = np.average(df["est"], weights=df["pop"])
    assert out.loc["cov", "value"] == pytest.approx(100 * out.loc["bgsd", "value"] / mu)


def test_variance_hand_calculated():
    df = pd.DataFrame({"g": list("abc"), "y": [10.0, 20.0, 40.0], "n": [1, 2, 1], "se": 1.0})
    out = _var(df, se="se", population="n", seed=0)
    p, y = np.array([0.25, 0.5, 0.25]), np.array([10.0, 20.0, 40.0])
    mu = p @ y  # 22.5
    bgv = p @ (y - mu) ** 2
    assert out.loc["bgv", "value"] == pytest.approx(bgv)
    assert out.loc["bgsd", "value"] == pytest.approx(np.sqrt(bgv))
    assert out.loc["cov", "value"] == pytest.approx(100 * np.sqrt(bgv) / mu)
    v = np.ones(3)
    se2 = 4 * np.sum(p**2 * v * (y - mu) ** 2) + 2 * (
        np.sum(p**2 * v) ** 2 - np.sum(p**4 * v**2) + np.sum(p**2 * (1 - p) ** 2 * v**2)
    )
    assert out.loc["bgv", "se"] == pytest.approx(np.sqrt(se2), rel=1e-12)
    assert out.loc[["bgsd", "cov"], "se"].isna().all()


def test_variance_equal_subgroups_give_zero():
    df = pd.DataFrame({"g": list("abcd"), "y": [30.0] * 4, "n": [5, 6, 7, 8], "se": 0.0})
    out = _var(df, se="se", population="n", seed=3)
    assert out["value"].tolist() == [0.0, 0.0, 0.0]
    # with no sampling error every simulated dataset is the data itself
    assert out.loc[["bgsd", "cov"], ["lower_ci", "upper_ci"]].to_numpy().tolist() == [[0, 0]] * 2


def test_variance_zero_standard_errors_give_limits_at_the_value():
    df = pd.DataFrame({"g": list("abc"), "y": [10.0, 20.0, 40.0], "n": [1, 2, 1], "se": 0.0})
    out = _var(df, se="se", population="n", seed=0)
    for m in ("bgsd", "cov"):
        assert out.loc[m, "lower_ci"] == pytest.approx(out.loc[m, "value"], rel=1e-12)
        assert out.loc[m, "upper_ci"] == pytest.approx(out.loc[m, "value"], rel=1e-12)


def test_variance_simulation_is_seeded_and_nested():
    df = pd.read_csv(HEAT / "testthat_nonordered.csv")
    kw = {"se": "se", "population": "pop", "confidence": [0.95, 0.998]}
    a = _var(df, "est", "subgroup", seed=42, **kw)
    b = _var(df, "est", "subgroup", seed=42, **kw)
    c = _var(df, "est", "subgroup", seed=43, **kw)
    pd.testing.assert_frame_equal(a, b)
    assert a.loc["bgsd", "lower_ci_95"] != c.loc["bgsd", "lower_ci_95"]
    for m in ("bgsd", "cov"):
        row = a.loc[m]
        assert row["lower_ci_99_8"] <= row["lower_ci_95"] < row["upper_ci_95"]
        assert row["upper_ci_95"] <= row["upper_ci_99_8"]
        # sampling noise inflates simulated spreads, so (as in healthequal) the limits sit
        # above the estimate rather than around it: only the upper one must exceed it
        assert row["value"] < row["upper_ci_95"]


def test_variance_missing_standard_error_leaves_that_setting_without_limits():
    df = pd.DataFrame(
        {
            "area": ["A"] * 3 + ["B"] * 3,
            "g": list("abcabc"),
            "y": [10.0, 20.0, 40.0] * 2,
            "n": 1,
            "se": [1.0, np.nan, 1.0, 1.0, 1.0, 1.0],
        }
    )
    out = inequality(df, "y", subgroup="g", se="se", population="n", by="area", seed=1,
                     measures=["bgv", "bgsd"])  # fmt: skip
    limits = out.set_index(["area", "measure"])[["lower_ci", "upper_ci"]]
    assert limits.loc["A"].isna().all().all()
    assert limits.loc["B"].notna().all().all()


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.tuples(st.floats(1, 99), st.integers(1, 10_000)), min_size=3, max_size=8),
    factor=st.floats(0.05, 1.0),
)
def test_variance_properties(rows, factor):
    k = len(rows)
    df = pd.DataFrame(rows, columns=["y", "n"]).assign(g=range(k))
    base = _var(df, population="n", seed=0)
    y, n = df["y"].to_numpy(), df["n"].to_numpy()
    assert base.loc["bgv", "value"] >= 0
    mu = np.average(y, weights=n)
    assert base.loc["bgv", "value"] == pytest.approx(np.average((y - mu) ** 2, weights=n))
    scaled = _var(df.assign(y=y * factor), population="n", seed=0)
    rel = {"rel": 1e-9, "abs": 1e-9}
    assert scaled.loc["bgv", "value"] == pytest.approx(base.loc["bgv", "value"] * factor**2, **rel)
    assert scaled.loc["bgsd", "value"] == pytest.approx(base.loc["bgsd", "value"] * factor, **rel)
    assert scaled.loc["cov", "value"] == pytest.approx(base.loc["cov", "value"], **rel)
    # equal populations: the plain population variance of the values
    equal = _var(df.assign(n=7), population="n", seed=0)
    assert equal.loc["bgv", "value"] == pytest.approx(np.var(y), rel=1e-9, abs=1e-9)


def test_variance_all_zero_values_give_missing_cov_without_warnings():
    df = pd.DataFrame({"g": list("abc"), "y": 0.0, "n": 1, "se": 0.0})
    out = _var(df, se="se", population="n", seed=0)
    assert out.loc["bgv", "value"] == 0.0
    assert np.isnan(out.loc["cov", ["value", "lower_ci", "upper_ci"]].astype(float)).all()

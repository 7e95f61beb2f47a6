"""equity_audit: representation ratios and Poisson limits against an independent calculation."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from healthgap.errors import InputError
from healthgap.targeting.audit import equity_audit


def _limits(o, e, level=0.95):
    """Exact (chi-square) limits below 10 events, Byar's otherwise, over expected."""
    alpha = 1 - level
    if o < 10:
        lower = stats.chi2.ppf(alpha / 2, 2 * o) / 2 if o > 0 else 0.0
        upper = stats.chi2.ppf(1 - alpha / 2, 2 * o + 2) / 2
    else:
        z = stats.norm.ppf(1 - alpha / 2)
        lower = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3
        upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
    return lower / e, upper / e


def test_equity_audit_by_hand():
    # Sex: O = 5 women, 45 men (N = 50); population 600 women, 400 men → E = 30, 20.
    service = pd.DataFrame({"sex": ["Female", "Male"], "count": [5, 45]})
    population = pd.DataFrame({"sex": ["Female", "Male"], "count": [600, 400]})
    out = equity_audit(service, population, by="sex")
    assert out["category"].tolist() == ["Female", "Male"]
    np.testing.assert_allclose(out["expected"], [30, 20], rtol=1e-12)
    np.testing.assert_allclose(out["ratio"], [5 / 30, 45 / 20], rtol=1e-12)
    np.testing.assert_allclose(out["service_share"], [10, 90], rtol=1e-12)
    np.testing.assert_allclose(out["population_share"], [60, 40], rtol=1e-12)
    for row, (o, e) in enumerate([(5, 30), (45, 20)]):
        lower, upper = _limits(o, e)
        assert out["lower_ci"].iloc[row] == pytest.approx(lower, rel=1e-9)
        assert out["upper_ci"].iloc[row] == pytest.approx(upper, rel=1e-9)
    assert out["verdict"].tolist() == ["under-represented", "over-represented"]
    assert out["method"].tolist() == ["Exact", "Byars"]


def test_equity_audit_sums_a_cross_tabulation_per_dimension():
    service = pd.DataFrame(
        {
            "imd_quintile": [1, 1, 2, 2, 3, 3],
            "sex": ["Female", "Male"] * 3,
            "count": [40, 30, 12, 10, 3, 5],
        }
    )
    population = pd.DataFrame(
        {
            "imd_quintile": [1, 1, 2, 2, 3, 3],
            "sex": ["Female", "Male"] * 3,
            "count": [1000, 900, 1100, 1000, 900, 1100],
        }
    )
    out = equity_audit(service, population, by=["imd_quintile", "sex"])
    assert out["dimension"].tolist() == ["imd_quintile"] * 3 + ["sex"] * 2
    assert out["service_count"].tolist() == [70, 22, 8, 55, 45]
    assert out["population_count"].tolist() == [1900, 2100, 2000, 3000, 3000]
    e = 100 * np.array([1900, 2100, 2000]) / 6000
    np.testing.assert_allclose(out["expected"].iloc[:3], e, rtol=1e-12)
    for row, o in enumerate([70, 22, 8]):
        lower, upper = _limits(o, e[row])
        assert out["lower_ci"].iloc[row] == pytest.approx(lower, rel=1e-9)
        assert out["upper_ci"].iloc[row] == pytest.approx(upper, rel=1e-9)
    assert out["verdict"].tolist() == [
        "over-represented",
        "under-represented",
        "under-represented",
        "as expected",
        "as expected",
    ]


def test_equity_audit_two_levels_and_nesting():
    service = pd.DataFrame({"g": ["a", "b", "c"], "count": [0, 12, 300]})
    population = pd.DataFrame({"g": ["a", "b", "c"], "count": [50, 100, 850]})
    out = equity_audit(service, population, by="g", confidence=[0.95, 0.998])
    assert (out["lower_ci_99_8"] <= out["lower_ci_95"]).all()
    assert (out["upper_ci_99_8"] >= out["upper_ci_95"]).all()
    assert ((out["lower_ci_95"] <= out["ratio"]) & (out["ratio"] <= out["upper_ci_95"])).all()
    # a: O = 0, E = 15.6 → ratio 0, exact upper limit 3.689 / 15.6 < 1.
    assert out["ratio"].iloc[0] == 0
    assert out["upper_ci_95"].iloc[0] == pytest.approx(-np.log(0.025) / 15.6, rel=1e-9)
    assert out["verdict"].iloc[0] == "under-represented"


def test_equity_audit_labels_match_across_types_and_missing_are_left_out():
    service = pd.DataFrame({"q": [1.0, 2.0, np.nan], "count": [10, 10, 99]})
    population = pd.DataFrame({"q": ["1", "2"], "count": [50, 50]})
    out = equity_audit(service, population, by="q")
    assert out["category"].tolist() == ["1", "2"]
    assert out["service_count"].tolist() == [10, 10]
    assert out["ratio"].tolist() == [1.0, 1.0]


def test_equity_audit_categories_in_natural_order():
    ages = ["65+", "0-15", "25-34", "16-24"]
    service = pd.DataFrame({"age_band": ages, "count": [5, 5, 5, 5]})
    out = equity_audit(service, service, by="age_band")
    assert out["category"].tolist() == ["0-15", "16-24", "25-34", "65+"]


def test_equity_audit_no_service_data_in_a_dimension():
    service = pd.DataFrame({"sex": [None, None], "q": [1, 2], "count": [4, 6]})
    population = pd.DataFrame({"sex": ["Female", "Male"], "q": [1, 2], "count": [10, 10]})
    out = equity_audit(service, population, by=["sex", "q"])
    assert out.loc[out["dimension"] == "sex", "verdict"].tolist() == ["no data", "no data"]
    assert out.loc[out["dimension"] == "sex", "ratio"].isna().all()


def test_equity_audit_category_missing_from_population_is_an_error():
    service = pd.DataFrame({"sex": ["F", "M"], "count": [3, 4]})
    population = pd.DataFrame({"sex": ["Female", "Male"], "count": [10, 10]})
    with pytest.raises(InputError, match=r"sex 'F', 'M' \(the population has 'Female', 'Male'\)"):
        equity_audit(service, population, by="sex")


@pytest.mark.parametrize(
    ("service", "kwargs", "message"),
    [
        (
            pd.DataFrame({"sex": ["Female"], "count": [-1]}),
            {},
            r"column 'count': must not be negative",
        ),
        (pd.DataFrame({"sex": ["Female"], "count": ["x"]}), {}, r"column 'count': must be numeric"),
        (
            pd.DataFrame({"sex": ["Female"], "n": [1]}),
            {},
            r"the service table: column\(s\) 'count'",
        ),
        (pd.DataFrame({"sex": ["Female"], "count": [1]}), {"by": []}, "at least one dimension"),
        (pd.DataFrame({"sex": ["Female"], "count": [1]}), {"confidence": 2}, "confidence"),
        ("not a frame", {}, "expected a pandas DataFrame"),
    ],
)
def test_equity_audit_bad_input_raises(service, kwargs, message):
    population = pd.DataFrame({"sex": ["Female", "Male"], "count": [10, 10]})
    with pytest.raises(InputError, match=message):
        equity_audit(service, population, **{"by": "sex", **kwargs})

"""potential_to_benefit: empirical-Bayes shrinkage, shortfalls, ranks and funnel flags,
checked against hand calculations (priors computed independently here, with plain Python)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

from healthgap.errors import InputError
from healthgap.targeting.potential import potential_to_benefit
from healthgap.targeting.shrinkage import beta_prior, gamma_prior

Z95, Z998 = 1.959963984540054, 3.090232306167813

AREAS = pd.DataFrame(
    {
        "area_code": ["A", "B", "C", "D", "E"],
        "reached": [150, 60, 9, 160, 30],
        "eligible": [200, 100, 10, 200, 60],
    }
)


def hand_beta_prior(x: list[float], n: list[float]) -> tuple[float, float]:
    """Kleinman's moment estimate, written out term by term: (mean, M = alpha + beta)."""
    k, total = len(x), sum(n)
    mean = sum(x) / total
    spread = sum(ni * (xi / ni - mean) ** 2 for xi, ni in zip(x, n, strict=True))
    rho = (spread / (mean * (1 - mean)) - (k - 1)) / (
        total - sum(v * v for v in n) / total - (k - 1)
    )
    return mean, 1 / rho - 1


def hand_gamma_prior(x: list[float], e: list[float]) -> tuple[float, float]:
    """Moment estimate of the gamma prior: (shape a, rate b)."""
    k, total = len(x), sum(e)
    mean = sum(x) / total
    spread = sum(ei * (xi / ei - mean) ** 2 for xi, ei in zip(x, e, strict=True))
    variance = (spread - (k - 1) * mean) / (total - sum(v * v for v in e) / total)
    return mean * mean / variance, mean / variance


def by_area(out: pd.DataFrame) -> pd.DataFrame:
    return out.set_index("area_code").loc[AREAS["area_code"]]


def test_shrinkage_beta_binomial_matches_hand_calculation():
    mean, strength = hand_beta_prior([150, 60, 9, 160, 30], [200, 100, 10, 200, 60])
    out = by_area(potential_to_benefit(AREAS, "reached", "eligible", benchmark=80))
    alpha, beta = mean * strength, (1 - mean) * strength
    x, n = AREAS["reached"].to_numpy(), AREAS["eligible"].to_numpy()
    expected = (alpha + x) / (strength + n) * 100
    np.testing.assert_allclose(out["uptake_shrunk"], expected, rtol=1e-12)
    np.testing.assert_allclose(out["shrinkage"], strength / (strength + n), rtol=1e-12)
    lower = stats.beta.ppf(0.025, alpha + x, beta + n - x) * 100
    upper = stats.beta.ppf(0.975, alpha + x, beta + n - x) * 100
    np.testing.assert_allclose(out["uptake_shrunk_lower_ci"], lower, rtol=1e-9)
    np.testing.assert_allclose(out["uptake_shrunk_upper_ci"], upper, rtol=1e-9)


def test_shrinkage_prior_reported_in_attrs():
    mean, strength = hand_beta_prior([150, 60, 9, 160, 30], [200, 100, 10, 200, 60])
    prior = potential_to_benefit(AREAS, "reached", "eligible").attrs["prior"]
    assert prior["mean"] == pytest.approx(mean * 100, rel=1e-12)
    assert prior["strength"] == pytest.approx(strength, rel=1e-12)
    assert prior["method"] == "moments"


def test_shrinkage_posterior_between_raw_and_prior_mean():
    out = potential_to_benefit(AREAS, "reached", "eligible")
    prior_mean = out.attrs["prior"]["mean"]
    low = np.minimum(out["uptake"], prior_mean)
    high = np.maximum(out["uptake"], prior_mean)
    assert ((out["uptake_shrunk"] >= low - 1e-12) & (out["uptake_shrunk"] <= high + 1e-12)).all()


def test_shrinkage_more_for_small_areas():
    df = pd.DataFrame(
        {
            "area_code": list("ABCDE"),
            "reached": [5, 50, 500, 300, 200],
            "eligible": [10, 100, 1000, 400, 400],
        }
    )
    out = by_area_of(potential_to_benefit(df, "reached", "eligible"), list("ABC"))
    distance = (out["uptake_shrunk"] - out.attrs["prior"]["mean"]).abs()
    # A, B and C all have 50% raw uptake; the fewer people, the nearer the prior mean.
    assert distance["A"] < distance["B"] < distance["C"]
    assert out["shrinkage"]["A"] > out["shrinkage"]["B"] > out["shrinkage"]["C"]


def by_area_of(out: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    frame = out.set_index("area_code").loc[codes]
    frame.attrs = out.attrs
    return frame


def test_shrinkage_gamma_poisson_matches_hand_calculation():
    df = pd.DataFrame(
        {
            "area_code": list("ABCDE"),
            "admissions": [30, 12, 2, 80, 41],
            "person_years": [1000.0, 800.0, 50.0, 2000.0, 1500.0],
        }
    )
    a, b = hand_gamma_prior([30, 12, 2, 80, 41], [1000, 800, 50, 2000, 1500])
    out = potential_to_benefit(
        df,
        "admissions",
        "person_years",
        kind="rate",
        multiplier=1000,
        benchmark=20,
        polarity="lower-is-better",
    )
    out = out.set_index("area_code").loc[list("ABCDE")]
    x, e = df["admissions"].to_numpy(), df["person_years"].to_numpy()
    np.testing.assert_allclose(out["uptake_shrunk"], (a + x) / (b + e) * 1000, rtol=1e-12)
    np.testing.assert_allclose(out["shrinkage"], b / (b + e), rtol=1e-12)
    lower = stats.gamma.ppf(0.025, a + x, scale=1 / (b + e)) * 1000
    np.testing.assert_allclose(out["uptake_shrunk_lower_ci"], lower, rtol=1e-9)
    # Excess events above 20 per 1,000: 30 − 20 = 10 in A, none in B (16 expected, 12 seen).
    np.testing.assert_allclose(out["excess"], np.maximum(x - 0.02 * e, 0), rtol=1e-12)
    assert {"excess_shrunk", "above_95", "above_99_8"} <= set(out.columns)
    assert "not_reached" not in out.columns


def test_shrinkage_gamma_raw_limits_are_phe_rates():
    df = pd.DataFrame({"area_code": ["A", "B"], "x": [5, 40], "e": [1000, 1000]})
    out = potential_to_benefit(df, "x", "e", kind="rate", multiplier=1000, benchmark=10)
    out = out.set_index("area_code")
    assert out.loc["A", "uptake_lower_ci"] == pytest.approx(1.6235, abs=1e-4)  # exact Poisson
    assert out.loc["B", "method"] == "Byars"


def test_shrinkage_ml_prior_maximises_beta_binomial_likelihood():
    x = np.array([150, 60, 9, 160, 30, 80])
    n = np.array([200, 100, 10, 200, 60, 130])

    def negative(theta: np.ndarray) -> float:
        a, b = np.exp(theta)
        return -float(stats.betabinom.logpmf(x, n, a, b).sum())

    found = optimize.minimize(
        negative,
        [1.0, 0.0],
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000},
    )
    a, b = np.exp(found.x)
    prior = beta_prior(x.astype(float), n.astype(float), "ml")
    assert prior.mean == pytest.approx(a / (a + b), rel=1e-5)
    assert prior.strength == pytest.approx(a + b, rel=1e-3)


def test_shrinkage_ml_prior_maximises_negative_binomial_likelihood():
    x = np.array([30.0, 12, 2, 80, 41, 5])
    e = np.array([1000.0, 800, 50, 2000, 1500, 300])

    def negative(theta: np.ndarray) -> float:
        a, b = np.exp(theta)
        return -float(stats.nbinom.logpmf(x, a, b / (b + e)).sum())

    found = optimize.minimize(
        negative,
        [1.0, 3.0],
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000},
    )
    a, b = np.exp(found.x)
    prior = gamma_prior(x, e, "ml")
    assert prior.mean == pytest.approx(a / b, rel=1e-4)
    assert prior.strength == pytest.approx(b, rel=1e-2)


def test_shrinkage_complete_pooling_without_extra_variation():
    df = pd.DataFrame({"area_code": list("ABC"), "x": [50, 100, 25], "n": [100, 200, 50]})
    out = potential_to_benefit(df, "x", "n", benchmark="pooled")
    assert math.isinf(out.attrs["prior"]["strength"])
    np.testing.assert_allclose(out["uptake_shrunk"], 50.0)
    np.testing.assert_allclose(out["shrinkage"], 1.0)
    assert (out["uptake_shrunk_lower_ci"] == out["uptake_shrunk"]).all()


def test_shrinkage_all_zero_uptake_is_pooled_at_zero():
    df = pd.DataFrame({"area_code": list("AB"), "x": [0, 0], "n": [10, 20]})
    out = potential_to_benefit(df, "x", "n", benchmark=50)
    np.testing.assert_allclose(out["uptake_shrunk"], 0.0)
    # Shortfalls against 50%: A 5 of 10, B 10 of 20; B ranks first.
    assert out["area_code"].tolist() == ["B", "A"]
    np.testing.assert_allclose(out["not_reached"], [10.0, 5.0], rtol=1e-12)


def test_not_reached_and_rank_by_hand():
    out = potential_to_benefit(AREAS, "reached", "eligible", benchmark=80)
    raw = by_area(out)["not_reached"]
    # 0.8 × eligible − reached, at least 0: A 10, B 20, C 0 (9 of 10), D 0, E 18.
    np.testing.assert_allclose(raw, [10.0, 20.0, 0.0, 0.0, 18.0], atol=1e-9)
    shrunk = by_area(out)
    np.testing.assert_allclose(
        shrunk["not_reached_shrunk"],
        np.maximum(
            AREAS["eligible"].to_numpy() * (80 - shrunk["uptake_shrunk"].to_numpy()) / 100, 0
        ),
        rtol=1e-12,
    )
    assert out["rank"].tolist() == [1, 2, 3, 4, 5]
    assert out["not_reached_shrunk"].is_monotonic_decreasing
    assert out["area_code"].tolist()[:3] == ["B", "E", "A"]


def test_rank_raw_orders_by_raw_shortfall_then_shrunk_uptake():
    df = pd.DataFrame(
        {"area_code": list("ABCD"), "x": [40, 70, 160, 180], "n": [100, 100, 200, 200]}
    )
    out = potential_to_benefit(df, "x", "n", benchmark=90, rank_by="raw")
    # Shortfalls: A 50, B 20, C 20, D 0. B and C tie; the lower shrunk uptake ranks first.
    np.testing.assert_allclose(out["not_reached"], [50.0, 20.0, 20.0, 0.0], atol=1e-9)
    assert out["area_code"].iloc[0] == "A" and out["area_code"].iloc[3] == "D"
    tied = out.iloc[[1, 2]]
    assert tied["uptake_shrunk"].iloc[0] < tied["uptake_shrunk"].iloc[1]
    assert out["area_code"].tolist() == ["A", "B", "C", "D"]


def test_flags_against_funnel_limits_by_hand():
    df = pd.DataFrame(
        {"area_code": list("ABCD"), "x": [700, 745, 760, 800], "n": [1000, 1000, 1000, 1000]}
    )
    out = potential_to_benefit(df, "x", "n", benchmark=78).set_index("area_code")
    theta = 0.78
    for code, x in zip("ABCD", [700, 745, 760, 800], strict=True):
        p = x / 1000
        assert out.loc[code, "below_95"] == (
            p < theta - Z95 * math.sqrt(theta * (1 - theta) / 1000)
        )
        assert out.loc[code, "below_99_8"] == (
            p < theta - Z998 * math.sqrt(theta * (1 - theta) / 1000)
        )
    # Limits at n = 1000: 95% 75.43%, 99.8% 73.95%: A below both, B below 95% only.
    assert out["below_95"].tolist() == [True, True, False, False]
    assert out["below_99_8"].tolist() == [True, False, False, False]


def test_benchmark_best_quintile_by_hand():
    df = pd.DataFrame(
        {"area_code": list("ABCDE"), "x": [90, 80, 70, 60, 50], "n": [100, 100, 100, 100, 100]}
    )
    out = potential_to_benefit(df, "x", "n")
    # The best area (A, 90%) holds a fifth of the eligible people: the benchmark is its uptake.
    assert out["benchmark"].iloc[0] == pytest.approx(90.0)
    uneven = pd.DataFrame(
        {"area_code": list("ABCDE"), "x": [45, 80, 70, 60, 75], "n": [50, 100, 100, 100, 150]}
    )
    out = potential_to_benefit(uneven, "x", "n")
    # A (90%) holds 50 of 500 people, short of 100: B (80%) joins it; C would start past 100.
    assert out["benchmark"].iloc[0] == pytest.approx((45 + 80) / 150 * 100)


def test_benchmark_best_quintile_lowest_when_lower_is_better():
    df = pd.DataFrame(
        {"area_code": list("ABCDE"), "x": [90, 80, 70, 60, 50], "n": [100, 100, 100, 100, 100]}
    )
    out = potential_to_benefit(df, "x", "n", polarity="lower-is-better")
    assert out["benchmark"].iloc[0] == pytest.approx(50.0)
    np.testing.assert_allclose(
        out.set_index("area_code").loc[list("ABCDE"), "excess"],
        [40.0, 30.0, 20.0, 10.0, 0.0],
        atol=1e-9,
    )


def test_benchmark_pooled_is_total_uptake():
    out = potential_to_benefit(AREAS, "reached", "eligible", benchmark="pooled")
    assert out["benchmark"].iloc[0] == pytest.approx(409 / 570 * 100)


def test_confidence_two_levels_name_columns_by_level():
    out = potential_to_benefit(AREAS, "reached", "eligible", confidence=[0.95, 0.998])
    for prefix in ("uptake", "uptake_shrunk"):
        assert (out[f"{prefix}_lower_ci_99_8"] <= out[f"{prefix}_lower_ci_95"]).all()
        assert (out[f"{prefix}_upper_ci_99_8"] >= out[f"{prefix}_upper_ci_95"]).all()


def test_output_columns_and_input_unchanged():
    before = AREAS.copy()
    out = potential_to_benefit(AREAS, "reached", "eligible")
    pd.testing.assert_frame_equal(AREAS, before)
    wanted = [
        "area_code",
        "eligible",
        "reached",
        "uptake",
        "uptake_lower_ci",
        "uptake_upper_ci",
        "uptake_shrunk",
        "uptake_shrunk_lower_ci",
        "uptake_shrunk_upper_ci",
        "benchmark",
        "not_reached",
        "rank",
        "below_95",
        "below_99_8",
    ]
    assert set(wanted) <= set(out.columns)


def test_repeated_areas_are_summed():
    doubled = pd.concat([AREAS, AREAS.assign(reached=0)], ignore_index=True)
    out = by_area(potential_to_benefit(doubled, "reached", "eligible"))
    np.testing.assert_array_equal(out["eligible"], AREAS["eligible"].to_numpy() * 2)
    np.testing.assert_array_equal(out["reached"], AREAS["reached"].to_numpy())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 500), st.floats(0, 1)), min_size=2, max_size=12))
def test_shrunk_value_inside_its_interval_and_between_raw_and_mean(rows):
    n = [size for size, _ in rows]
    x = [round(size * share) for size, share in rows]
    df = pd.DataFrame({"area_code": [f"A{i}" for i in range(len(n))], "x": x, "n": n})
    out = potential_to_benefit(df, "x", "n", benchmark="pooled")
    if out.attrs["prior"]["strength"] >= 1:
        # A prior worth less than one person (areas at 0% and 100%) can leave a posterior so
        # skewed that its mean lies outside its equal-tailed interval.
        assert (out["uptake_shrunk_lower_ci"] <= out["uptake_shrunk"] + 1e-9).all()
        assert (out["uptake_shrunk"] <= out["uptake_shrunk_upper_ci"] + 1e-9).all()
    mean = out.attrs["prior"]["mean"]
    low, high = np.minimum(out["uptake"], mean), np.maximum(out["uptake"], mean)
    assert ((out["uptake_shrunk"] >= low - 1e-7) & (out["uptake_shrunk"] <= high + 1e-7)).all()
    assert (out["not_reached"] >= 0).all()
    assert sorted(out["rank"]) == list(range(1, len(n) + 1))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reached": [250, 60, 9, 160, 30]}, "must not exceed"),
        ({"reached": [-1, 60, 9, 160, 30]}, "negative"),
        ({"eligible": [0, 100, 10, 200, 60]}, "greater than zero"),
        ({"reached": ["a", 60, 9, 160, 30]}, "numeric"),
    ],
)
def test_bad_counts_raise_input_error(change, message):
    with pytest.raises(InputError, match=message):
        potential_to_benefit(AREAS.assign(**change), "reached", "eligible")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"kind": "ratio"}, "kind must be one of"),
        ({"benchmark": "best"}, "benchmark must be one of"),
        ({"benchmark": 120}, "out of range"),
        ({"benchmark": True}, "must be a number"),
        ({"polarity": "no judgement"}, "polarity must be one of"),
        ({"prior": "bayes"}, "prior must be one of"),
        ({"rank_by": "value"}, "rank_by must be one of"),
        ({"area": "lsoa"}, "not found"),
        ({"area": []}, "area must name"),
        ({"confidence": 0.5}, "confidence"),
    ],
)
def test_bad_options_raise_input_error(options, message):
    with pytest.raises(InputError, match=message):
        potential_to_benefit(AREAS, "reached", "eligible", **options)


def test_one_area_raises_input_error():
    with pytest.raises(InputError, match="at least two areas"):
        potential_to_benefit(AREAS.head(1), "reached", "eligible")


def test_worked_example_of_the_docs():
    """docs/targeting.md, "Worked example": M = 25.51 and the table of four areas."""
    df = pd.DataFrame(
        {
            "area_code": list("ABCD"),
            "vaccinated": [150, 60, 9, 160],
            "eligible": [200, 100, 10, 200],
        }
    )
    out = potential_to_benefit(df, "vaccinated", "eligible", benchmark=80)
    assert out.attrs["prior"]["strength"] == pytest.approx(25.5125, abs=1e-4)
    assert out["area_code"].tolist() == ["B", "A", "D", "C"]
    np.testing.assert_allclose(1 - out["shrinkage"], [0.797, 0.887, 0.887, 0.282], atol=5e-4)
    np.testing.assert_allclose(out["uptake_shrunk"], [62.9, 74.9, 79.4, 78.7], atol=0.05)
    np.testing.assert_allclose(out["not_reached_shrunk"], [17.1, 10.2, 1.3, 0.1], atol=0.05)
    assert out["below_99_8"].tolist() == [True, False, False, False]

"""Property tests: no published table lets an attacker back-calculate a small count.

Hypothesis draws one total and up to three breakdowns of it (each a partition of the
total into categories), applies ``protect``, and then plays the attacker. The attacker
knows the rules, sees the published counts and knows that:

- a published count ``r`` is the true count rounded to the nearest ``rounding``, so the
  true count lies in ``[r - rounding/2, r + rounding/2]`` — or, for the *exact* attacker,
  is known exactly (a published rate times its denominator can give it back);
- the categories of each breakdown add up to the total;
- a suppressed count is at least 1 when zeros are published (0 when they are not).

From these the attacker bounds every suppressed cell. The tests assert that no
suppressed count from 1 to the threshold is pinned to one value or shown to lie within
1..threshold (the most it can be is above the threshold), and that every published
count is either above the threshold or a zero that the rules allow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgap.disclosure import DisclosureRules, protect

INF = math.inf


@dataclass
class Published:
    """One breakdown as the attacker and the test see it."""

    true: np.ndarray
    hidden: np.ndarray
    lower: np.ndarray  # attacker's bounds on the published cells
    upper: np.ndarray


def rules_strategy():
    return st.builds(
        DisclosureRules,
        threshold=st.integers(1, 10),
        rounding=st.sampled_from([0, 1, 2, 3, 5, 10]),
        secondary=st.just(True),
        suppress_zero=st.booleans(),
    )


def counts_strategy(rules_threshold: int, size: int):
    small_or_large = st.one_of(
        st.integers(0, rules_threshold + 2), st.integers(0, 4 * rules_threshold + 20)
    )
    return st.lists(small_or_large, min_size=size, max_size=size)


@st.composite
def breakdowns(draw, threshold: int):
    """A total and 1-3 breakdowns of it, each a list of category counts summing to it."""
    first = draw(counts_strategy(threshold, draw(st.integers(1, 8))))
    total = sum(first)
    result = [first]
    for _ in range(draw(st.integers(0, 2))):
        m = draw(st.integers(1, 6))
        cuts = sorted(draw(st.lists(st.integers(0, total), min_size=m - 1, max_size=m - 1)))
        result.append([b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)])
    return total, result


def frame(total: int, parts: list[list[int]], column: str = "count") -> pd.DataFrame:
    rows = [("total", "", total)]
    for b, counts in enumerate(parts):
        rows += [(f"b{b}", f"c{i}", c) for i, c in enumerate(counts)]
    df = pd.DataFrame(rows, columns=["breakdown_type", "category", column])
    return df.assign(indicator_id="x", area_code="A", period="2024", sex="Persons", age="All")


def bounds(published: np.ndarray, true: np.ndarray, rounding: int, exact: bool):
    if exact:
        return true.astype(float), true.astype(float)
    half = rounding / 2 if rounding > 1 else 0.0
    return np.maximum(published - half, 0.0), published + half


def attack(out: pd.DataFrame, df: pd.DataFrame, rules, column: str, exact: bool):
    """The attacker's bounds on the total and on each breakdown's hidden cells."""
    lo = 0 if rules.suppress_zero else 1
    hidden = out[column].isna().to_numpy()
    true = df[column].to_numpy(dtype=float)
    lower, upper = bounds(out[column].to_numpy(dtype=float), true, rules.rounding, exact)
    is_total = (out["breakdown_type"] == "total").to_numpy()
    sets = {
        b: Published(true[rows], hidden[rows], lower[rows], upper[rows])
        for b, rows in out[~is_total].groupby("breakdown_type").indices.items()
        for rows in [np.flatnonzero(~is_total)[rows]]
    }
    if hidden[is_total][0]:
        t_lo = max(p.lower[~p.hidden].sum() + lo * p.hidden.sum() for p in sets.values())
        t_hi = min(INF if p.hidden.any() else p.upper.sum() for p in sets.values())
    else:
        t_lo, t_hi = lower[is_total][0], upper[is_total][0]
    return (t_lo, t_hi), true[is_total][0], hidden[is_total][0], sets, lo


def assert_nothing_small_recoverable(out, df, rules, column="count", exact=False):
    (t_lo, t_hi), t_true, t_hidden, sets, lo = attack(out, df, rules, column, exact)
    threshold = rules.threshold
    small = range(1 if lo else 0, threshold + 1)
    assert t_lo <= t_true <= t_hi, "the attacker's model must hold for the truth"
    if t_hidden and t_true in small:
        assert t_hi >= threshold + 1 and t_lo < t_hi
    for p in sets.values():
        k = int(p.hidden.sum())
        visible_lo, visible_hi = p.lower[~p.hidden].sum(), p.upper[~p.hidden].sum()
        for x in p.true[p.hidden]:
            most = t_hi - visible_lo - (k - 1) * lo
            least = max(lo, t_lo - visible_hi) if k == 1 else lo
            assert least <= x <= most, "the attacker's model must hold for the truth"
            if x in small:
                assert most >= threshold + 1, f"hidden {x} shown to be at most {most}"
                assert least < most, f"hidden {x} pinned to {least}"
        # Published counts are never small.
        shown = p.true[~p.hidden]
        assert ((shown > threshold) | ((shown == 0) & (not rules.suppress_zero))).all()


@settings(max_examples=150, deadline=None)
@given(data=st.data(), rules=rules_strategy())
def test_property_no_small_count_recoverable_from_rounded_output(data, rules):
    total, parts = data.draw(breakdowns(rules.threshold))
    df = frame(total, parts)
    out = protect(df, rules)
    assert_nothing_small_recoverable(out, df, rules)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), rules=rules_strategy())
def test_property_no_small_count_recoverable_even_knowing_published_counts_exactly(data, rules):
    total, parts = data.draw(breakdowns(rules.threshold))
    df = frame(total, parts)
    out = protect(df, rules)
    assert_nothing_small_recoverable(out, df, rules, exact=True)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), rules=rules_strategy())
def test_property_small_denominators_are_protected_like_counts(data, rules):
    total, parts = data.draw(breakdowns(rules.threshold))
    df = frame(total, parts, column="denominator").assign(count=0)
    out = protect(df, rules)
    assert_nothing_small_recoverable(out, df, rules, column="denominator", exact=True)
    assert not (out["denominator"].isna() & out["count"].notna()).any()


@settings(max_examples=100, deadline=None)
@given(data=st.data(), rules=rules_strategy())
def test_property_protected_values_are_rounded_truths(data, rules):
    total, parts = data.draw(breakdowns(rules.threshold))
    df = frame(total, parts)
    df["value"] = df["count"] / 10
    out = protect(df, rules)
    shown = ~out["suppressed"]
    base = rules.rounding if rules.rounding > 1 else 1
    assert (abs(out.loc[shown, "count"] - df.loc[shown, "count"]) <= base / 2).all()
    assert (out.loc[shown, "count"] % base == 0).all()
    assert out.loc[~shown, ["count", "value"]].isna().all().all()
    assert (out.loc[shown, "value"] == df.loc[shown, "value"]).all()


@settings(max_examples=50, deadline=None)
@given(data=st.data(), rules=rules_strategy())
def test_property_sets_are_protected_independently_of_each_other(data, rules):
    tables = []
    for area in range(data.draw(st.integers(2, 4))):
        total, parts = data.draw(breakdowns(rules.threshold))
        tables.append(frame(total, parts).assign(area_code=f"A{area}"))
    whole = protect(pd.concat(tables, ignore_index=True), rules)
    piecewise = pd.concat([protect(t, rules) for t in tables], ignore_index=True)
    pd.testing.assert_frame_equal(whole, piecewise)

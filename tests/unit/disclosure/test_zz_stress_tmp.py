"""Property tests for linked tables: an attacker solving linear programmes.

Cross-breakdowns (ethnicity × IMD quintile) add up to both of their one-way breakdowns,
and Male + Female add up to Persons, so a hidden cell sits in several equations at once.
Here the attacker writes down every equation the published table implies, bounds each
published count by its rounding interval and each hidden count by ``>= 1`` (``>= 0``
when zeros are suppressed), and minimises and maximises every hidden small count with
``scipy.optimize.linprog``. No such count may be pinned or shown to be at most the
threshold.

The attacker here knows published counts only to their rounding. One who knows them
exactly (e.g. from a published rate and denominator) can still narrow a small count in
about 1–2% of such tables: see docs/disclosure.md, "Limits".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from healthgap.disclosure import DisclosureRules, protect

ROUNDED = st.builds(
    DisclosureRules,
    threshold=st.integers(1, 10),
    rounding=st.sampled_from([5, 10]),
    suppress_zero=st.booleans(),
)


def matrices(max_rows: int = 4, max_cols: int = 4):
    cell = st.one_of(st.integers(0, 8), st.integers(0, 40))
    return st.integers(2, max_rows).flatmap(
        lambda r: st.integers(2, max_cols).flatmap(
            lambda c: st.lists(st.lists(cell, min_size=c, max_size=c), min_size=r, max_size=r).map(
                np.array
            )
        )
    )


def assert_lp_attacker_learns_nothing_small(df, out, rules, equations):
    """``equations``: (total row, [member rows]) pairs over ``df``'s row positions."""
    lo = 0 if rules.suppress_zero else 1
    hidden = out["suppressed"].to_numpy()
    published = out["count"].to_numpy(dtype=float)
    true = df["count"].to_numpy(dtype=float)
    half = rules.rounding / 2
    bounds = [
        (lo, None) if hidden[i] else (max(0.0, published[i] - half), published[i] + half)
        for i in range(len(df))
    ]
    a = np.zeros((len(equations), len(df)))
    for row, (total, members) in enumerate(equations):
        a[row, total] = 1
        a[row, members] -= 1
    b = np.zeros(len(equations))
    for i in np.flatnonzero(hidden & (true >= lo) & (true <= rules.threshold)):
        c = np.zeros(len(df))
        c[i] = 1
        least = linprog(c, A_eq=a, b_eq=b, bounds=bounds)
        most = linprog(-c, A_eq=a, b_eq=b, bounds=bounds)
        assert least.status == 0, "the truth must be feasible for the attacker"
        top = np.inf if most.status == 3 else -most.fun
        assert top >= rules.threshold + 1 - 1e-6, f"{true[i]} shown to be at most {top}"
        assert top - least.fun > 1e-6, f"{true[i]} pinned"


@settings(max_examples=1500, deadline=None)
@given(m=matrices(), rules=ROUNDED)
def test_property_cross_breakdowns_hide_small_counts_from_an_lp_attacker(m, rules):
    r, c = m.shape
    rows = [("total", "", m.sum())]
    rows += [("ethnicity", f"e{i}", m[i].sum()) for i in range(r)]
    rows += [("imd_quintile", f"q{j}", m[:, j].sum()) for j in range(c)]
    rows += [("ethnicity*imd_quintile", f"e{i}*q{j}", m[i, j]) for i in range(r) for j in range(c)]
    df = pd.DataFrame(rows, columns=["breakdown_type", "category", "count"]).assign(area_code="A")
    at = {(t, k): n for n, (t, k, _) in enumerate(rows)}
    cross = [[at["ethnicity*imd_quintile", f"e{i}*q{j}"] for j in range(c)] for i in range(r)]
    equations = [
        (0, [at["ethnicity", f"e{i}"] for i in range(r)]),
        (0, [at["imd_quintile", f"q{j}"] for j in range(c)]),
        (0, [n for line in cross for n in line]),
        *((at["ethnicity", f"e{i}"], cross[i]) for i in range(r)),
        *((at["imd_quintile", f"q{j}"], [cross[i][j] for i in range(r)]) for j in range(c)),
    ]
    assert_lp_attacker_learns_nothing_small(df, protect(df, rules), rules, equations)


@settings(max_examples=1500, deadline=None)
@given(m=matrices(max_rows=5, max_cols=2), rules=ROUNDED)
def test_property_sex_margins_hide_small_counts_from_an_lp_attacker(m, rules):
    k = m.shape[0]
    by_sex = {"Male": m[:, 0], "Female": m[:, 1], "Persons": m.sum(axis=1)}
    rows = []
    for sex, counts in by_sex.items():
        rows.append((sex, "total", "", counts.sum()))
        rows += [(sex, "imd_quintile", f"q{i}", n) for i, n in enumerate(counts)]
    df = pd.DataFrame(rows, columns=["sex", "breakdown_type", "category", "count"])
    df = df.assign(indicator_id="x", area_code="A", period="2024", age="All")
    at = {(s, c): n for n, (s, _, c, _) in enumerate(rows)}
    categories = ["", *(f"q{i}" for i in range(k))]
    equations = [(at[s, ""], [at[s, f"q{i}"] for i in range(k)]) for s in by_sex]
    equations += [(at["Persons", c], [at["Male", c], at["Female", c]]) for c in categories]
    assert_lp_attacker_learns_nothing_small(df, protect(df, rules), rules, equations)

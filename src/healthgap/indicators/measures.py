"""Inequality measures of each ordered breakdown (IMD deciles and quintiles): PHE's slope
and relative indices of inequality, the gap between the most and least deprived groups,
and whether each is widening or narrowing over the periods.

- **SII and RII** by :func:`healthgap.sii` on the categories' values and populations:
  proportions on the logit scale with standard errors from their counts, rates and
  standardised rates on the log scale and life expectancy and means as they are, with
  standard errors from their 95% limits. The limits are simulated with 10,000
  repetitions (PHE uses 100,000; the limits' Monte Carlo error is then about 0.3% of
  their distance from the SII) from a fixed seed, so a build is reproducible.
- **Gap**: most deprived minus least deprived category, with limits
  :math:`\\Delta \\pm z\\sqrt{SE_1^2 + SE_2^2}`, each SE taken from the 95% limits
  (:math:`(U - L) / 3.92`).
- **Trend** of the SII and the gap by :func:`healthgap.inequality_trend`, for each
  period over the (up to) five periods ending there.

A period is left out when a category is missing or its value cannot be used (no value,
a proportion of 0% or 100%, a rate of zero).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from healthgap.indicators.breakdowns import ORDERED, UNKNOWN_ORDER
from healthgap.indicators.definition import Indicator
from healthgap.indicators.evaluate import CONFIDENCE, LIMITS
from healthgap.methods._confidence import levels
from healthgap.methods.inequality_trend import inequality_trend
from healthgap.methods.sii import sii

REPETITIONS = 10_000
SEED = 20_251_124
POINTS = 5
CANNOT = "Cannot be calculated"
_Z95 = levels(list(CONFIDENCE))[0].z
COLUMNS = ("breakdown_type", "period_order", "measure", "value", *LIMITS, "trend")


def measures(indicator: Indicator, values: pd.DataFrame) -> pd.DataFrame:
    """SII, RII and gap for each ordered breakdown and period of ``values`` (one row per
    category and period, as the engine makes them)."""
    frames = []
    for name in ORDERED:
        if name not in indicator.breakdowns:
            continue
        rows = values[
            (values["breakdown_type"] == name)
            & (values["category_order"].fillna(UNKNOWN_ORDER) < UNKNOWN_ORDER)
        ]
        rows = _usable(indicator, rows)
        if rows.empty or rows["category_order"].nunique() < 5:
            continue
        frames.append(_sii(indicator, rows).assign(breakdown_type=name))
        frames.append(_gap(rows).assign(breakdown_type=name))
    if not frames:
        return pd.DataFrame(columns=list(COLUMNS))
    out = pd.concat(frames, ignore_index=True)
    out["trend"] = _trends(out)
    return out[list(COLUMNS)]


def _usable(indicator: Indicator, rows: pd.DataFrame) -> pd.DataFrame:
    """Periods whose every category (of those seen in any period) has a usable value."""
    value = rows["value"].to_numpy(dtype="float64")
    lower, upper = (
        rows["lower_ci_95"].to_numpy(dtype="float64"),
        rows["upper_ci_95"].to_numpy(dtype="float64"),
    )
    good = np.isfinite(value) & np.isfinite(lower) & np.isfinite(upper)
    good &= rows["population"].to_numpy(dtype="float64") > 0
    if indicator.method == "proportion":
        count = rows["count"].to_numpy(dtype="float64")
        good &= (count > 0) & (count < rows["denominator"].to_numpy(dtype="float64"))
    elif indicator.method in ("rate", "dsr", "isr"):
        good &= (value > 0) & (lower > 0)
    wanted = rows["category_order"].nunique()
    per_period = rows[good].groupby("period_order")["category_order"].transform("nunique")
    complete = pd.Series(False, index=rows.index)
    complete[per_period.index] = per_period.to_numpy() == wanted
    bad_periods = rows.loc[~complete.to_numpy(), "period_order"].unique()
    return rows[~rows["period_order"].isin(bad_periods)]


def _sii(indicator: Indicator, rows: pd.DataFrame) -> pd.DataFrame:
    work = rows[
        [
            "period_order",
            "category_order",
            "value",
            "lower_ci_95",
            "upper_ci_95",
            "count",
            "denominator",
            "population",
        ]
    ].copy()
    work["category_order"] = work["category_order"].astype("int64")
    if indicator.method == "proportion":
        work["p"] = work["count"] / work["denominator"]
        scale = indicator.multiplier if indicator.multiplier is not None else 100.0
        value, population, kind = "p", "denominator", "proportion"
        count, lower, upper = "count", None, None
    else:
        scale = 1.0
        value, population = "value", "population"
        kind = "rate" if indicator.method in ("rate", "dsr", "isr") else "none"
        count, lower, upper = None, "lower_ci_95", "upper_ci_95"
    out = sii(
        work,
        value,
        population,
        quantile="category_order",
        by="period_order",
        value_type=kind,
        count=count,
        lower=lower,
        upper=upper,
        multiplier=scale,
        rii=True,
        confidence=list(CONFIDENCE),
        repetitions=REPETITIONS,
        seed=SEED,
    )
    frames = []
    for stat in ("sii", "rii"):
        frame = pd.DataFrame(
            {"period_order": out["period_order"], "measure": stat, "value": out[stat]}
        )
        for name in LIMITS:
            frame[name] = out[f"{stat}_{name}"].to_numpy()
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _gap(rows: pd.DataFrame) -> pd.DataFrame:
    order = rows["category_order"].to_numpy()
    most = rows[order == order.min()].set_index("period_order")
    least = rows[order == order.max()].set_index("period_order").reindex(most.index)

    def se(frame: pd.DataFrame) -> np.ndarray:
        width = frame["upper_ci_95"].to_numpy(dtype="float64") - frame["lower_ci_95"].to_numpy(
            dtype="float64"
        )
        return width / (2 * _Z95)

    gap = most["value"].to_numpy(dtype="float64") - least["value"].to_numpy(dtype="float64")
    error = np.sqrt(se(most) ** 2 + se(least) ** 2)
    out = pd.DataFrame({"period_order": most.index.to_numpy(), "measure": "gap", "value": gap})
    for level in levels(list(CONFIDENCE)):
        out[level.lower] = gap - level.z * error
        out[level.upper] = gap + level.z * error
    return out


def windows(frame: pd.DataFrame, points: int = POINTS) -> pd.DataFrame:
    """Each row once for every period whose trend window (the ``points`` periods ending
    there, by ``period_order``) holds it, that period in ``as_of``; only periods with a
    full window."""
    order = frame["period_order"].to_numpy(dtype="int64")
    if not len(order):
        return frame.assign(as_of=pd.Series(dtype="int64"))
    reps = np.minimum(order + points - 1, order.max()) - order + 1
    rows = np.repeat(np.arange(len(frame)), reps)
    step = np.arange(len(rows)) - np.repeat(np.cumsum(reps) - reps, reps)
    out = frame.iloc[rows].assign(as_of=order[rows] + step)
    return out[out["as_of"].to_numpy() >= points - 1]


def _trends(out: pd.DataFrame) -> pd.Series:
    """Widening / narrowing of the SII and gap as of each period (RII: not tested)."""
    trend = pd.Series(None, index=out.index, dtype=object)
    tested = out[out["measure"].isin(["sii", "gap"])]
    trend[tested.index] = CANNOT
    work = windows(tested, POINTS)
    if work.empty:
        return trend
    result = inequality_trend(
        work,
        "value",
        period="period_order",
        lower="lower_ci_95",
        upper="upper_ci_95",
        by=["breakdown_type", "measure", "as_of"],
        points=POINTS,
    )
    found = result.set_index(["breakdown_type", "measure", "as_of"])["trend"].astype(object)
    at = pd.MultiIndex.from_frame(tested[["breakdown_type", "measure", "period_order"]])
    matched = found.reindex(at).to_numpy()
    known = pd.notna(matched)
    trend[tested.index[known]] = matched[known]
    return trend

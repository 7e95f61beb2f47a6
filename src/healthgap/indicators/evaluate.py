"""The statistics of the engine: each indicator's method applied to the aggregated counts of
every category, period and area at once (``by=`` one group id), never row by row.

Input rows carry ``gid`` (one group: a breakdown category in one area and period), the
counts ``x`` and ``n`` (``k``, ``s``, ``ss`` for means) and, for the standardised methods,
``age_group``. Output is one row per ``gid`` with ``value``, the 95% and 99.8% limits,
``count``, ``denominator``, ``population`` (the weight of the group in inequality
measures), ``value_note`` and ``method``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from healthgap.indicators.definition import Indicator
from healthgap.methods._confidence import levels
from healthgap.methods.dsr import dsr
from healthgap.methods.isr import isr
from healthgap.methods.life_expectancy import life_expectancy
from healthgap.methods.proportion import proportion
from healthgap.methods.rate import rate
from healthgap.reference.esp2013 import esp2013

CONFIDENCE = (0.95, 0.998)
LIMITS = ("lower_ci_95", "upper_ci_95", "lower_ci_99_8", "upper_ci_99_8")
OUTPUT = ("gid", "value", *LIMITS, "count", "denominator", "population", "value_note", "method")
#: Life-table band start ages (0, 1–4, 5–9, …, 90+).
LIFE_TABLE_AGES = np.array([0, 1, *range(5, 95, 5)])
NO_POPULATION = "no population at mid-period"
EMPTY_BAND = "an age band has zero population"
NO_VALUES = "no values recorded"
AGE_SPECIFIC = "age-specific crude rate"
DEFAULT_MULTIPLIER = {"proportion": 100.0, "rate": 100_000.0, "dsr": 100_000.0, "isr": 100.0}


def multiplier(indicator: Indicator) -> float:
    """The indicator's multiplier (ratio scale for ISR), or its method's default."""
    if indicator.multiplier is not None:
        return float(indicator.multiplier)
    return DEFAULT_MULTIPLIER.get(indicator.method, 1.0)


def compute(indicator: Indicator, rows: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """The indicator's values for every group in ``rows``.

    ``totals`` (ISR only) gives the place's own counts by ``period_order`` and
    ``age_group``: pooled over all periods, the reference rates of the indirect
    standardisation (so 100 is the place's average over the whole record, and the place
    itself can be seen to change).
    """
    method = indicator.method
    if method == "proportion":
        out = proportion(
            rows, "x", "n", by="gid", confidence=list(CONFIDENCE), multiplier=multiplier(indicator)
        )
        return _finish(out, out["x"], out["n"], out["n"], None, "Proportion (Wilson)")
    if method == "rate":
        return _rate(indicator, rows)
    if method == "dsr":
        return _dsr(indicator, rows)
    if method == "isr":
        return _isr(indicator, rows, totals)
    if method == "life_expectancy":
        return _life_expectancy(indicator, rows)
    return _mean(rows)


def _finish(
    out: pd.DataFrame,
    count: pd.Series | np.ndarray,
    denominator: pd.Series | np.ndarray,
    population: pd.Series | np.ndarray,
    note: pd.Series | np.ndarray | None,
    method: pd.Series | np.ndarray | str,
) -> pd.DataFrame:
    result = pd.DataFrame({"gid": out["gid"].to_numpy()})
    result["value"] = out["value"].to_numpy(dtype="float64")
    for name in LIMITS:
        result[name] = out[name].to_numpy(dtype="float64")
    result["count"] = np.asarray(count, dtype="float64")
    result["denominator"] = np.asarray(denominator, dtype="float64")
    result["population"] = np.asarray(population, dtype="float64")
    result["value_note"] = pd.Series(
        np.full(len(out), None, dtype=object) if note is None else np.asarray(note, dtype=object)
    )
    result["method"] = method if isinstance(method, str) else np.asarray(method, dtype=object)
    return result


def _missing(gids: np.ndarray, counts: pd.DataFrame, note: str, method: str) -> pd.DataFrame:
    """Groups that get no value: their counts, with ``note``."""
    out = pd.DataFrame({"gid": gids, "value": np.nan})
    for name in LIMITS:
        out[name] = np.nan
    sums = counts.groupby("gid")[["x", "n"]].sum().reindex(gids)
    return _finish(out, sums["x"], sums["n"], sums["n"], np.full(len(gids), note), method)


def _rate(indicator: Indicator, rows: pd.DataFrame) -> pd.DataFrame:
    ok = rows["n"].to_numpy() > 0
    out = rate(
        rows[ok], "x", "n", by="gid", confidence=list(CONFIDENCE), multiplier=multiplier(indicator)
    )
    done = _finish(
        out, out["x"], out["n"], out["n"], None, "Crude rate (" + out["method"].astype(str) + ")"
    )
    empty = _missing(rows.loc[~ok, "gid"].unique(), rows, NO_POPULATION, "Crude rate")
    return pd.concat([done, empty], ignore_index=True) if len(empty) else done


def crude_rates(indicator: Indicator, rows: pd.DataFrame) -> pd.DataFrame:
    """Age-specific crude rates: a DSR indicator's ``age_band`` categories (standardising
    within one age band would compare nothing)."""
    out = _rate(indicator, rows.groupby("gid", as_index=False)[["x", "n"]].sum())
    out["value_note"] = out["value_note"].fillna(AGE_SPECIFIC)
    return out


def _bands(indicator: Indicator) -> np.ndarray:
    """ESP 2013 five-year band starts covering the population's ages."""
    pop = indicator.population
    top = 90 if pop.max_age is None else min(pop.max_age // 5 * 5, 90)
    return np.arange(min(pop.min_age // 5 * 5, 90), top + 5, 5)


def _complete(rows: pd.DataFrame, bands: np.ndarray, columns: list[str]) -> pd.DataFrame:
    """One row per group and age band, zero where the aggregate had none."""
    gids = np.sort(rows["gid"].unique())
    index = pd.MultiIndex.from_product([gids, bands], names=["gid", "age_group"])
    sums = rows.groupby(["gid", "age_group"])[columns].sum()
    return sums.reindex(index, fill_value=0).reset_index()


def _dsr(indicator: Indicator, rows: pd.DataFrame) -> pd.DataFrame:
    bands = _bands(indicator)
    grid = _complete(rows, bands, ["x", "n"])
    standard = esp2013().set_index("start_age")["population"]
    grid["w"] = standard.reindex(grid["age_group"]).to_numpy(dtype="float64")
    empty_band = grid.groupby("gid")["n"].transform("min").to_numpy() <= 0
    out = dsr(
        grid[~empty_band],
        "x",
        "n",
        age="age_group",
        by="gid",
        standard="w",
        confidence=list(CONFIDENCE),
        multiplier=multiplier(indicator),
    )
    done = _finish(
        out,
        out["x"],
        out["n"],
        out["n"],
        out["note"],
        "Directly standardised rate (" + out["method"].astype(str) + ")",
    )
    gone = grid.loc[empty_band, "gid"].unique()
    empty = _missing(gone, grid, EMPTY_BAND, "Directly standardised rate")
    return pd.concat([done, empty], ignore_index=True) if len(empty) else done


def _isr(indicator: Indicator, rows: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    grid = _complete(rows, _bands(indicator), ["x", "n"])
    grid = grid.merge(rows.groupby("gid")["period_order"].first(), left_on="gid", right_index=True)
    reference = totals.groupby("age_group")[["x", "n"]].sum()  # all periods pooled
    reference.columns = ["rx", "rn"]
    grid = grid.merge(reference, left_on="age_group", right_index=True)
    grid = grid[grid["rn"].to_numpy() > 0]
    observed = rows.groupby("gid", as_index=False)["x"].sum()
    out = isr(
        grid,
        "x",
        "n",
        reference_count="rx",
        reference_population="rn",
        by="gid",
        ratio_scale=multiplier(indicator),
        confidence=list(CONFIDENCE),
        observed_totals=observed,
    )
    population = grid.groupby("gid")["n"].sum().reindex(out["gid"]).to_numpy()
    return _finish(
        out,
        out["observed"],
        out["expected"],
        population,
        None,
        "Indirectly standardised ratio (" + out["method"].astype(str) + ")",
    )


def _life_expectancy(indicator: Indicator, rows: pd.DataFrame) -> pd.DataFrame:
    grid = _complete(rows, LIFE_TABLE_AGES, ["x", "n"])
    out = life_expectancy(
        grid,
        "x",
        "n",
        age="age_group",
        by="gid",
        start_ages=indicator.population.min_age,
        confidence=list(CONFIDENCE),
    )
    population = grid.groupby("gid")["n"].sum().reindex(out["gid"]).to_numpy()
    return _finish(out, out["x"], out["n"], population, out["note"], "Life expectancy (Chiang II)")


def _mean(rows: pd.DataFrame) -> pd.DataFrame:
    """Means with Student's t limits from each group's count, sum and sum of squares (the
    same estimates as :func:`healthgap.mean` on the values themselves)."""
    sums = rows.groupby("gid", sort=False)[["n", "k", "s", "ss"]].sum()
    k, s, ss = (sums[c].to_numpy(dtype="float64") for c in ("k", "s", "ss"))
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = s / k
        squares = np.maximum(ss - s * centre, 0.0)
        several = k > 1
        stdev = np.where(several, np.sqrt(squares / np.where(several, k - 1, 1.0)), np.nan)
        error = stdev / np.sqrt(k)
    out = pd.DataFrame({"gid": sums.index.to_numpy(), "value": np.where(k > 0, centre, np.nan)})
    for level in levels(list(CONFIDENCE)):
        t = np.where(
            several, stats.t.ppf(0.5 + level.level / 2, np.where(several, k - 1, 1)), np.nan
        )
        out[level.lower], out[level.upper] = centre - t * error, centre + t * error
    note = np.full(len(k), None, dtype=object)
    note[k <= 0] = NO_VALUES
    return _finish(out, k, sums["n"], k, note, "Mean (Student's t)")

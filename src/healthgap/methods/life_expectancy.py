"""Life expectancy from an abridged life table (Chiang II, Silcocks' variance)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from healthgap.errors import InputError
from healthgap.methods import _frame
from healthgap.methods._confidence import Confidence, levels
from healthgap.methods._life_table import TOP_BANDS, band_starts, chiang

#: Groups whose total population is at most this are not calculated (PHE's rule).
MIN_TOTAL_POPULATION = 5_000

#: Values are suppressed when the 95% confidence interval is wider than this many years.
MAX_CI_WIDTH = 20.0

_MAX_GROUPS_SHOWN = 5


def life_expectancy(
    df: pd.DataFrame,
    deaths: str,
    population: str,
    *,
    age: str,
    by: _frame.By = None,
    start_ages: Literal["all"] | int | Sequence[int] = "all",
    confidence: Confidence = 0.95,
    top_band: int = 90,
) -> pd.DataFrame:
    """Life expectancy at each band's start age, with confidence limits.

    Each group (``by``) must have one row per age band: 0, 1–4, 5–9, …, 85–89 and 90+
    (``top_band=90``, 20 bands) or 0, 1–4, …, 80–84 and 85+ (``top_band=85``, 19 bands),
    with ``age`` holding the start age. An abridged life table is built by Chiang's
    method II: with :math:`M_i = D_i / P_i`, band width :math:`n_i`, and
    :math:`a_i = 0.1` for age 0 and 0.5 otherwise,

    .. math::

        q_i = \\frac{n_i M_i}{1 + n_i M_i (1 - a_i)} \\;(1 \\text{ if } D_i > P_i / n_i / a_i),
        \\quad l_0 = 100\\,000, \\quad l_{i+1} = l_i (1 - q_i),

        L_i = n_i (l_{i+1} + a_i d_i), \\quad L_\\omega = l_\\omega / M_\\omega,
        \\quad e_x = \\frac{1}{l_x} \\sum_{i \\ge x} L_i,

    and the variance adds Silcocks et al.'s term for the open-ended top band
    :math:`\\omega`:

    .. math::

        \\operatorname{Var}(e_x) = \\frac{1}{l_x^2} \\Big[ \\sum_{x \\le i < \\omega}
        l_i^2 \\big((1 - a_i) n_i + e_{i+1}\\big)^2 \\frac{q_i^2 (1 - q_i)}{D_i}
        + \\Big(\\frac{l_\\omega}{2}\\Big)^2 \\frac{4}{D_\\omega M_\\omega^2} \\Big],

    with limits :math:`e_x \\pm z \\sqrt{\\operatorname{Var}(e_x)}`.

    As PHE does, a group gets no values (``value`` and limits missing, reason in
    ``note``) when a band has zero population, a band has more deaths than population,
    the group's total population (all ages) is 5,000 or fewer, or (which PHE leaves as
    infinite) the top band has no deaths. A value whose 95% interval is wider than 20
    years is suppressed but its limits are kept. Where a band's death rate makes death
    certain (:math:`q_i = 1`) no one survives to later ages: PHE gives 0 with missing
    limits there, and so does this function, with a note.

    Parameters
    ----------
    df : DataFrame
        One row per group and age band; it is not modified.
    deaths, population : str
        Columns of deaths and population (person-years) in each band.
    age : str
        Column of band start ages: 0, 1, 5, 10, …, ``top_band``.
    by : str or list of str, optional
        Columns identifying the groups (areas, sexes, years…).
    start_ages : "all", int or list of int
        Ages to report life expectancy at; each must be a band start age.
    confidence : float or list of float
        0.95, 0.998, or both.
    top_band : {90, 85}
        Start age of the open-ended top band: 90 for 90+ (PHE's default), 85 for 85+.

    Returns
    -------
    DataFrame
        One row per group and start age: ``by`` columns, ``start_age``, the deaths and
        population from that age up (PHE's ``dths_used`` and ``pops_used``), ``value``,
        the confidence limits and ``note`` (why a value is missing, else None). Groups
        come in first-seen order (PHE puts suppressed groups last), ages ascending.

    Raises
    ------
    InputError
        Missing, non-numeric or negative values, ages that are not band start ages, a
        group without exactly one row per band, or start ages that are not bands.

    References
    ----------
    Chiang CL (1984), *The Life Table and its Applications*, Krieger, Malabar FL.
    Silcocks PBS, Jenner DA, Reza R (2001), Life expectancy as a summary of mortality in
    a population: statistical considerations and suitability for use by health
    authorities, *J Epidemiol Community Health* 55:38–43.
    Public Health England, *Life expectancy calculator* and technical guidance
    (Fingertips Public Health Methods). The same method as
    ``PHEindicatormethods::phe_life_expectancy``.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "age": [0, 1, *range(5, 95, 5)],
    ...     "pop": [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601,
    ...             50209, 56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936],
    ...     "deaths": [17, 9, 4, 8, 20, 15, 24, 33, 50, 71,
    ...                100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937],
    ... })
    >>> life_expectancy(df, "deaths", "pop", age="age", start_ages=[0, 65]).round(2)
       start_age  deaths     pop  value  lower_ci  upper_ci  note
    0          0    9357  787954  80.17     79.88     80.46  None
    1         65    8276  155483  18.77     18.58     18.96  None
    """
    df = _frame.require_frame(df)
    by_cols = _frame.by_columns(by)
    _frame.require_columns(df, deaths, population, age, *by_cols)
    ci_levels = levels(confidence)
    starts = _starts(top_band)
    chosen = _chosen(start_ages, starts)
    d = _frame.numeric(df, deaths)
    p = _frame.numeric(df, population)
    _frame.non_negative(df, deaths, d)
    _frame.non_negative(df, population, p)
    band = _band_index(df, age, starts, top_band)
    keys, codes = _frame.group_keys(df, by_cols)
    _one_row_per_band(df, age, keys, codes, band, starts)

    shape = (len(keys), len(starts))
    dx, px = np.zeros(shape), np.zeros(shape)
    dx[codes, band], px[codes, band] = d, p
    table = chiang(dx, px, starts)
    group_note = _group_notes(dx, px, top_band)

    out = keys.iloc[np.repeat(np.arange(len(keys)), len(chosen))].reset_index(drop=True)
    out["start_age"] = np.tile(starts[chosen], len(keys))
    for name, values in ((deaths, dx), (population, px)):
        used = np.cumsum(values[:, ::-1], axis=1)[:, ::-1][:, chosen].ravel()
        integer = pd.api.types.is_integer_dtype(df[name].dtype)
        out[name] = used.round().astype("int64") if integer else used
    e, se, lx = (x[:, chosen].ravel() for x in (table.e, table.se, table.l))
    suppressed = np.repeat(pd.notna(group_note), len(chosen))
    with np.errstate(invalid="ignore"):  # suppressed groups may hold inf - inf
        wide = stats.norm.ppf(0.975) * se > MAX_CI_WIDTH / 2
        out["value"] = np.where(suppressed | wide, np.nan, e)
        for level in ci_levels:
            out[level.lower] = np.where(suppressed, np.nan, e - level.z * se)
            out[level.upper] = np.where(suppressed, np.nan, e + level.z * se)
    note = np.repeat(group_note, len(chosen))
    note[~suppressed & wide] = "95% confidence interval wider than 20 years"
    note[~suppressed & (lx == 0)] = "no survivors to this age: a lower band's deaths imply q = 1"
    out["note"] = pd.Series(note, dtype=object)  # None where nothing is suppressed
    return out


def _starts(top_band: int) -> np.ndarray:
    if not isinstance(top_band, int | np.integer) or top_band not in TOP_BANDS:
        raise InputError(f"top_band must be 90 (90+) or 85 (85+), got {top_band!r}")
    return band_starts(top_band)


def _chosen(start_ages: Literal["all"] | int | Sequence[int], starts: np.ndarray) -> np.ndarray:
    """Positions in ``starts`` of the requested start ages."""
    if isinstance(start_ages, str):
        if start_ages != "all":
            raise InputError(f"start_ages must be 'all' or band start ages, got {start_ages!r}")
        return np.arange(len(starts))
    wanted: list[object] = np.atleast_1d(np.asarray(start_ages, dtype=object)).tolist()
    valid = set(starts.tolist())
    bad = [a for a in wanted if isinstance(a, bool) or a not in valid]
    if bad or not wanted:
        raise InputError(
            f"start_ages must be band start ages ({', '.join(map(str, starts))}), got {bad!r}"
        )
    return np.flatnonzero(np.isin(starts, np.asarray(wanted, dtype="float64")))


def _band_index(df: pd.DataFrame, age: str, starts: np.ndarray, top_band: int) -> np.ndarray:
    """Each row's band number, raising for ages that are not band start ages."""
    ages = _frame.numeric(df, age)
    index = np.minimum(np.searchsorted(starts, ages), len(starts) - 1)
    bad = starts[index] != ages
    if bad.any():
        raise InputError(
            f"must hold band start ages {', '.join(map(str, starts))} "
            f"(top_band={top_band} means {top_band}+ is the last band)",
            column=age,
            rows=df.index[bad],
        )
    return index


def _describe(keys: pd.DataFrame, group: int) -> str:
    if keys.shape[1] == 0:
        return "the data"
    return ", ".join(f"{c}={v!r}" for c, v in keys.iloc[group].items())


def _one_row_per_band(
    df: pd.DataFrame,
    age: str,
    keys: pd.DataFrame,
    codes: np.ndarray,
    band: np.ndarray,
    starts: np.ndarray,
) -> None:
    """Raise unless every group has exactly one row for every age band."""
    cell = codes * len(starts) + band
    counts = np.bincount(cell, minlength=len(keys) * len(starts))
    repeated = counts[cell] > 1
    if repeated.any():
        first = int(codes[repeated][0])
        raise InputError(
            f"each group needs one row per age band; {_describe(keys, first)} and maybe "
            "others repeat a band",
            column=age,
            rows=df.index[repeated],
        )
    missing = counts.reshape(len(keys), len(starts)) == 0
    groups = np.flatnonzero(missing.any(axis=1))
    if groups.size:
        shown = "; ".join(
            f"{_describe(keys, g)} lacks {', '.join(map(str, starts[missing[g]]))}"
            for g in groups[:_MAX_GROUPS_SHOWN]
        )
        more = f" and {groups.size - _MAX_GROUPS_SHOWN} more groups" if groups.size > 5 else ""
        raise InputError(
            f"each group needs all {len(starts)} age bands ({', '.join(map(str, starts))}); "
            f"{shown}{more}",
            column=age,
        )


def _group_notes(deaths: np.ndarray, population: np.ndarray, top_band: int) -> np.ndarray:
    """Why each group is not calculated (PHE's rules, first that applies), else None."""
    rules = [
        ((population == 0).any(axis=1), "an age band has zero population"),
        ((deaths > population).any(axis=1), "an age band has more deaths than population"),
        (population.sum(axis=1) <= MIN_TOTAL_POPULATION, "total population is 5,000 or fewer"),
        (deaths[:, -1] == 0, f"no deaths in the {top_band}+ band"),
    ]
    note = np.full(deaths.shape[0], None, dtype=object)
    for applies, reason in reversed(rules):
        note[applies] = reason
    return note

"""Directly standardised rates with Dobson confidence limits."""

from __future__ import annotations

import numpy as np
import pandas as pd

from healthgap.errors import InputError
from healthgap.methods import _frame, intervals
from healthgap.methods._confidence import Confidence, levels
from healthgap.reference import esp2013

#: Below this many events a DSR is unreliable and is suppressed, as PHE does.
SUPPRESS_BELOW = 10
SUPPRESSED = f"suppressed: fewer than {SUPPRESS_BELOW} events"


def dsr(
    df: pd.DataFrame,
    count: str,
    population: str,
    *,
    age: str,
    by: _frame.By = None,
    standard: str | None = None,
    confidence: Confidence = 0.95,
    multiplier: float = 100_000,
    independent_events: bool = True,
    event_frequency: str | None = None,
) -> pd.DataFrame:
    """Directly standardised rates with Dobson et al.'s confidence limits.

    Each group's age-specific rates :math:`x_i / n_i` are weighted by a standard
    population :math:`w_i` (ESP 2013 unless ``standard`` names a column). The limits
    scale Byar's limits :math:`O_L, O_U` for the total count :math:`O = \\sum x_i`:

    .. math::

        \\mathrm{DSR} = \\frac{m}{W}\\sum_i \\frac{w_i x_i}{n_i}, \\quad
        V = \\frac{1}{W^2}\\sum_i x_i\\left(\\frac{w_i}{n_i}\\right)^2, \\quad
        \\text{limits} = \\mathrm{DSR} + m\\sqrt{V/O}\\,(O_{L,U} - O)

    with :math:`W = \\sum_i w_i`. For non-independent events ``count`` is the number of
    people with ``event_frequency`` :math:`f` events each; then :math:`x_i = \\sum_f f p_{if}`
    and :math:`V = W^{-2}\\sum_i\\sum_f f^2 p_{if}(w_i/n_i)^2`, which widens the limits.
    Value and limits are missing when :math:`O < 10`.

    Parameters
    ----------
    df : DataFrame
        One row per age band (per event frequency, for non-independent events) within
        each group. It is not modified.
    count : str
        Events in each age band (missing means zero, as PHE treats it); for
        non-independent events, people who had ``event_frequency`` events.
    population : str
        Population of each age band (greater than zero).
    age : str
        Age band of each row. With the ESP 2013 standard it must be labels such as
        ``"0-4"``, ``"00-04"``, ``"90+"`` or start ages 0, 5, …, 90, and each group must
        have all 19 bands once; with ``standard`` any labels, the same number per group.
    by : str or list of str, optional
        Columns identifying the groups (e.g. area, sex, year); None is one group.
    standard : str, optional
        Column with each row's standard population (not negative). Default ESP 2013.
    confidence : float or list of float
        0.95, 0.998, or both.
    multiplier : float
        Rate per this many population, 100,000 by default.
    independent_events : bool
        False adjusts the limits for people who had several events (needs
        ``event_frequency``).
    event_frequency : str, optional
        Column with the number of events each person in the row had (greater than zero).

    Returns
    -------
    DataFrame
        One row per group: the ``by`` columns; ``count`` and ``population`` totals (with
        non-independent events ``count`` totals people and ``total_events`` the events);
        ``value``; the limits; ``method`` and ``note`` (why a value is missing, else None).

    Raises
    ------
    InputError
        Missing columns or values, negative counts, populations not above zero, negative
        standard populations, age bands that are not ESP 2013 bands, missing or repeated
        age bands in a group, or (non-independent events) a population or standard that
        differs between rows of the same group and age band.

    References
    ----------
    Dobson AJ, Kuulasmaa K, Eberle E, Scherer J (1991). Confidence intervals for weighted
    sums of Poisson parameters. *Stat Med* 10:457–462. Breslow NE, Day NE (1987),
    *Statistical Methods in Cancer Research Vol II*, IARC. Office for Health Improvement
    and Disparities, *Public Health Technical Guidance* (DSR chapter). The same method as
    ``PHEindicatormethods::calculate_dsr``.

    Examples
    --------
    >>> bands = esp2013.esp2013()["age_band"]
    >>> df = pd.DataFrame({"age": bands, "deaths": range(1, 20), "pop": 1000})
    >>> dsr(df, "deaths", "pop", age="age").round(2)
       deaths    pop  value  lower_ci  upper_ci  method  note
    0     190  19000  892.5    758.21   1042.07  Dobson  None
    """
    df = _frame.require_frame(df)
    by_cols = _frame.by_columns(by)
    if not isinstance(independent_events, bool):
        raise InputError(f"independent_events must be True or False, got {independent_events!r}")
    if independent_events and event_frequency is not None:
        raise InputError("event_frequency is only used with independent_events=False")
    if not independent_events and event_frequency is None:
        raise InputError("independent_events=False needs event_frequency= naming a column")
    _frame.require_columns(df, count, population, age, standard, event_frequency, *by_cols)
    ci_levels = levels(confidence)
    _check_multiplier(multiplier)

    x = _frame.numeric(df, count, allow_missing=True)
    _frame.non_negative(df, count, x)
    x = np.nan_to_num(x, nan=0.0)
    n = _frame.numeric(df, population)
    _frame.positive(df, population, n)
    if standard is None:
        band = esp2013.band_positions(df, age)
        w = esp2013.esp2013()["population"].to_numpy(dtype="float64")[band]
    else:
        w = _frame.numeric(df, standard)
        _frame.non_negative(df, standard, w)
        band, _ = pd.factorize(df[age], use_na_sentinel=True)
        if (band < 0).any():
            raise InputError("has missing values", column=age, rows=df.index[band < 0])
    if event_frequency is None:
        freq = np.ones(len(df))
    else:
        freq = _frame.numeric(df, event_frequency)
        _frame.positive(df, event_frequency, freq)

    keys, group = _frame.group_keys(df, by_cols)
    n_groups = len(keys)
    cell, n_cells = _cells(group, n_groups, band)
    if event_frequency is None:
        repeated = np.bincount(cell, minlength=n_cells)[cell] > 1
        first = np.ones(len(df), dtype=bool)
    else:
        row_key = cell * len(df) + pd.factorize(freq)[0]
        repeated = pd.Series(row_key).duplicated(keep=False).to_numpy()
        first = ~pd.Series(cell).duplicated().to_numpy()
    if repeated.any():
        what = "age band" if event_frequency is None else "age band and event frequency"
        raise InputError(
            f"the same {what} appears more than once in a group",
            column=age,
            rows=df.index[repeated],
        )
    if event_frequency is not None:
        _check_consistent(df, cell, n_cells, first, population, n)
        if standard is not None:
            _check_consistent(df, cell, n_cells, first, standard, w)
    _check_bands(keys, group[first], band[first], esp=standard is None)

    ratio = w / n
    events = freq * x
    total_events, weighted, variance_sum = _frame.group_sums(
        group, n_groups, events, events * ratio, freq * events * ratio**2
    )
    total_w, total_n = _frame.group_sums(group[first], n_groups, w[first], n[first])
    with np.errstate(divide="ignore", invalid="ignore"):
        value = weighted / total_w * multiplier
        spread = np.sqrt(variance_sum / total_w**2 / total_events) * multiplier
    suppress = total_events < SUPPRESS_BELOW

    out = keys
    if event_frequency is not None:
        out[count] = _as_count(df, [count], _frame.group_sums(group, n_groups, x)[0])
        out["total_events"] = _as_count(df, [count, event_frequency], total_events)
    else:
        out[count] = _as_count(df, [count], total_events)
    out[population] = _as_count(df, [population], total_n)
    out["value"] = np.where(suppress, np.nan, value)
    for level in ci_levels:
        lower, upper = intervals.byars(total_events, level.level)
        out[level.lower] = np.where(suppress, np.nan, value + spread * (lower - total_events))
        out[level.upper] = np.where(suppress, np.nan, value + spread * (upper - total_events))
    out["method"] = "Dobson" if independent_events else "Dobson, non-independent events"
    notes = np.full(n_groups, None, dtype=object)
    notes[suppress] = SUPPRESSED
    out["note"] = notes
    return out


def _cells(group: np.ndarray, n_groups: int, band: np.ndarray) -> tuple[np.ndarray, int]:
    """A code for each row's (group, age band), and how many codes there can be."""
    n_bands = int(band.max(initial=0)) + 1
    if n_groups * n_bands <= 4 * len(band) + 1024:  # dense: group-major, no hashing
        return group * n_bands + band, n_groups * n_bands
    codes, uniques = pd.factorize(group.astype(np.int64) * n_bands + band)
    return codes, len(uniques)


def _check_multiplier(multiplier: float) -> None:
    if isinstance(multiplier, bool) or not isinstance(multiplier, int | float | np.number):
        raise InputError(f"multiplier must be a number, got {multiplier!r}")
    if not np.isfinite(multiplier) or multiplier <= 0:
        raise InputError(f"multiplier must be greater than zero, got {multiplier!r}")


def _as_count(df: pd.DataFrame, columns: list[str], totals: np.ndarray) -> np.ndarray:
    """Totals as int64 when every input column is integer, else float."""
    if all(pd.api.types.is_integer_dtype(df[c].dtype) for c in columns):
        return totals.round().astype("int64")
    return totals


def _check_consistent(
    df: pd.DataFrame,
    cell: np.ndarray,
    n_cells: int,
    first: np.ndarray,
    column: str,
    values: np.ndarray,
) -> None:
    """Each (group, age band) must have one value of ``column`` across its frequency rows."""
    reference = np.zeros(n_cells)
    reference[cell[first]] = values[first]
    differs = values != reference[cell]
    if differs.any():
        bad_cells = np.zeros(n_cells, dtype=bool)
        bad_cells[cell[differs]] = True
        raise InputError(
            "differs between rows of the same group and age band",
            column=column,
            rows=df.index[bad_cells[cell]],
        )


def _check_bands(keys: pd.DataFrame, group: np.ndarray, band: np.ndarray, *, esp: bool) -> None:
    """ESP: each group has all 19 bands; otherwise every group has as many bands."""
    per_group = np.bincount(group, minlength=len(keys))
    if esp:
        bad = np.flatnonzero(per_group != esp2013.N_BANDS)
        if bad.size:
            present = np.zeros((len(keys), esp2013.N_BANDS), dtype=bool)
            present[group, band] = True
            labels = esp2013.esp2013()["age_band"].to_numpy()
            missing = ", ".join(labels[~present[bad[0]]])
            raise InputError(
                f"every group needs all 19 ESP 2013 age bands: {_describe(keys, bad)} "
                f"(first lacks {missing})"
            )
        return
    usual = np.bincount(per_group).argmax()
    bad = np.flatnonzero(per_group != usual)
    if bad.size:
        raise InputError(
            f"every group needs the same number of age bands (most have {usual}): "
            f"{_describe(keys, bad)} ({', '.join(str(per_group[i]) for i in bad[:3])})"
        )


def _describe(keys: pd.DataFrame, rows: np.ndarray, shown: int = 3) -> str:
    """Human-readable names of some groups, e.g. ``area='E1', sex='F'``."""
    if keys.columns.empty:
        return "the data"
    parts = [
        ", ".join(f"{c}={v!r}" for c, v in zip(keys.columns, keys.iloc[i], strict=True))
        for i in rows[:shown]
    ]
    more = f" and {len(rows) - shown} more groups" if len(rows) > shown else ""
    return "group " + "; ".join(parts) + more

"""Disclosure control of an indicator table: suppress, secondarily suppress, round."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from healthgap.disclosure._layout import Spec, layout
from healthgap.disclosure._rules import DisclosureRules
from healthgap.disclosure._secondary import Variable, secondary
from healthgap.errors import InputError
from healthgap.methods import _frame

#: What replaces a suppressed number in CSV, Excel and HTML output.
SUPPRESSED = "*"
#: The ``value_note`` of every suppressed row. One note for all: saying *why* a row was
#: hidden (small itself, or hiding another) would tell an attacker which rows are small.
SUPPRESSED_NOTE = "Suppressed: small numbers"

VALUES = ("value", "lower_ci_95", "upper_ci_95", "lower_ci_99_8", "upper_ci_99_8")
SIBLINGS = ("indicator_id", "area_code", "period", "sex", "age", "breakdown_type")
DERIVED = ("comparison", "recent_trend")


def protect(
    df: pd.DataFrame,
    rules: DisclosureRules = DisclosureRules(),  # noqa: B008  (frozen, so safe to share)
    *,
    count: str = "count",
    denominator: str = "denominator",
    values: Sequence[str] = VALUES,
    siblings: Sequence[str] = SIBLINGS,
    total: tuple[str, object] | None = ("breakdown_type", "total"),
    category: str = "category",
    margins: Sequence[tuple[str, object]] = (("sex", "Persons"),),
    parent: tuple[str, str, str] | None = ("area_code", "parent_code", "area_type"),
    cross: str | None = "*",
    derived: Sequence[str] = DERIVED,
) -> pd.DataFrame:
    """Apply disclosure control to an indicator table before it leaves the analyst.

    1. *Primary suppression.* A count from 1 to the threshold (or 0, with
       ``suppress_zero``) is hidden, and so is a denominator in that range: a
       denominator counts people too, and bounds the count beneath it.
    2. *Secondary suppression.* Rows sharing the ``siblings`` key are the categories of
       one breakdown (the ten IMD deciles of one indicator, area, period, sex and age);
       they add up to the row with the same key but ``breakdown_type == "total"``. In
       each such set the hidden cells :math:`S` must satisfy

       .. math::

           |S| = 0 \\quad\\text{or}\\quad
           \\bigl(|S| \\ge 2 \\text{ and } \\textstyle\\sum_S x - (|S| - 1)\\,lo \\ge t + 1\\bigr)

       where :math:`t` is the threshold and :math:`lo` the least a hidden count can be
       (1, or 0 with ``suppress_zero``): then even an attacker who knows every published
       count exactly cannot pin a hidden count down or show that it is at most
       :math:`t`. Otherwise the smallest published non-zero category is hidden too (or,
       if none is left, the total); a hidden total needs a hidden category in each of
       its sets. Tables can also be *linked*: Male and Female add up to Persons
       (``margins``), small areas to the area in their ``parent_code`` (``parent``),
       and a cross-breakdown ``"a*b"`` with categories ``"x*y"`` to the categories of
       ``a`` and of ``b`` (``cross``). Across linked tables an attacker chains the
       equations, so the same rules apply to every set, and then an attacker who
       tightens the bounds of every hidden cell through all the equations in turn
       (the shuttle algorithm) is simulated; where it narrows a small count, one more
       cell is hidden in the equation that set the bound, until it learns nothing.
    3. *Rounding.* Published counts and denominators are rounded to the nearest
       multiple of ``rules.rounding`` (halves upwards).

    A hidden count hides the row's ``values`` (rate and confidence limits) and
    ``derived`` columns; a hidden denominator also hides the count. Every hidden row gets
    ``suppressed = True`` and the same ``value_note``, :data:`SUPPRESSED_NOTE`.

    Parameters
    ----------
    df : DataFrame
        Raw values in the warehouse's long shape, or any table with a ``count`` column;
        it is not modified. Absent optional columns are skipped (a table with only
        counts, denominators and values gets primary suppression and rounding).
    rules : DisclosureRules
        Threshold, rounding and switches (a workspace's ``[disclosure]`` table).
    count, denominator : str
        Column names; ``denominator`` may be absent.
    values : sequence of str
        Columns computed from the count, hidden with it.
    siblings : sequence of str
        Columns whose values together name one breakdown's set of categories. With
        ``category`` they must identify a row: rows repeating a key are one cell (e.g.
        an area listed under two area types) and must agree.
    total : (column, value), optional
        How a set's total row is marked. None: no breakdown sets.
    category : str
        Column naming the category within a set; rows repeating a full key are one cell.
    margins : sequence of (column, value)
        Further columns whose other values add up to the row holding ``value``.
    parent : (code, parent code, area type), optional
        Rows whose parent code is another row's code add up to it, one set per area
        type. None: no area hierarchy.
    cross : str, optional
        The separator of cross-breakdowns in ``total[0]`` and ``category`` (``"*"``:
        breakdown ``"ethnicity*imd_quintile"``, category ``"Asian*1"``). None: cross
        breakdowns are not linked to their one-way breakdowns.
    derived : sequence of str
        Text columns judged from the value (comparison, trend), blanked when hidden.

    Returns
    -------
    DataFrame
        A copy of ``df`` with counts and denominators rounded (float, NaN when hidden),
        hidden values NaN, and the columns ``suppressed`` (bool) and ``value_note``.

    Raises
    ------
    InputError
        ``df`` is not a DataFrame, has no ``count`` column, has non-numeric or negative
        counts or denominators, has a ``suppressed`` column that is not boolean, or its
        key columns do not identify its rows (repeated keys with different numbers, or
        several total rows for one set).

    References
    ----------
    NHS Digital (2018) *Disclosure control methodology for Hospital Episode Statistics
    (HES) and Emergency Care Data Set (ECDS)*. OpenSAFELY documentation, *Safe outputs:
    disclosure controls* (counts of 7 or fewer redacted, all counts rounded to the
    nearest 5). Hundepool A et al. (2012) *Statistical Disclosure Control*, Wiley,
    chapter 4 (cell suppression in frequency tables). Buzzigoli L, Giusti A (1999) An
    algorithm to calculate the lower and upper bounds of the elements of an array given
    its marginals, *Statistical Data Protection*, Eurostat (the shuttle algorithm).

    Examples
    --------
    >>> df = pd.DataFrame({"breakdown_type": ["total", "imd", "imd", "imd"],
    ...     "category": ["", "1", "2", "3"], "count": [44, 3, 12, 29],
    ...     "denominator": [1021, 150, 372, 499], "value": [4.3, 2.0, 3.2, 5.8]})
    >>> protect(df)[["category", "count", "denominator", "value", "suppressed"]]
      category  count  denominator  value  suppressed
    0            45.0       1020.0    4.3       False
    1        1    NaN        150.0    NaN        True
    2        2    NaN        370.0    NaN        True
    3        3   30.0        500.0    5.8       False
    """
    df = _frame.require_frame(df)
    if not isinstance(rules, DisclosureRules):
        raise InputError(f"rules must be DisclosureRules, got {type(rules).__name__}")
    _frame.require_columns(df, count)
    x = _quantity(df, count)
    n = _quantity(df, denominator) if denominator in df.columns else None
    hide_count = _small(x, rules)
    hide_den = _small(n, rules) if n is not None else np.zeros(len(df), dtype=bool)
    before = _already_suppressed(df)
    hide_count |= hide_den | before
    if rules.secondary and len(df):
        spec = Spec(tuple(siblings), total, category, tuple(margins), parent, cross)
        # Rows suppressed by an earlier protect() have lost their numbers: assume they
        # are large enough, as that protect() made sure.
        lost_x = np.where(before & np.isnan(x), np.inf, x)
        lost_n = np.where(before & np.isnan(n), np.inf, n) if n is not None else None
        hide_count, hide_den = _secondary(
            df, spec, (count, denominator), lost_x, lost_n, hide_count, hide_den, rules
        )
    out = df.copy()
    out[count] = np.where(hide_count, np.nan, _round(x, rules.rounding))
    if n is not None:
        out[denominator] = np.where(hide_den, np.nan, _round(n, rules.rounding))
    for column in [*values, *derived]:
        if column in out.columns and column not in (count, denominator):
            out[column] = out[column].mask(hide_count)
    out["suppressed"] = hide_count
    note = out["value_note"] if "value_note" in out.columns else pd.Series(None, index=out.index)
    out["value_note"] = note.astype(object).mask(hide_count, SUPPRESSED_NOTE)
    return out


def render(
    df: pd.DataFrame,
    *,
    count: str = "count",
    denominator: str = "denominator",
    values: Sequence[str] = VALUES,
) -> pd.DataFrame:
    """Show suppressed numbers as :data:`SUPPRESSED` (``"*"``) for CSV, Excel or HTML.

    In each row that :func:`protect` suppressed, the missing count, denominator and
    values become ``"*"``; those columns become object dtype. Other missing values stay
    missing (blank in a CSV).

    Raises
    ------
    InputError
        ``df`` has no ``suppressed`` column (it has not been through :func:`protect`).

    References
    ----------
    NHS Digital (2018) *Disclosure control methodology for HES and ECDS*: suppressed
    counts are shown as ``*``.

    Examples
    --------
    >>> df = pd.DataFrame({"count": [3, 40], "denominator": [50, 800], "value": [6.0, 5.0]})
    >>> render(protect(df))[["count", "denominator", "value"]]
      count denominator value
    0     *        50.0     *
    1  40.0       800.0   5.0
    """
    df = _frame.require_frame(df)
    if "suppressed" not in df.columns:
        raise InputError("no 'suppressed' column: apply disclosure.protect() first")
    hidden = _already_suppressed(df)
    out = df.copy()
    for column in dict.fromkeys([count, denominator, *values]):
        if column in out.columns:
            missing = out[column].isna().to_numpy()
            cells = out[column].to_numpy(dtype=object, na_value=np.nan)
            cells[hidden & missing] = SUPPRESSED
            out[column] = pd.Series(cells, index=out.index, dtype=object)
    return out


def _quantity(df: pd.DataFrame, column: str) -> np.ndarray:
    values = _frame.numeric(df, column, allow_missing=True)
    _frame.non_negative(df, column, values)
    return values


def _small(values: np.ndarray, rules: DisclosureRules) -> np.ndarray:
    """Counts from 1 to the threshold (any value above 0), and zeros if so configured."""
    small = (values > 0) & (values <= rules.threshold)
    return small | (values == 0) if rules.suppress_zero else small


def _already_suppressed(df: pd.DataFrame) -> np.ndarray:
    if "suppressed" not in df.columns:
        return np.zeros(len(df), dtype=bool)
    flags = df["suppressed"]
    if not pd.api.types.is_bool_dtype(flags.dtype):
        raise InputError("must be true or false", column="suppressed")
    return flags.fillna(False).to_numpy(dtype=bool)


def _round(values: np.ndarray, base: int) -> np.ndarray:
    if base <= 1:
        return values
    return np.floor(values / base + 0.5) * base


def _secondary(
    df: pd.DataFrame,
    spec: Spec,
    names: tuple[str, str],
    x: np.ndarray,
    n: np.ndarray | None,
    hide_count: np.ndarray,
    hide_den: np.ndarray,
    rules: DisclosureRules,
) -> tuple[np.ndarray, np.ndarray]:
    """Run secondary suppression on the table's cells and map the result back to rows."""
    plan = layout(df, spec)
    if not plan.structures:
        return hide_count, hide_den
    cells, n_cells = plan.cell_of_row, plan.n_cells
    spec_count, spec_den = names

    def per_cell(column: str, values: np.ndarray, hidden: np.ndarray) -> Variable:
        if n_cells == len(df):  # every row its own cell
            return Variable(values[plan.first_row], hidden[plan.first_row].copy())
        # Rows repeating a key are one cell (e.g. an area listed under two area types).
        largest, smallest = np.full(n_cells, np.nan), np.full(n_cells, np.nan)
        np.fmax.at(largest, cells, values)
        np.fmin.at(smallest, cells, values)
        differ = largest[cells] != smallest[cells]
        if differ.any():
            raise InputError(
                "rows with the same key have different values, so the key columns do not "
                "identify the table's cells; pass the columns that do as siblings=",
                column=column,
                rows=df.index[differ],
            )
        return Variable(largest, np.bincount(cells, weights=hidden, minlength=n_cells) > 0)

    count = per_cell(spec_count, x, hide_count)
    den = per_cell(spec_den, n, hide_den) if n is not None else None
    lo = 0 if rules.suppress_zero else 1
    secondary(count, den, plan.structures, rules.threshold, lo)
    hidden_den = den.hidden[cells] if den is not None else hide_den
    return count.hidden[cells], hidden_den

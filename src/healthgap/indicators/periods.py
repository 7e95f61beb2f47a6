"""The periods an indicator is computed for: financial and calendar years, flu seasons and
rolling 12 months, each complete within the data window.

A period is labelled as Fingertips labels it (``"2023/24"``, ``"2023"``); flu seasons run
from 1 September to 31 March (``"2023-24"``); rolling 12-month periods end at each quarter
end (``"12 months to Jun 2024"``). The *data window* is the span the records cover. Only
periods lying wholly inside it are computed; its ends are first widened to whole months, so
that a record that opens on 3 April because nothing happened on 1 or 2 April still gives
that financial year.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pandas as pd

from healthgap.errors import InputError
from healthgap.indicators.definition import PERIOD_KINDS

#: Columns of :func:`period_table`.
COLUMNS = ("period_order", "period", "period_start", "period_end", "window_start", "ref_mid")

_MONTHS = tuple(calendar.month_abbr)


def month_start(day: date) -> date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _shift_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _candidates(kind: str, first: date, last: date) -> list[tuple[str, date, date]]:
    years = range(first.year - 1, last.year + 1)
    if kind == "financial_year":
        return [(f"{y}/{(y + 1) % 100:02d}", date(y, 4, 1), date(y + 1, 3, 31)) for y in years]
    if kind == "calendar_year":
        return [(str(y), date(y, 1, 1), date(y, 12, 31)) for y in years]
    if kind == "flu_season":
        return [(f"{y}-{(y + 1) % 100:02d}", date(y, 9, 1), date(y + 1, 3, 31)) for y in years]
    out = []
    for y in years:
        for month in (3, 6, 9, 12):
            end = month_end(date(y, month, 1))
            start = _shift_months(end, -11)
            out.append((f"12 months to {_MONTHS[month]} {y}", start, end))
    return out


def period_table(
    kind: str, first: date, last: date, *, window_days: int | None = None
) -> pd.DataFrame:
    """Every complete period of ``kind`` between ``first`` and ``last`` (the data window).

    Parameters
    ----------
    kind : str
        One of :data:`~healthgap.indicators.definition.PERIOD_KINDS`.
    first, last : date
        The first and last day the records cover; widened to whole months.
    window_days : int, optional
        A numerator look-back: events count from ``period_end - window_days + 1`` (for
        example 3.5 years of cervical screening) instead of from the period start. Only
        periods whose look-back lies within the window are given.

    Returns
    -------
    DataFrame
        One row per period, oldest first: ``period_order`` (0, 1, …), ``period`` (label),
        ``period_start``, ``period_end``, ``window_start`` (first day whose events count)
        and ``ref_mid`` (the middle day: the reference date of rates' populations).

    Raises
    ------
    InputError
        An unknown kind, or no complete period in the window.

    Examples
    --------
    >>> table = period_table("financial_year", date(2021, 4, 3), date(2023, 3, 30))
    >>> print(table[["period", "period_start", "period_end", "ref_mid"]].to_string(index=False))
     period period_start period_end    ref_mid
    2021/22   2021-04-01 2022-03-31 2021-09-30
    2022/23   2022-04-01 2023-03-31 2022-09-30
    >>> period_table("flu_season", date(2021, 4, 1), date(2022, 3, 31))["period"].tolist()
    ['2021-22']
    """
    if kind not in PERIOD_KINDS:
        raise InputError(f"unknown period kind {kind!r}; known: {', '.join(PERIOD_KINDS)}")
    if last < first:
        raise InputError(f"the data window ends ({last}) before it starts ({first})")
    lo, hi = month_start(first), month_end(last)
    rows = []
    for label, start, end in _candidates(kind, lo, hi):
        window = start if window_days is None else end - timedelta(days=window_days - 1)
        if min(start, window) >= lo and end <= hi:
            rows.append((label, start, end, window, start + (end - start) // 2))
    if not rows:
        needs = "" if window_days is None else f" with {window_days} days of events before its end"
        raise InputError(
            f"the records ({first} to {last}) hold no complete {kind.replace('_', ' ')}{needs}"
        )
    table = pd.DataFrame(rows, columns=list(COLUMNS[1:]))
    table.insert(0, "period_order", range(len(table)))
    return table

"""The report's period: a financial year, and which warehouse periods belong to it.

Boards report by financial year, written ``"2025-26"``: 1 April 2025 to 31 March 2026.
Indicators come in other periods too (see :mod:`healthgap.indicators.periods`), so the
rule is one date test that covers them all:

    **An indicator's value for financial year Y is its latest period that ends within
    Y** (``period_end`` from 1 April to 31 March inclusive).

That picks, for each kind of period,

=====================  =================================  =============================
kind                   label                              for 2025-26
=====================  =================================  =============================
financial year         ``"2025/26"``                      the year itself
flu season             ``"2025-26"`` (Sep–Mar)            the season ending March 2026
calendar year          ``"2025"``                         the year ending December 2025
rolling 12 months      ``"12 months to Mar 2026"``        the latest ending in the year
=====================  =================================  =============================

and trends run up to that period: nothing later than the end of the year is shown.
Rows without a ``period_end`` (a table imported without dates) are dated from their
label: ``"2025/26"`` and ``"2025-26"`` end on 31 March 2026, ``"2025"`` on 31 December
2025; other labels without dates are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from healthgap.errors import InputError

_LABEL = re.compile(r"(\d{4})-(\d{2})")
_FINANCIAL = re.compile(r"^(\d{4})[/-](\d{2})$")
_CALENDAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, order=True)
class FinancialYear:
    """April of ``start_year`` to March of the year after.

    Examples
    --------
    >>> year = FinancialYear(2025)
    >>> year.label, year.start, year.end
    ('2025-26', datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
    """

    start_year: int

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def start(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.start_year + 1, 3, 31)

    def __str__(self) -> str:
        return self.label


def parse_period(text: str) -> FinancialYear:
    """``"2025-26"`` (or ``"2025/26"``) as a :class:`FinancialYear`.

    Examples
    --------
    >>> parse_period("2025-26"), parse_period(" 2019/20 ")
    (FinancialYear(start_year=2025), FinancialYear(start_year=2019))
    >>> parse_period("2025-27")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    healthgap.errors.InputError: period '2025-27' is not a financial year: write it as 2025-26 ...
    """
    found = _FINANCIAL.match(text.strip())
    if found is not None:
        year = int(found.group(1))
        if (year + 1) % 100 == int(found.group(2)):
            return FinancialYear(year)
    example = _LABEL.match(text.strip())
    start = int(example.group(1)) if example else 2025
    shown = FinancialYear(start)
    raise InputError(
        f"period {text!r} is not a financial year: write it as {shown.label} "
        f"(April {shown.start_year} to March {shown.start_year + 1})"
    )


def period_ends(periods: pd.DataFrame) -> pd.Series:
    """Each row's last day: ``period_end``, or worked out from ``period`` when missing.

    Examples
    --------
    >>> rows = pd.DataFrame({"period": ["2024/25", "2024", "12 months to Jun 2024"],
    ...                      "period_end": [None, None, None]})
    >>> [str(d.date()) if pd.notna(d) else None for d in period_ends(rows)]
    ['2025-03-31', '2024-12-31', None]
    """
    ends = pd.to_datetime(periods["period_end"], errors="coerce")
    missing = ends.isna().to_numpy()
    if missing.any():
        labels = periods["period"].astype(str).str.strip()
        split = labels.str.extract(r"^(\d{4})[/-]\d{2}$")[0].astype("float64").to_numpy()
        calendar = labels.str.extract(r"^(\d{4})$")[0].astype("float64").to_numpy()
        # Financial years and flu seasons end on 31 March of their second year.
        text = np.where(
            ~np.isnan(split),
            np.char.add(np.nan_to_num(split + 1).astype("int64").astype(str), "-03-31"),
            np.where(
                ~np.isnan(calendar),
                np.char.add(np.nan_to_num(calendar).astype("int64").astype(str), "-12-31"),
                "",
            ),
        )
        guess = pd.to_datetime(pd.Series(text, index=periods.index).replace("", None))
        ends = ends.where(~missing, guess)
    return ends


def year_of(ends: pd.Series) -> np.ndarray:
    """The financial year (its first calendar year) in which each date falls; -1 if none.

    Examples
    --------
    >>> year_of(pd.Series(pd.to_datetime(["2026-03-31", "2025-04-01", "2025-03-31"])))
    array([2025, 2025, 2024])
    """
    dates = pd.to_datetime(ends)
    years = dates.dt.year.to_numpy(dtype="float64", na_value=np.nan)
    months = dates.dt.month.to_numpy(dtype="float64", na_value=np.nan)
    start = np.where(months >= 4, years, years - 1)
    return np.where(np.isnan(start), -1, start).astype("int64")


def available(values: pd.DataFrame) -> list[FinancialYear]:
    """The financial years in which at least one of ``values``' periods ends, oldest first."""
    if values.empty:
        return []
    years = np.unique(year_of(period_ends(values)))
    return [FinancialYear(int(y)) for y in years if y >= 0]


def choose(values: pd.DataFrame, text: str) -> FinancialYear:
    """The financial year ``text`` names, if the warehouse has a period ending in it.

    Raises
    ------
    InputError
        ``text`` is not a financial year, or no period ends in it: the message lists the
        years that are available.
    """
    year = parse_period(text)
    years = available(values)
    if year not in years:
        listed = ", ".join(y.label for y in years) or "none (run `healthgap build`)"
        raise InputError(f"no indicator has a period ending in {year.label}; available: {listed}")
    return year

"""Periods of the engine: labels, dates, the data window and look-back windows."""

from __future__ import annotations

from datetime import date

import pytest

from healthgap.errors import InputError
from healthgap.indicators.periods import COLUMNS, period_table

RECORD = (date(2021, 4, 1), date(2026, 3, 31))


def test_periods_financial_years_in_the_record():
    table = period_table("financial_year", *RECORD)
    assert list(table.columns) == list(COLUMNS)
    assert list(table["period"]) == ["2021/22", "2022/23", "2023/24", "2024/25", "2025/26"]
    assert list(table["period_order"]) == [0, 1, 2, 3, 4]
    first = table.iloc[0]
    assert (first["period_start"], first["period_end"]) == (date(2021, 4, 1), date(2022, 3, 31))
    assert first["ref_mid"] == date(2021, 9, 30)
    assert (table["window_start"] == table["period_start"]).all()


def test_periods_calendar_years_are_only_whole_years():
    table = period_table("calendar_year", *RECORD)
    assert list(table["period"]) == ["2022", "2023", "2024", "2025"]
    assert table.iloc[-1]["period_end"] == date(2025, 12, 31)
    assert table.iloc[0]["ref_mid"] == date(2022, 7, 2)


def test_periods_flu_seasons_run_september_to_march():
    table = period_table("flu_season", *RECORD)
    assert list(table["period"]) == ["2021-22", "2022-23", "2023-24", "2024-25", "2025-26"]
    season = table.iloc[2]
    assert (season["period_start"], season["period_end"]) == (date(2023, 9, 1), date(2024, 3, 31))


def test_periods_rolling_twelve_months_end_each_quarter():
    table = period_table("rolling_12_months", *RECORD)
    assert len(table) == 17
    assert table.iloc[0]["period"] == "12 months to Mar 2022"
    assert table.iloc[1]["period"] == "12 months to Jun 2022"
    assert (table.iloc[1]["period_start"], table.iloc[1]["period_end"]) == (
        date(2021, 7, 1),
        date(2022, 6, 30),
    )
    assert table.iloc[-1]["period"] == "12 months to Mar 2026"
    assert table.iloc[3]["period_end"] == date(2022, 12, 31)


def test_periods_window_is_widened_to_whole_months():
    # Nothing recorded on the first and last days still gives the two years.
    table = period_table("financial_year", date(2022, 4, 3), date(2024, 3, 29))
    assert list(table["period"]) == ["2022/23", "2023/24"]


def test_periods_look_back_must_fit_in_the_record():
    table = period_table("financial_year", *RECORD, window_days=1096)  # three years
    assert list(table["period"]) == ["2023/24", "2024/25", "2025/26"]
    first = table.iloc[0]
    assert first["window_start"] == date(2021, 4, 1)  # 1096 days before 31 March 2024
    assert (first["period_end"] - first["window_start"]).days == 1095


def test_periods_errors():
    with pytest.raises(InputError, match="unknown period kind 'weekly'"):
        period_table("weekly", *RECORD)
    with pytest.raises(InputError, match="no complete financial year"):
        period_table("financial_year", date(2021, 4, 1), date(2022, 1, 31))
    with pytest.raises(InputError, match=r"ends .* before it starts"):
        period_table("financial_year", date(2022, 4, 1), date(2021, 1, 31))

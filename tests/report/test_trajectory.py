"""Off-target outcomes: the latest value against the straight path from baseline to target."""

from __future__ import annotations

from datetime import date

import numpy as np

from healthgap.report.trajectory import expected, off_target

NAN = np.nan
START, DUE = date(2024, 4, 1).toordinal(), date(2026, 4, 1).toordinal()  # 730 days
MIDWAY = date(2025, 4, 1).toordinal()  # 365 days in: half-way


def _judge(value, baseline, target, at, higher=1.0):
    off, assessed, path = off_target(
        np.array([value]), np.array([baseline]), np.array([target]), np.array([START]),
        np.array([DUE]), np.array([at]), np.array([higher]),
    )  # fmt: skip
    return bool(off[0]), bool(assessed[0]), float(path[0])


def test_half_way_the_path_is_half_way_between_baseline_and_target():
    # 60 → 70 over 730 days; 365 days in the path stands at 60 + 10 × 365/730 = 65.
    assert expected(np.array([60.0]), np.array([70.0]), np.array([START]), np.array([DUE]),
                    np.array([MIDWAY]))[0] == 65.0  # fmt: skip


def test_uptake_below_its_path_is_off_target_and_above_it_is_not():
    assert _judge(64.0, 60.0, 70.0, MIDWAY) == (True, True, 65.0)
    assert _judge(65.5, 60.0, 70.0, MIDWAY) == (False, True, 65.0)


def test_a_falling_target_flags_values_above_the_path():
    # Smoking 20% → 10%: half-way the path is 15%; 16% is behind, 14% ahead.
    assert _judge(16.0, 20.0, 10.0, MIDWAY, higher=0.0)[0] is True
    assert _judge(14.0, 20.0, 10.0, MIDWAY, higher=0.0)[0] is False


def test_without_a_baseline_only_a_passed_target_date_is_judged():
    assert _judge(50.0, NAN, 70.0, MIDWAY) == (False, False, 70.0)
    later = date(2026, 6, 30).toordinal()
    assert _judge(69.0, NAN, 70.0, later) == (True, True, 70.0)  # missed the target
    assert _judge(71.0, NAN, 70.0, later)[0] is False


def test_nothing_to_judge_is_not_assessed():
    assert _judge(NAN, 60.0, 70.0, MIDWAY)[1] is False  # no value in the period
    assert _judge(65.0, 60.0, NAN, MIDWAY)[1] is False  # no target
    # No baseline and no direction (a prevalence): the aim is unknown.
    assert _judge(65.0, NAN, 70.0, date(2027, 1, 1).toordinal(), higher=NAN)[1] is False

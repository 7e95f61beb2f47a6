"""Core20PLUS5 on hand-made records: every figure against pandas and hand calculation."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from healthgap.disclosure import DisclosureRules
from healthgap.errors import InputError
from healthgap.targeting.core20plus5 import core20plus5
from healthgap.workspace import init_workspace

from ._people import D1, D2, D8, NOWHERE, YEAR_END, YEAR_START, age_on, deciles, events, person
from ._people import workspace as make_workspace

Z = 1.959963984540054

PERSONS = [
    # Severe mental illness: 1-3, 7-11 checked in 2024/25; 4 only in 2023/24.
    person(1, "1970-05-01", D1, smi=True, ethnicity="Asian"),
    person(2, "1980-05-01", D1, smi=True, ethnicity="Asian"),
    person(3, "1990-05-01", D2, smi=True, ethnicity="Black"),
    person(4, "1960-05-01", D2, smi=True),
    person(5, "1975-05-01", D1, smi=True, homeless=True),
    person(6, "1985-05-01", D2, smi=True, carer=True),
    person(7, "1970-05-01", D8, smi=True, ethnicity="Asian"),
    person(8, "1980-05-01", D8, smi=True, ethnicity="Asian"),
    person(9, "1990-05-01", D8, smi=True, ethnicity="Black"),
    person(10, "1960-05-01", D8, smi=True, ethnicity="Mixed"),
    person(11, "1975-05-01", D8, smi=True, homeless=True),
    person(12, "1985-05-01", D8, smi=True, carer=True),
    person(13, "1970-05-01", D1, smi=True, left="2025-01-10"),  # dies 10 January 2025
    person(14, "2007-06-01", D1, smi=True),  # 17 at the year's end
    person(15, "1970-05-01", D8, smi=True, left="2024-12-31"),  # moves away
    person(16, "1970-05-01", NOWHERE, smi=True),  # an LSOA outside the reference
    # COPD (diagnosed 2019): flu vaccinations in the 2024-25 season for 20, 23, 25-28.
    person(20, "1950-01-01", D1, sex="M"),
    person(21, "1952-01-01", D1),
    person(22, "1954-01-01", D2),
    person(23, "1956-01-01", D2, ethnicity="Asian"),
    person(24, "1958-01-01", D1, ld=True),
    person(25, "1950-01-01", D8),
    person(26, "1952-01-01", D8),
    person(27, "1954-01-01", D8, ethnicity="Black"),
    person(28, "1956-01-01", D8),
    person(29, "1958-01-01", D8, ld=True),
    person(30, "1950-01-01", D8),  # COPD diagnosed after the year
    # Everyone else.
    person(40, "2000-01-01", D1, carer=True),
    person(41, "2010-01-01", D2, ethnicity="Other"),
    person(42, "1995-01-01", D8, ld=True),
    person(43, "1965-01-01", D8, ethnicity=None),
]
SMI_CHECKED = [1, 2, 3, 7, 8, 9, 10, 11, 13, 14, 15, 16]
EVENTS = events(
    *((p, "2024-06-01", "smi_health_check") for p in SMI_CHECKED),
    (4, "2023-06-01", "smi_health_check"),
    (13, "2025-01-10", "death"),
    *((p, "2019-01-01", "copd") for p in range(20, 30)),
    (30, "2025-04-15", "copd"),
    *((p, "2024-10-01", "flu_vaccination") for p in (20, 23, 25, 26, 27)),
    (28, "2025-03-31", "flu_vaccination"),
    (21, "2024-08-15", "flu_vaccination"),  # before the season
    (22, "2023-10-01", "flu_vaccination"),  # the season before
    (30, "2024-10-01", "flu_vaccination"),
)


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    folder = tmp_path_factory.mktemp("core20")
    return core20plus5(make_workspace(folder, PERSONS, EVENTS))


def _frames():
    persons = pd.DataFrame(PERSONS)
    decile = persons["lsoa_code"].map(deciles())
    persons["core20"] = np.where(decile.isna(), "Unknown", np.where(decile <= 2, "Core20", "Rest"))
    deaths = EVENTS[EVENTS["concept"] == "death"].set_index("person_id")["date"]
    died = persons["person_id"].map(deaths)
    left = persons["registered_to"]
    persons["on_register"] = (left.isna() | (left >= YEAR_END)) & (died.isna() | (died > YEAR_END))
    persons["age"] = age_on(persons["birth_date"], YEAR_END)
    return persons


def _had(concept, start, end):
    e = EVENTS[(EVENTS["concept"] == concept) & (EVENTS["date"] >= start) & (EVENTS["date"] <= end)]
    return set(e["person_id"])


def _wilson(x, n):
    p = x / n
    root = Z * np.sqrt(Z**2 + 4 * x * (1 - p))
    return (2 * x + Z**2 - root) / (2 * (n + Z**2)), (2 * x + Z**2 + root) / (2 * (n + Z**2))


def _expected_gap(x1, n1, x2, n2):
    p1, p2 = x1 / n1, x2 / n2
    (l1, u1), (l2, u2) = _wilson(x1, n1), _wilson(x2, n2)
    d = p1 - p2
    return 100 * np.array([d, d - np.hypot(p1 - l1, u2 - p2), d + np.hypot(u1 - p1, p2 - l2)])


def _row(result, measure, group):
    rows = result.rates[(result.rates["measure"] == measure) & (result.rates["group"] == group)]
    assert len(rows) == 1, (measure, group)
    return rows.iloc[0]


def test_core20plus5_population_counts_people_on_the_register(result):
    persons = _frames()
    present = persons[persons["on_register"]]
    population = result.population.set_index("group")
    assert population.loc["All", "count"] == len(present)
    core20 = (present["core20"] == "Core20").sum()
    assert population.loc["Core20", "count"] == core20
    assert result.core20_count == core20
    assert result.core20_share == pytest.approx(100 * core20 / len(present), rel=1e-12)
    assert population.loc["Learning disability", "count"] == present["learning_disability"].sum()
    assert population.loc["Unpaid carers", "count"] == present["carer"].sum()
    minority = present["ethnicity"].isin(["Asian", "Black", "Mixed", "Other"]).sum()
    assert population.loc["Ethnic minority groups", "count"] == minority
    assert result.period == "2024/25"
    assert result.reference_date == YEAR_END


def test_core20plus5_smi_health_checks_match_pandas(result):
    persons = _frames()
    eligible = persons[persons["on_register"] & persons["severe_mental_illness"]
                       & (persons["age"] >= 18)]  # fmt: skip
    checked = eligible["person_id"].isin(_had("smi_health_check", YEAR_START, YEAR_END))
    for group, mask in (("All", slice(None)), ("Core20", eligible["core20"] == "Core20")):
        row = _row(result, "smi_health_check", group)
        assert row["count"] == checked[mask].sum()
        assert row["denominator"] == len(eligible[mask])
    rest = eligible["core20"] == "Rest"
    core20 = _row(result, "smi_health_check", "Core20")
    assert core20["comparator_count"] == checked[rest].sum()
    assert core20["comparator_denominator"] == rest.sum()
    x1, n1 = checked[eligible["core20"] == "Core20"].sum(), (eligible["core20"] == "Core20").sum()
    x2, n2 = checked[rest].sum(), rest.sum()
    expected = _expected_gap(x1, n1, x2, n2)
    got = core20[["gap", "gap_lower_ci", "gap_upper_ci"]].to_numpy(dtype=float)
    np.testing.assert_allclose(got, expected, rtol=1e-9)
    assert core20["rate"] == pytest.approx(100 * x1 / n1, rel=1e-12)
    assert core20["ambition"] == 60
    assert core20["met"] == (100 * x1 / n1 >= 60)


def test_core20plus5_smi_hand_counts(result):
    # By hand: on the register, 18+, SMI: 1-12 and 16 (13 died, 14 is 17, 15 moved away).
    # Core20 (1-6): checked 1, 2, 3 → 3/6. Rest (7-12): 7-11 → 5/6. Unknown LSOA: 16.
    core20 = _row(result, "smi_health_check", "Core20")
    assert (core20["count"], core20["denominator"]) == (3, 6)
    assert (core20["comparator_count"], core20["comparator_denominator"]) == (5, 6)
    everyone = _row(result, "smi_health_check", "All")
    assert (everyone["count"], everyone["denominator"]) == (9, 13)
    assert everyone["met"]  # 9/13 = 69.2%, above the 60% ambition
    homeless = _row(result, "smi_health_check", "People experiencing homelessness")
    assert (homeless["count"], homeless["denominator"]) == (1, 2)  # 11 checked, 5 not
    assert (homeless["comparator_count"], homeless["comparator_denominator"]) == (8, 11)
    minority = _row(result, "smi_health_check", "Ethnic minority groups")
    assert (minority["count"], minority["denominator"]) == (7, 7)  # 1, 2, 3, 7, 8, 9, 10
    assert (minority["comparator_count"], minority["comparator_denominator"]) == (2, 6)
    assert "Severe mental illness" not in set(
        result.rates.loc[result.rates["measure"] == "smi_health_check", "group"]
    )


def test_core20plus5_copd_flu_uses_the_season(result):
    persons = _frames()
    copd = set(EVENTS.loc[(EVENTS["concept"] == "copd") & (EVENTS["date"] <= YEAR_END),
                          "person_id"])  # fmt: skip
    eligible = persons[persons["on_register"] & persons["person_id"].isin(copd)]
    vaccinated = eligible["person_id"].isin(_had("flu_vaccination", date(2024, 9, 1), YEAR_END))
    row = _row(result, "copd_flu_vaccination", "Core20")
    is_core20 = eligible["core20"] == "Core20"
    assert row["period"] == "2024-25"
    assert (row["count"], row["denominator"]) == (vaccinated[is_core20].sum(), is_core20.sum())
    assert (row["count"], row["denominator"]) == (2, 5)  # 20 and 23 of 20-24
    assert (row["comparator_count"], row["comparator_denominator"]) == (4, 5)  # 25-28 of 25-29
    ld = _row(result, "copd_flu_vaccination", "Learning disability")
    assert (ld["count"], ld["denominator"], ld["comparator_count"]) == (0, 2, 6)
    assert pd.isna(ld["met"]) and pd.isna(ld["ambition"])


def test_core20plus5_lists_what_the_data_cannot_support(result):
    reasons = {(u.area, u.item): u.reason for u in result.unsupported}
    areas = {u.area for u in result.unsupported}
    assert "maternity" in areas
    assert any("stage 1 or 2" in item for _, item in reasons)
    screening = [r for (_, item), r in reasons.items() if "Cervical" in item]
    assert screening == ["no 'cervical_screening' events in the data"]
    assert not any(m.startswith("cervical") for m in result.rates["measure"])
    assert set(result.rates["area"]) == {"severe_mental_illness", "chronic_respiratory_disease"}


def test_core20plus5_protected_rounds_and_suppresses(result):
    rules = DisclosureRules(threshold=2, rounding=1)
    protected = result.protected(rules)
    smi = protected[protected["measure"] == "smi_health_check"]
    homeless = smi[smi["group"] == "People experiencing homelessness"].iloc[0]
    assert homeless["suppressed"] and pd.isna(homeless["rate"]) and pd.isna(homeless["gap"])
    # Secondary suppression: the comparator (Others) would give the hidden count away.
    assert homeless["comparator_suppressed"] and pd.isna(homeless["comparator_count"])
    shown = protected[~protected["suppressed"]]
    raw = result.rates.loc[shown.index]
    np.testing.assert_array_equal(shown["count"], raw["count"])  # rounding 1: unchanged
    default = result.protected()
    counts = default["count"].dropna()
    assert ((counts % 5) == 0).all() and not (counts.between(1, 7)).any()
    assert default.loc[default["suppressed"], "rate"].isna().all()


def test_core20plus5_period_must_be_a_complete_financial_year(tmp_path):
    ws = make_workspace(tmp_path, PERSONS, EVENTS)
    earlier = core20plus5(ws, period="2023-24")
    assert earlier.period == "2023/24"
    row = _row(earlier, "smi_health_check", "All")
    assert row["count"] == 1  # person 4, on 2023-06-01
    with pytest.raises(InputError, match="no complete financial year '2025/26'"):
        core20plus5(ws, period="2025/26")
    with pytest.raises(InputError, match="no complete financial year 'last'"):
        core20plus5(ws, period="last")


def test_core20plus5_needs_a_place(tmp_path):
    ws = make_workspace(tmp_path, PERSONS, EVENTS)
    bare = init_workspace(tmp_path / "bare", persons=ws.persons, events=ws.events)
    with pytest.raises(InputError, match="area_codes"):
        core20plus5(bare)

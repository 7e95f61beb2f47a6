"""Segmentation on hand-made records: each person's segment under both rule sets, and the
segment sizes by decile, ethnic group and MSOA against pandas."""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd
import pytest

from healthgap.disclosure import DisclosureRules
from healthgap.errors import InputError
from healthgap.indicators.engine import quiet
from healthgap.reference.lsoa import lsoas
from healthgap.targeting._data import Year, open_records
from healthgap.targeting.segment_rules import BridgesRules, NeedTierRules
from healthgap.targeting.segments import features, segments

from ._people import D1, D2, D8, NOWHERE, YEAR_END, YEAR_START, events, person
from ._people import workspace as make_workspace

# person, Bridges to Health segment, need tier (financial year 2024/25).
EXPECTED = {
    1: ("healthy", "universal"),  # 30, nothing recorded
    2: ("maternal_infant", "universal"),  # born 1 October 2023: under one in the year
    3: ("acutely_ill", "targeted"),  # one emergency admission, no condition
    4: ("chronic", "targeted"),  # hypertension
    5: ("chronic", "targeted"),  # severe mental illness (a PLUS flag)
    6: ("disability", "targeted"),  # learning disability and asthma
    7: ("short_decline", "universal"),  # died at 60 without a condition
    8: ("organ_failure", "targeted"),  # COPD and an emergency admission
    9: ("organ_failure", "targeted"),  # CHD, died
    10: ("frailty", "targeted"),  # 88 with hypertension and diabetes
    11: ("healthy", "universal"),  # 88 and well
    12: ("frailty", "universal"),  # died at 90 without a condition
    13: ("chronic", "targeted"),  # COPD, no admission
    16: ("healthy", "universal"),  # an admission the year before only
    17: ("chronic", "targeted"),  # asthma and an admission: chronic before acute
    18: ("frailty", "universal"),  # dementia (not a counted condition)
    19: ("healthy", "universal"),  # LSOA outside the reference
    20: ("chronic", "specialist"),  # 75, three conditions incl. CHD, no admission
    21: ("acutely_ill", "specialist"),  # two emergency admissions
    22: ("healthy", "targeted"),  # an unpaid carer
}
PERSONS = [
    person(1, "1994-06-01", D1),
    person(2, "2023-10-01", D1, ethnicity="Asian"),
    person(3, "1984-06-01", D2, ethnicity="Asian"),
    person(4, "1974-06-01", D2),
    person(5, "1994-06-01", D8, smi=True, ethnicity="Black"),
    person(6, "1999-06-01", D8, ld=True),
    person(7, "1964-06-01", D1, left="2024-11-01"),
    person(8, "1954-06-01", D1, sex="M"),
    person(9, "1954-06-01", D8, left="2024-12-01"),
    person(10, "1936-06-01", D8),
    person(11, "1936-06-01", D2, ethnicity="Mixed"),
    person(12, "1934-06-01", D8, left="2025-02-01"),
    person(13, "1954-06-01", D8),
    person(14, "1950-06-01", D1, left="2024-01-01"),  # died before the year
    person(15, "1980-06-01", D1, left="2024-03-31"),  # moved away before the year
    person(16, "1980-06-01", D2, ethnicity=None),
    person(17, "1979-06-01", D8),
    person(18, "1964-06-01", D1),
    person(19, "1990-06-01", NOWHERE),
    person(20, "1949-06-01", D2, sex="M"),
    person(21, "1989-06-01", D8),
    person(22, "1970-06-01", D1, carer=True),
]
EVENTS = events(
    (3, "2024-07-01", "emergency_admission"),
    (4, "2020-01-01", "hypertension"),
    (6, "2010-01-01", "asthma"),
    (7, "2024-11-01", "death"),
    (8, "2019-01-01", "copd"),
    (8, "2025-01-15", "emergency_admission"),
    (9, "2018-01-01", "chd"),
    (9, "2024-12-01", "death"),
    (10, "2015-01-01", "hypertension"),
    (10, "2016-01-01", "diabetes"),
    (12, "2025-02-01", "death"),
    (13, "2019-01-01", "copd"),
    (14, "2024-01-01", "death"),
    (16, "2023-06-01", "emergency_admission"),
    (17, "2005-01-01", "asthma"),
    (17, "2024-05-01", "emergency_admission"),
    (18, "2023-01-01", "dementia"),
    (20, "2010-01-01", "hypertension"),
    (20, "2012-01-01", "diabetes"),
    (20, "2014-01-01", "chd"),
    (21, "2024-05-01", "emergency_admission"),
    (21, "2024-09-01", "emergency_admission"),
    (1, "2021-04-01", "flu_vaccination"),  # opens the record
    (1, "2025-04-15", "flu_vaccination"),  # the records end in April 2025
)


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    return make_workspace(tmp_path_factory.mktemp("segments"), PERSONS, EVENTS)


def _assigned(ws, rules):
    with quiet():
        records = open_records(ws, ibis.duckdb.connect(), rules.concepts)
        t = features(records, rules, Year("2024/25", YEAR_START, YEAR_END))
        t = t.mutate(segment=rules.assign(t))
        out = t.select("person_id", "segment").to_pandas()
    return dict(zip(out["person_id"], out["segment"], strict=True))


@pytest.mark.parametrize(("rules", "column"), [(BridgesRules(), 0), (NeedTierRules(), 1)])
def test_segments_each_person_gets_the_expected_segment(ws, rules, column):
    assert _assigned(ws, rules) == {pid: pair[column] for pid, pair in EXPECTED.items()}


def test_segments_thresholds_are_configurable(ws):
    strict = _assigned(ws, NeedTierRules(specialist_ltcs=2, targeted_plus=2))
    assert strict[10] == "specialist"  # two conditions
    assert strict[5] == "universal" and strict[22] == "universal"  # one PLUS flag only
    young = _assigned(ws, BridgesRules(frailty_age=95, frailty_conditions=()))
    assert young[10] == "chronic" and young[12] == "short_decline" and young[18] == "healthy"


@pytest.mark.parametrize("name", ["bridges", "need_tiers"])
def test_segments_sizes_by_breakdown_match_pandas(ws, name):
    column = 0 if name == "bridges" else 1
    result = segments(ws, rules=name)
    assert result.period == "2024/25"
    people = pd.DataFrame(PERSONS).set_index("person_id").loc[list(EXPECTED)]
    people["segment"] = [EXPECTED[p][column] for p in people.index]
    ref = lsoas().set_index("lsoa_code")
    decile = people["lsoa_code"].map(ref["imd_decile"]).astype(object)
    people["imd_decile"] = [("Unknown" if pd.isna(d) else str(int(d))) for d in decile]
    people["msoa"] = people["lsoa_code"].map(ref["msoa_code"]).astype(object).fillna("Unknown")
    people["ethnicity"] = people["ethnicity"].fillna("Unknown")
    sizes = result.sizes
    assert result.population == len(people)
    for kind, key in (("imd_decile", "imd_decile"), ("ethnicity", "ethnicity"), ("msoa", "msoa")):
        expected = people.groupby([key, "segment"]).size()
        got = sizes[(sizes["breakdown_type"] == kind) & (sizes["segment"] != "All")]
        got = got[got["count"] > 0].set_index(["category", "segment"])["count"]
        assert got.sort_index().to_dict() == expected.sort_index().astype(float).to_dict()
        everyone = sizes[(sizes["breakdown_type"] == kind) & (sizes["segment"] == "All")]
        assert everyone["count"].sum() == len(people)
    total = sizes[sizes["breakdown_type"] == "total"].set_index("segment")
    labels = [key for key, _ in result.rules.SEGMENTS]
    assert list(total.index) == [*labels, "All"]  # every segment, zeros included
    np.testing.assert_allclose(total["share"], 100 * total["count"] / len(people))


def test_segments_protected_rounds_and_suppresses(ws):
    result = segments(ws, rules="need_tiers")
    protected = result.protected(DisclosureRules(threshold=3, rounding=5), by="imd_decile")
    assert set(protected["breakdown_type"]) == {"total", "imd_decile"}
    counts = protected["count"].dropna()
    assert (counts % 5 == 0).all()
    hidden = protected["suppressed"].to_numpy()
    assert hidden.any()
    assert protected.loc[hidden, "share"].isna().all()
    raw = result.table("imd_decile")["count"].to_numpy()
    small = (raw >= 1) & (raw <= 3)
    assert hidden[small].all()


def test_segments_reports_what_the_rules_could_not_use(ws):
    notes = segments(ws, rules=BridgesRules(frailty_conditions=("frailty",))).notes
    assert "no 'frailty' events in the data: nobody has it" in notes


def test_segments_rejects_bad_input(ws):
    with pytest.raises(InputError, match="unknown segment rules 'tiers'"):
        segments(ws, rules="tiers")
    with pytest.raises(InputError, match="no complete financial year '2025/26'"):
        segments(ws, period="2025/26")
    with pytest.raises(InputError, match="unknown breakdown 'lsoa'"):
        segments(ws).table("lsoa")

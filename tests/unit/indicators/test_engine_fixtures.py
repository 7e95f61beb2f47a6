"""Person-level records for the engine's tests: a 20-person population written by hand, a
seeded random population, and an independent (row-by-row, pandas) reading of the
population rules, to check the engine against.

The module holds no tests; the engine's test modules (unit and integration) import it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from healthgap.indicators.definition import Indicator, Numerator, Population

#: Luton LSOAs (2021) and their national IMD 2025 deciles.
LSOAS = {
    "E01015698": 1,
    "E01015701": 2,
    "E01015700": 3,
    "E01015712": 4,
    "E01015718": 5,
    "E01015714": 6,
    "E01015694": 7,
    "E01015693": 8,
    "E01015708": 9,
}
PLACE = ("E06000032", "Luton")
FLAGS = ("learning_disability", "severe_mental_illness", "carer", "homeless")
WINDOW = (date(2022, 4, 1), date(2024, 3, 31))  # two financial years: 2022/23, 2023/24

_PERSONS = pa.schema(
    [
        ("person_id", pa.int64()),
        ("sex", pa.string()),
        ("birth_date", pa.date32()),
        ("ethnicity", pa.string()),
        ("lsoa_code", pa.string()),
        ("practice_code", pa.string()),
        *((flag, pa.bool_()) for flag in FLAGS),
        ("registered_from", pa.date32()),
        ("registered_to", pa.date32()),
    ]
)
_EVENTS = pa.schema(
    [
        ("person_id", pa.int64()),
        ("date", pa.date32()),
        ("concept", pa.string()),
        ("value", pa.string()),
    ]
)


def write(
    folder: Path, persons: pd.DataFrame, events: pd.DataFrame, *, synthetic: bool = False
) -> tuple[Path, Path]:
    """Write ``persons.parquet`` and ``events.parquet`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    meta = {b"healthgap.synthetic": b"true"} if synthetic else None
    paths = folder / "persons.parquet", folder / "events.parquet"
    for frame, schema, path in ((persons, _PERSONS, paths[0]), (events, _EVENTS, paths[1])):
        schema = pa.schema([f for f in schema if f.name in frame.columns])
        table = pa.Table.from_pandas(frame[schema.names], schema=schema, preserve_index=False)
        pq.write_table(table.replace_schema_metadata(meta), path)
    return paths


def d(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def small_population() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Twenty people in four deciles (1, 2, 5, 9), with joiners, leavers, deaths, a
    birthday on a period end, flags, flu vaccinations, admissions and diabetes."""
    rows = [
        # id, sex, born, ethnicity, decile, practice, carer, from, to
        (1, "F", "1950-05-01", "White", 1, "P1", False, "2022-04-01", None),
        (2, "M", "1955-03-31", "Asian", 1, "P1", False, "2022-04-01", None),  # 68 on 31 Mar 2023
        (3, "F", "1958-04-01", "Black", 1, "P2", True, "2022-04-01", None),  # 65 on 1 Apr 2023
        (4, "M", "1990-07-15", "White", 1, "P2", False, "2022-04-01", None),
        (5, "F", "2010-01-01", "Mixed", 1, "P1", False, "2022-04-01", None),
        (6, "M", "1945-12-12", "White", 2, "P1", True, "2022-04-01", None),  # dies 2022-12-01
        (7, "F", "1940-02-02", "Asian", 2, "P1", False, "2022-04-01", None),  # dies 2023-10-10
        (8, "M", "1970-06-06", "Other", 2, "P2", False, "2023-01-01", None),  # joins
        (9, "F", "1985-08-08", "White", 2, "P2", False, "2022-04-01", "2023-06-30"),  # leaves
        (10, "M", "1957-03-31", "White", 2, "P1", False, "2022-04-01", None),  # 66 on 31 Mar 2023
        (11, "F", "1952-11-11", "Black", 5, "P3", False, "2022-04-01", None),
        (12, "M", "1960-01-20", "White", 5, "P3", False, "2022-04-01", None),
        (13, "F", "2000-09-09", "Asian", 5, "P3", True, "2022-04-01", None),
        (14, "M", "1948-04-30", "White", 5, "P3", False, "2022-04-01", None),
        (15, "F", "1975-10-10", "Mixed", 5, "P2", False, "2022-04-01", None),
        (16, "M", "1951-06-21", "White", 9, "P3", False, "2022-04-01", None),
        (17, "F", "1949-01-01", "White", 9, "P3", False, "2022-04-01", None),
        (18, "M", "1995-02-28", "Asian", 9, "P1", False, "2022-04-01", None),
        (19, "F", "1959-03-31", "White", 9, "P1", False, "2022-04-01", None),  # 64, then 65
        (20, "M", "1944-07-07", "Black", 9, "P2", True, "2022-04-01", None),
    ]
    code = {decile: lsoa for lsoa, decile in LSOAS.items()}
    persons = pd.DataFrame(
        {
            "person_id": [r[0] for r in rows],
            "sex": [r[1] for r in rows],
            "birth_date": [d(r[2]) for r in rows],
            "ethnicity": [r[3] for r in rows],
            "lsoa_code": [code[r[4]] for r in rows],
            "practice_code": [r[5] for r in rows],
            "learning_disability": False,
            "severe_mental_illness": [r[0] == 13 for r in rows],
            "carer": [r[6] for r in rows],
            "homeless": False,
            "registered_from": [d(r[7]) for r in rows],
            "registered_to": [d(r[8]) for r in rows],
        }
    )
    events = [
        (6, "2022-12-01", "death", None),
        (7, "2023-10-10", "death", None),
        # flu vaccinations (2022/23 and 2023/24)
        *((p, "2022-10-15", "flu_vaccination", None) for p in (1, 2, 6, 7, 10, 11, 14, 16, 17)),
        (1, "2022-11-20", "flu_vaccination", None),  # a second dose counts once
        *((p, "2023-10-20", "flu_vaccination", None) for p in (1, 3, 11, 12, 14, 16, 17, 19, 20)),
        (8, "2022-11-01", "flu_vaccination", None),  # before joining: not in 2022/23's 65+
        # emergency admissions
        *((p, "2022-06-01", "emergency_admission", None) for p in (1, 4, 4, 6, 9, 13, 18)),
        *((p, "2023-08-01", "emergency_admission", None) for p in (2, 2, 5, 11, 16, 20)),
        # diabetes (first record counts)
        (1, "2015-01-01", "diabetes", None),
        (12, "2022-09-01", "diabetes", None),
        (12, "2023-09-01", "diabetes", None),
        (17, "2024-01-01", "diabetes", None),
        (4, "2024-04-02", "diabetes", None),  # after the window
        # values for a mean (the latest in the year; text that is not a number is ignored)
        (1, "2022-05-01", "bmi", "31.5"),
        (1, "2022-12-01", "bmi", "30.0"),
        (4, "2023-01-10", "bmi", "24.2"),
        (11, "2022-07-07", "bmi", "27.0"),
        (11, "2023-07-07", "bmi", "28.0"),
        (16, "2023-05-05", "bmi", "22.5"),
        (16, "2023-05-05", "bmi", "23.5"),  # same day: the larger
        (17, "2023-06-06", "bmi", "n/a"),
    ]
    frame = pd.DataFrame(events, columns=["person_id", "date", "concept", "value"])
    frame["date"] = [d(x) for x in frame["date"]]
    return persons, frame


def random_population(n: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` people over 2021-04-01 … 2026-03-31, some born during it, with deaths
    (Gompertz mortality, graded by deprivation), admissions, flu vaccinations, diabetes
    and BMI values."""
    rng = np.random.default_rng(seed)
    lsoas = np.array(list(LSOAS))
    deciles = np.array(list(LSOAS.values()))
    where = rng.integers(0, len(lsoas), n)
    start, stop = np.datetime64("2021-04-01"), np.datetime64("2026-03-31")
    born = stop - rng.integers(0, 105 * 365, n).astype("timedelta64[D]")
    joined = np.maximum(born, start)
    leave = rng.random(n) < 0.05
    left = joined + rng.integers(30, 1800, n).astype("timedelta64[D]")
    leave &= left < stop
    end = np.where(leave, left, stop)
    # Gompertz hazard per year, from the age at joining, 1.5 times higher in decile 1.
    age = (joined - born).astype(int) / 365.25
    hazard = (0.00003 * np.exp(0.1 * age) + 0.0005) * (1.55 - deciles[where] / 18)
    death = joined + (rng.exponential(1 / hazard) * 365.25).astype("timedelta64[D]")
    dies = death <= end
    end = np.where(dies, death, end)
    persons = pd.DataFrame(
        {
            "person_id": np.arange(1, n + 1),
            "sex": np.where(rng.random(n) < 0.5, "F", "M"),
            "birth_date": born.astype(object),
            "ethnicity": rng.choice(
                ["White", "Asian", "Black", "Mixed", "Other"], n, p=[0.6, 0.2, 0.1, 0.05, 0.05]
            ),
            "lsoa_code": lsoas[where],
            "practice_code": np.array(["P1", "P2", "P3"])[rng.integers(0, 3, n)],
            "learning_disability": rng.random(n) < 0.02,
            "severe_mental_illness": rng.random(n) < 0.03,
            "carer": rng.random(n) < 0.1,
            "homeless": rng.random(n) < 0.01,
            "registered_from": joined.astype(object),
            "registered_to": [
                x if stay else None
                for x, stay in zip(end.astype(object), leave | dies, strict=True)
            ],
        }
    )
    events = [
        pd.DataFrame(
            {
                "person_id": persons["person_id"][dies],
                "date": death[dies],
                "concept": "death",
                "value": None,
            }
        )
    ]
    span = (end - joined).astype(int)
    for concept, count in (("emergency_admission", 2 * n), ("flu_vaccination", n)):
        who = rng.integers(0, n, count)
        when = joined[who] + (rng.random(count) * span[who]).astype("timedelta64[D]")
        ok = (when - born[who]).astype(int) > (50 * 365 if concept == "flu_vaccination" else 0)
        events.append(
            pd.DataFrame(
                {"person_id": who[ok] + 1, "date": when[ok], "concept": concept, "value": None}
            )
        )
    sick = rng.random(n) < 0.1
    onset = born + (rng.random(n) * (end - born).astype(int)).astype("timedelta64[D]")
    events.append(
        pd.DataFrame(
            {
                "person_id": persons["person_id"][sick],
                "date": onset[sick],
                "concept": "diabetes",
                "value": None,
            }
        )
    )
    measured = rng.random(n) < 0.3
    when = joined + (rng.random(n) * span).astype("timedelta64[D]")
    bmi = np.round(rng.normal(27, 4, n), 1).astype(str)
    events.append(
        pd.DataFrame(
            {
                "person_id": persons["person_id"][measured],
                "date": when[measured],
                "concept": "bmi",
                "value": bmi[measured],
            }
        )
    )
    frame = pd.concat(events, ignore_index=True)
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    return persons, frame.sort_values(["person_id", "date", "concept"], kind="stable")


def indicators(breakdowns: tuple[str, ...]) -> list[Indicator]:
    """One indicator of every method (and kind of numerator)."""
    return [
        Indicator(
            "flu",
            "Flu 65+",
            "proportion",
            Numerator("flu_vaccination"),
            Population(min_age=65),
            polarity="higher-is-better",
            breakdowns=breakdowns,
        ),
        Indicator(
            "diabetes",
            "Diabetes prevalence",
            "proportion",
            Numerator("diabetes", kind="condition"),
            Population(min_age=17),
            breakdowns=breakdowns,
        ),
        Indicator(
            "admissions",
            "Admissions",
            "rate",
            Numerator("emergency_admission"),
            polarity="lower-is-better",
            breakdowns=breakdowns,
        ),
        Indicator(
            "mortality",
            "Mortality",
            "dsr",
            Numerator("death"),
            polarity="lower-is-better",
            periods="calendar_year",
            breakdowns=breakdowns,
        ),
        Indicator(
            "smr",
            "SMR",
            "isr",
            Numerator("death"),
            polarity="lower-is-better",
            breakdowns=breakdowns,
        ),
        Indicator(
            "le",
            "Life expectancy",
            "life_expectancy",
            Numerator("death"),
            polarity="higher-is-better",
            breakdowns=tuple(b for b in breakdowns if "age_band" not in b),
        ),
        Indicator(
            "bmi",
            "BMI",
            "mean",
            Numerator("bmi", kind="value"),
            Population(min_age=18),
            breakdowns=breakdowns,
        ),
    ]


def age_on(born: pd.Series, when: date) -> np.ndarray:
    """Completed years on ``when`` (birthday rule), row by row."""
    return np.array(
        [when.year - b.year - ((when.month, when.day) < (b.month, b.day)) for b in born]
    )


def present(persons: pd.DataFrame, events: pd.DataFrame, when: date) -> np.ndarray:
    """Registered and alive on ``when``, row by row."""
    deaths = events[events["concept"] == "death"].groupby("person_id")["date"].min()
    died = persons["person_id"].map(deaths)
    return np.array(
        [
            (f is None or f <= when)
            and (t is None or t >= when)
            and (x is None or pd.isna(x) or x > when)
            for f, t, x in zip(
                persons["registered_from"], persons["registered_to"], died, strict=True
            )
        ]
    )

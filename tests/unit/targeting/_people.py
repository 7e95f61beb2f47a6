"""Tiny hand-made person-level records for the Core20PLUS5 and segmentation tests.

Every person is one line, so each expected figure can be read off by eye; the tests still
compute their expectations with pandas from these frames, independently of the code under
test. The records cover 2021-04-01 to 2025-04-15, so the latest complete financial year is
2024/25 (1 April 2024 to 31 March 2025).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from healthgap.reference.lsoa import lsoas
from healthgap.workspace import Workspace, init_workspace

#: Luton LSOAs in national IMD 2025 deciles 1, 2 and 8; and a code in no reference.
D1, D2, D8, NOWHERE = "E01015698", "E01015701", "E01015693", "E01099999"
OPEN = date(2021, 4, 1)
YEAR_START, YEAR_END = date(2024, 4, 1), date(2025, 3, 31)
FLAGS = ("learning_disability", "severe_mental_illness", "carer", "homeless")


def person(
    pid: int,
    born: str,
    lsoa: str,
    *,
    sex: str = "F",
    ethnicity: str | None = "White",
    ld: bool = False,
    smi: bool = False,
    carer: bool = False,
    homeless: bool = False,
    left: str | None = None,
) -> dict[str, object]:
    return {
        "person_id": pid,
        "sex": sex,
        "birth_date": date.fromisoformat(born),
        "ethnicity": ethnicity,
        "lsoa_code": lsoa,
        "practice_code": "Y0001A",
        "learning_disability": ld,
        "severe_mental_illness": smi,
        "carer": carer,
        "homeless": homeless,
        "registered_from": OPEN,
        "registered_to": date.fromisoformat(left) if left else None,
    }


def events(*rows: tuple[int, str, str]) -> pd.DataFrame:
    """Events from ``(person_id, date, concept)`` triples."""
    return pd.DataFrame(
        {
            "person_id": [r[0] for r in rows],
            "date": [date.fromisoformat(r[1]) for r in rows],
            "concept": [r[2] for r in rows],
            "value": [None] * len(rows),
        }
    )


def workspace(folder: Path, persons: list[dict[str, object]], table: pd.DataFrame) -> Workspace:
    """A Luton workspace over these records (written as Parquet in ``folder``)."""
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pandas(pd.DataFrame(persons), preserve_index=False),
                   data / "persons.parquet")  # fmt: skip
    pq.write_table(pa.Table.from_pandas(table, preserve_index=False), data / "events.parquet")
    return init_workspace(folder / "ws", place="Luton", persons=data / "persons.parquet",
                          events=data / "events.parquet")  # fmt: skip


def deciles() -> dict[str, int]:
    """National IMD 2025 decile of each fixture LSOA (from the shipped reference)."""
    table = lsoas().set_index("lsoa_code")["imd_decile"]
    return {code: int(table[code]) for code in (D1, D2, D8)}


def age_on(born: pd.Series, day: date) -> pd.Series:
    """Completed years on ``day`` (the birthday rule), in pandas."""
    born = pd.to_datetime(born)
    before = (born.dt.month * 100 + born.dt.day) > day.month * 100 + day.day
    return day.year - born.dt.year - before.astype(int)

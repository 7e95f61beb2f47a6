"""Reading a service's CSV file for the equity audit: validated, labelled, counted.

Row numbers in messages are the file's line numbers (the header is line 1).
"""

from __future__ import annotations

import csv
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from healthgap.errors import InputError
from healthgap.reference.lsoa import AGE_GROUPS, lsoas
from healthgap.targeting._persons import AGE_BANDS
from healthgap.targeting.audit import DIMENSIONS

PERSON_COLUMNS = ("lsoa_code", "ethnicity", "sex", "age", "birth_date")
#: Values meaning "not known" in any category column (compared in lower case).
UNKNOWN = frozenset(
    {
        "",
        "unknown",
        "not known",
        "not stated",
        "not recorded",
        "z",
        "99",
        "x",
        "u",
        "0",
        "9",
        "na",
        "n/a",
        "null",
    }
)
SEX = {"f": "Female", "female": "Female", "2": "Female", "m": "Male", "male": "Male", "1": "Male"}
#: ONS 2021 high-level groups (short and full names) and NHS ethnic category codes.
ETHNICITY = {
    "asian": "Asian",
    "black": "Black",
    "mixed": "Mixed",
    "white": "White",
    "other": "Other",
    "asian, asian british or asian welsh": "Asian",
    "black, black british, black welsh, caribbean or african": "Black",
    "mixed or multiple ethnic groups": "Mixed",
    "other ethnic group": "Other",
    **dict.fromkeys("abc", "White"),
    **dict.fromkeys("defg", "Mixed"),
    **dict.fromkeys("hjkl", "Asian"),
    **dict.fromkeys("mnp", "Black"),
    **dict.fromkeys("rs", "Other"),
}


@cache
def _national() -> dict[str, int]:
    table = lsoas()
    quintile = (table["imd_decile"].astype("int64") + 1) // 2
    return dict(zip(table["lsoa_code"].astype(str), quintile.astype(int), strict=True))


def read_service(
    path: Path, on: date, place: pd.DataFrame
) -> tuple[pd.DataFrame, bool, dict[str, int], int]:
    """The service's counts by the dimensions it has (missing = unknown), whether the file
    was person-level, service records of unknown category per dimension, and person
    rows left out for living outside the place."""
    table = _read(path)
    if "count" in table.columns:
        counts = _aggregated(table, path)
        person_level, outside = False, 0
    else:
        counts, outside = _person_level(table, path, on, set(place["lsoa_code"]))
        person_level = True
    dims = [d for d in DIMENSIONS if d in counts.columns]
    unknown = {d: int(counts.loc[counts[d].isna(), "count"].sum()) for d in dims}
    grouped = counts.groupby(dims, dropna=False, as_index=False)["count"].sum()
    return grouped, person_level, unknown, outside


def _read(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise InputError(f"no service file at {path}")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise InputError(f"{path}: the file is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read it as CSV: {error}") from None
    with path.open(encoding="utf-8", newline="") as file:  # pandas renames repeats "x.1"
        header = [c.strip().lower() for c in next(csv.reader(file), [])]
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        raise InputError(f"{path}: column(s) {', '.join(map(repr, repeated))} appear twice")
    if table.empty:
        raise InputError(f"{path}: the file has a header but no rows")
    table.columns = [str(c).strip().lower() for c in table.columns]
    table.index = pd.RangeIndex(2, len(table) + 2, name="row")
    return table.apply(lambda column: column.str.strip())


def _aggregated(table: pd.DataFrame, path: Path) -> pd.DataFrame:
    unknown = [c for c in table.columns if c not in (*DIMENSIONS, "count")]
    if unknown:
        raise InputError(
            f"{path}: an aggregated file (with a 'count' column) may have only the columns "
            f"{', '.join(DIMENSIONS)} and count; it also has {', '.join(map(repr, unknown))}"
        )
    dims = [d for d in DIMENSIONS if d in table.columns]
    if not dims:
        raise InputError(
            f"{path}: a 'count' column but no category column ({', '.join(DIMENSIONS)})"
        )
    count = pd.to_numeric(table["count"], errors="coerce")
    bad = (count.isna() | (count < 0) | (count != count.round())).to_numpy()
    if bad.any():
        raise InputError(
            f"{path}: counts must be whole numbers of 0 or more",
            column="count",
            rows=table.index[bad],
        )
    out = pd.DataFrame({"count": count.astype("int64")}, index=table.index)
    parsers = {
        "imd_quintile": _quintile,
        "ethnicity": _ethnicity,
        "sex": _sex,
        "age_band": _age_band,
    }
    for dim in dims:  # a loop over the few columns
        out[dim] = parsers[dim](table[dim], path)
    return out


def _person_level(
    table: pd.DataFrame, path: Path, on: date, codes: set[str]
) -> tuple[pd.DataFrame, int]:
    present = [c for c in PERSON_COLUMNS if c in table.columns]
    if not present:
        raise InputError(
            f"{path}: expected person-level columns (any of {', '.join(PERSON_COLUMNS)}) or an "
            f"aggregated table (category columns and 'count'); it has "
            f"{', '.join(map(repr, table.columns))}"
        )
    out = pd.DataFrame({"count": np.ones(len(table), dtype="int64")}, index=table.index)
    outside = 0
    if "lsoa_code" in table.columns:
        code = table["lsoa_code"].str.upper()
        blank = code.str.lower().isin(UNKNOWN)
        quintile = code.map(_national())
        bad = (quintile.isna() & ~blank).to_numpy()
        if bad.any():
            raise InputError(
                f"{path}: not an English LSOA 2021 code", column="lsoa_code", rows=table.index[bad]
            )
        inside = (blank | code.isin(codes)).to_numpy()
        outside = int((~inside).sum())
        out["imd_quintile"] = quintile.astype("Int64").astype(object).where(~blank, None)
        out, table = out[inside], table[inside]
    if "ethnicity" in table.columns:
        out["ethnicity"] = _ethnicity(table["ethnicity"], path)
    if "sex" in table.columns:
        out["sex"] = _sex(table["sex"], path)
    if "age" in table.columns or "birth_date" in table.columns:
        out["age_band"] = _bands(_ages(table, path, on))
    return out, outside


def _mapped(values: pd.Series, mapping: dict[str, str], path: Path, what: str) -> pd.Series:
    key = values.str.lower()
    out = key.map(mapping)
    bad = (out.isna() & ~key.isin(UNKNOWN)).to_numpy()
    if bad.any():
        raise InputError(f"{path}: {what}", column=str(values.name), rows=values.index[bad])
    return out.astype(object).where(out.notna(), None)


def _sex(values: pd.Series, path: Path) -> pd.Series:
    return _mapped(values, SEX, path, "sex must be F, M, Female, Male (or 2, 1), or blank")


def _ethnicity(values: pd.Series, path: Path) -> pd.Series:
    what = "ethnicity must be Asian, Black, Mixed, White, Other, an NHS code A–S, or blank"
    return _mapped(values, ETHNICITY, path, what)


def _quintile(values: pd.Series, path: Path) -> pd.Series:
    digits = values.str.extract(r"^([1-5])(?:\s*\(.*\))?$")[0]
    mapping = {str(q): str(q) for q in range(1, 6)}
    mapping |= {k: v for k, v in zip(values.str.lower(), digits, strict=True) if pd.notna(v)}
    return _mapped(values, mapping, path, "imd_quintile must be 1 (most deprived) to 5, or blank")


def _age_band(values: pd.Series, path: Path) -> pd.Series:
    cleaned = values.str.replace(" ", "", regex=False).str.replace("–", "-", regex=False)
    mapping = {band: band for band in AGE_BANDS}
    mapping |= {k: v for k, v in zip(values.str.lower(), cleaned, strict=True) if v in mapping}
    return _mapped(values, mapping, path, f"age_band must be one of {', '.join(AGE_BANDS)}")


def _ages(table: pd.DataFrame, path: Path, on: date) -> pd.Series:
    if "age" in table.columns:
        raw = table["age"]
        age = pd.to_numeric(raw, errors="coerce")
        blank = raw.str.lower().isin(UNKNOWN - {"0"})
        bad = (~blank & (age.isna() | (age < 0) | (age > 125) | (age != age.round()))).to_numpy()
        if bad.any():
            raise InputError(
                f"{path}: ages must be whole years from 0 to 125",
                column="age",
                rows=table.index[bad],
            )
        return age.where(~blank)
    raw = table["birth_date"]
    born = pd.to_datetime(raw, errors="coerce", format="ISO8601")
    blank = raw.str.lower().isin(UNKNOWN)
    bad = (~blank & (born.isna() | (born > pd.Timestamp(on)))).to_numpy()
    if bad.any():
        raise InputError(
            f"{path}: birth dates must be YYYY-MM-DD, on or before {on}",
            column="birth_date",
            rows=table.index[bad],
        )
    before = (on.month * 100 + on.day) < (born.dt.month * 100 + born.dt.day)
    return (on.year - born.dt.year - before.astype("float64")).where(~blank)


def _bands(age: pd.Series) -> pd.Series:
    starts = np.array([lo for lo, _ in AGE_GROUPS.values()])
    at = np.searchsorted(starts, age.fillna(0).to_numpy(), side="right") - 1
    labels = np.asarray(AGE_BANDS, dtype=object)[np.clip(at, 0, len(starts) - 1)]
    return pd.Series(np.where(age.isna(), None, labels), index=age.index, dtype=object)

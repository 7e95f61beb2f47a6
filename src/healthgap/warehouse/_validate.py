"""Reading and checking files for the importers, with the file, row and column in every error.

Rows are numbered as a spreadsheet shows them: in a CSV file the header is row 1 and each
record (however many line breaks its quoted fields contain) is one row, so the first data
row is row 2; the physical line where the record starts is given too. In a Parquet file the
first row is row 1. Every importer validates the whole file before it writes anything.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import compress
from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd

from healthgap.errors import InputError

#: ONS (GSS) codes: a country letter, a two-digit entity code (E01 LSOA, E02 MSOA,
#: E06–E10 local authorities, E12 region, E38 sub-ICB location, E54 ICB, E92 England…)
#: and a six-digit instance; K0x for the UK and Great Britain.
GSS_CODE = r"(?:[EWSN]\d{2}|K0\d)\d{6}"
#: NHS Organisation Data Service code of a GP practice (or PCN): a letter and five digits.
PRACTICE_CODE = r"[A-Z]\d{5}"
AREA_CODE = f"(?:{GSS_CODE}|{PRACTICE_CODE})"

#: Codes each normalised area type must have (types not listed are not checked).
AREA_TYPE_CODES: dict[str, str] = {
    "england": r"E92\d{6}",
    "region": r"E12\d{6}",
    "lad": r"(?:E0[6-9]|E10|W06)\d{6}",
    "msoa": r"[EW]02\d{6}",
    "lsoa": r"[EW]01\d{6}",
    "practice": PRACTICE_CODE,
}

#: Markers read as a missing number: a blank cell or the suppression asterisk.
MISSING_MARKERS = ("", "*")
_GROUPED = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?"
_SHOWN = 5


@dataclass(frozen=True)
class Loaded:
    """A file read as text: ``frame`` is indexed by row number (see the module docstring)."""

    path: Path
    frame: pd.DataFrame
    csv: bool

    def fail(self, column: str | None, mask: object, problem: str) -> NoReturn:
        """Raise an :class:`InputError` for the rows of ``mask`` (boolean, aligned to frame)."""
        rows = self.frame.index[np.asarray(mask, dtype=bool)].tolist()
        fail(self, column, rows, problem)

    def lines(self, rows: Sequence[int]) -> dict[int, int]:
        """Physical line where each CSV record of ``rows`` starts (read again, on error only)."""
        wanted, found = set(rows), dict[int, int]()
        if not self.csv or not wanted:
            return found
        last = max(wanted)
        with self.path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            previous = 0
            for number, _ in enumerate(reader, start=1):
                if number in wanted:
                    found[number] = previous + 1
                if number >= last:
                    break
                previous = reader.line_num
        return found


def fail(loaded: Loaded, column: str | None, rows: Sequence[int], problem: str) -> NoReturn:
    """Raise an error naming the file, the first rows (and lines) at fault and the column."""
    lines = loaded.lines(rows[:_SHOWN])
    where = []
    for row in rows[:_SHOWN]:
        value = loaded.frame.at[row, column] if column in loaded.frame.columns else None
        shown = f": {value!r}" if value is not None else ""
        line = f" (line {lines[row]})" if row in lines and lines[row] != row else ""
        where.append(f"row {row}{line}{shown}")
    more = f" and {len(rows) - _SHOWN} more" if len(rows) > _SHOWN else ""
    at = f", column {column!r}" if column else ""
    error = InputError(f"{loaded.path}{at}: {problem} at {'; '.join(where)}{more}")
    error.column = column
    error.rows = list(rows)
    raise error


def file_error(path: Path, problem: str) -> InputError:
    return InputError(f"{path}: {problem}")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_csv(path: Path, *, last_optional: bool = False) -> tuple[list[str], Loaded]:
    """Read a CSV file as text: its header and its records (all fields as ``str``).

    Quoted fields may hold commas and line breaks; a UTF-8 byte-order mark is skipped;
    blank lines are ignored; a record with a different number of fields is an error,
    except that with ``last_optional`` a record may leave out its last field (blank).
    """
    if not path.is_file():
        raise file_error(path, "no such file")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            try:
                records = list(reader)
            except csv.Error:
                raise _csv_error(path) from None
    except UnicodeDecodeError:
        raise file_error(path, "is not UTF-8 text: save it as 'CSV UTF-8'") from None
    if not records or not any(records[0]):
        raise file_error(path, "is empty: expected a header row")
    header, body = records[0], records[1:]
    widths = np.fromiter(map(len, body), dtype=np.int64, count=len(body))
    numbers = np.arange(2, len(records) + 1)
    keep = widths > 0  # blank lines
    short = keep & (widths == len(header) - 1) if last_optional else np.zeros_like(keep)
    ragged = keep & (widths != len(header)) & ~short
    if ragged.any():
        fail(
            Loaded(path, pd.DataFrame(index=numbers), csv=True),
            None,
            numbers[ragged].tolist(),
            f"expected {len(header)} fields as in the header, found {widths[ragged][0]}",
        )
    if not keep.any():
        raise file_error(path, "has a header but no data rows")
    frame = pd.DataFrame(list(compress(body, keep)), index=numbers[keep], dtype=object)
    frame = frame.reindex(columns=range(len(header)), fill_value="").set_axis(header, axis=1)
    return header, Loaded(path, frame, csv=True)


def _csv_error(path: Path) -> InputError:
    """Find the record a CSV error is in (read again, on error only)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        row, line = 1, 1
        try:
            for _ in reader:
                row, line = row + 1, reader.line_num + 1
        except csv.Error as error:
            unclosed = "unexpected end of data" in str(error)
            problem = "a quoted field is never closed" if unclosed else f"not valid CSV ({error})"
            return file_error(path, f"{problem} in row {row} (line {line})")
    return file_error(path, "not valid CSV")


def read_parquet(path: Path) -> Loaded:
    """Read a Parquet file; the first row is row 1."""
    if not path.is_file():
        raise file_error(path, "no such file")
    try:
        frame = pd.read_parquet(path)
    except Exception as error:  # pyarrow raises several types for a bad file
        raise file_error(path, f"cannot be read as Parquet: {error}") from None
    if frame.empty:
        raise file_error(path, "has no data rows")
    return Loaded(path, frame.set_axis(np.arange(1, len(frame) + 1), axis=0), csv=False)


def text(series: pd.Series) -> pd.Series:
    """Text with runs of whitespace (line breaks included) made one space, ends trimmed.

    Missing cells become ``""``. Each distinct value is cleaned once (columns of names,
    types and notes repeat a few values many times).
    """
    if pd.api.types.is_float_dtype(series.dtype):
        whole = series.dropna()
        if (whole == whole.round()).all():  # 2023.0 from a Parquet column with gaps
            series = series.astype("Int64")
    codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
    cleaned = pd.Series(np.asarray(uniques, dtype=object), dtype=object).astype(str)
    cleaned = cleaned.str.replace(r"\s+", " ", regex=True).str.strip()
    values = np.append(cleaned.to_numpy(dtype=object), "")  # code -1 (missing) → ""
    return pd.Series(values[codes], index=series.index, dtype=object)


def matches(series: pd.Series, pattern: str) -> np.ndarray:
    """Whether each cell matches ``pattern`` entirely (each distinct value tested once)."""
    codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
    found = pd.Series(np.asarray(uniques, dtype=object), dtype=object).astype(str)
    hits = found.str.fullmatch(pattern).to_numpy(dtype=bool, na_value=False)
    return np.append(hits, False)[codes]


def optional(series: pd.Series) -> pd.Series:
    """Normalised text with empty strings as missing."""
    cleaned = text(series).astype(object)
    return cleaned.where(cleaned != "", None)


def numbers(loaded: Loaded, column: str, *, what: str = "a number") -> np.ndarray:
    """A column as float64: blank or ``*`` is missing; ``12,345`` is 12345; text is an error."""
    series = loaded.frame[column]
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series):
        values = series.to_numpy(dtype="float64", na_value=np.nan)
    else:
        raw = series.astype(object)
        values = pd.to_numeric(raw.where(raw != ""), errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan, copy=True
        )
        retry = np.isnan(values) & raw.notna().to_numpy() & (raw != "").to_numpy()
        if retry.any():  # spaces, thousands separators, markers, or bad text: few cells
            cells = text(raw[retry])
            missing = cells.isin(MISSING_MARKERS)
            grouped = matches(cells, _GROUPED)
            cleaned = cells.where(~grouped, cells.str.replace(",", "", regex=False))
            parsed = pd.to_numeric(cleaned.where(~missing), errors="coerce")
            values[retry] = parsed.to_numpy(dtype="float64", na_value=np.nan)
            bad = np.zeros(len(values), dtype=bool)
            bad[retry] = np.isnan(values[retry]) & ~missing.to_numpy()
            if bad.any():
                loaded.fail(column, bad, f"expected {what} (or a blank cell)")
    if np.isinf(values).any():
        loaded.fail(column, np.isinf(values), f"expected {what}, not infinity")
    return values


def area_codes(
    loaded: Loaded,
    column: str,
    codes: pd.Series,
    *,
    known: Collection[str] | None = None,
    required: bool = True,
) -> None:
    """Check ONS (GSS) or GP practice codes, and that they are ``known`` if a set is given."""
    blank = codes.isna() | (codes == "")
    if required and blank.any():
        loaded.fail(column, blank, "an area code is required")
    valid = matches(codes, AREA_CODE)
    invalid = ~valid & ~blank
    if invalid.any():
        loaded.fail(
            column,
            invalid,
            "not an ONS (GSS) area code such as E06000032 or a GP practice code such as A81001",
        )
    if known is not None:
        unknown = ~codes.isin(set(known)) & ~blank
        if unknown.any():
            loaded.fail(column, unknown, "area code not known to this workspace")


def area_types_match(loaded: Loaded, column: str, types: pd.Series, codes: pd.Series) -> None:
    """Codes of the area types healthgap knows must have the right form (E12… for regions)."""
    for area_type, pattern in AREA_TYPE_CODES.items():
        kind = (types == area_type).to_numpy()
        wrong = kind & ~matches(codes, pattern) if kind.any() else kind
        if wrong.any():
            loaded.fail(column, wrong, f"not a code of area type {area_type!r}")


_MONTHS = {
    m: i for i, m in enumerate(pd.date_range("2000-01", periods=12, freq="MS").strftime("%b"), 1)
}


def periods(labels: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First and last day of each period label, where the label is one healthgap reads.

    Calendar years (``2015``, ``2015 - 17``, ``2015 - 2017``), financial years from April
    (``2019/20``, ``2017/18 - 19/20``, ``2017/18 - 2019/20``), financial quarters
    (``2019/20 Q1`` is April–June 2019) and months (``Jan 2023``). Other labels, such as
    flu seasons, give missing dates.

    Examples
    --------
    >>> start, end = periods(pd.Series(["2019/20", "2015 - 17", "2023-24 flu season"]))
    >>> [str(d)[:10] for d in start], [str(d)[:10] for d in end]
    (['2019-04-01', '2015-01-01', 'NaT'], ['2020-03-31', '2017-12-31', 'NaT'])
    """
    unique = pd.Series(pd.unique(labels.dropna().astype(str)), dtype=object)
    label = text(unique)
    start_year = np.full(len(unique), np.nan)
    start_month, end_year, end_month = start_year.copy(), start_year.copy(), start_year.copy()

    def put(ok: np.ndarray, sy: object, sm: object, ey: object, em: object) -> None:
        for target, value in ((start_year, sy), (start_month, sm), (end_year, ey), (end_month, em)):
            target[ok] = np.broadcast_to(np.asarray(value, dtype=float), ok.shape)[ok]

    calendar = label.str.extract(r"^(\d{4})(?: ?- ?(\d{2}|\d{4}))?$").astype(float)
    first = calendar[0].to_numpy()
    last = _full_year(first, calendar[1].fillna(calendar[0]).to_numpy())
    put(~np.isnan(first) & (last >= first), first, 1, last, 12)

    financial = label.str.extract(r"^(\d{4})/(\d{2})(?: ?- ?(\d{2}|\d{4})/(\d{2}))?$")
    financial = financial.astype(float)
    first = financial[0].to_numpy()
    last = _full_year(first, financial[2].fillna(financial[0]).to_numpy())
    consecutive = (first + 1) % 100 == financial[1].to_numpy()
    closing = np.where(financial[3].isna(), True, (last + 1) % 100 == financial[3].to_numpy())
    put(~np.isnan(first) & consecutive & closing & (last >= first), first, 4, last + 1, 3)

    quarter = label.str.extract(r"^(\d{4})/(\d{2}) ?Q([1-4])$").astype(float)
    months = quarter[0].to_numpy() * 12 + 3 + 3 * (quarter[2].to_numpy() - 1)  # Q1 = April
    ok = ~np.isnan(months) & ((quarter[0].to_numpy() + 1) % 100 == quarter[1].to_numpy())
    put(ok, months // 12, months % 12 + 1, (months + 2) // 12, (months + 2) % 12 + 1)

    month = label.str.extract(r"^([A-Za-z]{3})[a-z]* (\d{4})$")
    number = month[0].str.title().map(_MONTHS).astype(float).to_numpy()
    year = month[1].astype(float).to_numpy()
    put(~np.isnan(number) & ~np.isnan(year), year, number, year, number)

    ok = ~np.isnan(start_year)
    starts = pd.Series(pd.NaT, index=unique, dtype="datetime64[s]")
    ends = starts.copy()
    if ok.any():
        starts[ok] = _first_day(start_year[ok], start_month[ok])
        following = end_year[ok] * 12 + end_month[ok]  # the month after the last (1-based)
        ends[ok] = _first_day(following // 12, following % 12 + 1) - pd.Timedelta(days=1)
    as_text = labels.astype(object).where(labels.notna(), None)
    return as_text.map(starts), as_text.map(ends)


def _full_year(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """``17`` after 2015 is 2017; four-digit years are kept."""
    short = second < 100
    century = first // 100 * 100
    full = np.where(short, century + second, second)
    return np.where(short & (full < first), full + 100, full)


def _first_day(year: np.ndarray, month: np.ndarray) -> pd.DatetimeIndex:
    parts = pd.DataFrame({"year": year.astype(int), "month": month.astype(int), "day": 1})
    return pd.DatetimeIndex(pd.to_datetime(parts)).as_unit("s")

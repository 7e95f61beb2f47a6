"""Writing the synthetic files: Parquet streamed chunk by chunk, then moved into place.

Files are written into a hidden temporary folder next to the output folder and renamed
into place only when everything has been written, so a failure (or Ctrl-C) never leaves
half-written files behind. An existing output folder is replaced only if it is itself a
synthetic-data folder (it holds a ``truth.json`` marked synthetic); anything else is left
alone and refused. Every Parquet file carries key-value metadata marking it synthetic.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from pathlib import Path
from types import TracebackType

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from healthgap.demo._model import ETHNIC_GROUPS, PLUS_FLAGS
from healthgap.demo.dates import PERIOD_START, PERIOD_STOP
from healthgap.demo.events import CONCEPTS, VALUES, Batch
from healthgap.demo.persons import People
from healthgap.errors import InputError

FILES = ("persons.parquet", "events.parquet", "truth.json")
NOTICE = "SYNTHETIC data: generated people, not real patients"

PERSONS_SCHEMA = pa.schema(
    [
        ("person_id", pa.int64()),
        ("sex", pa.string()),
        ("birth_date", pa.date32()),
        ("ethnicity", pa.string()),
        ("lsoa_code", pa.string()),
        ("practice_code", pa.string()),
        *((name, pa.bool_()) for name in PLUS_FLAGS),
        ("registered_from", pa.date32()),
        ("registered_to", pa.date32()),
    ]
)
EVENTS_SCHEMA = pa.schema(
    [
        ("person_id", pa.int64()),
        ("date", pa.date32()),
        ("concept", pa.dictionary(pa.int8(), pa.string())),
        ("value", pa.string()),
    ]
)


def metadata(**fields: str) -> dict[bytes, bytes]:
    """Parquet key-value metadata: ``healthgap.synthetic = "true"`` plus ``fields``."""
    pairs = {"synthetic": "true", "notice": NOTICE, **fields}
    return {f"healthgap.{k}".encode(): v.encode() for k, v in pairs.items()}


def _strings(codes: np.ndarray, dictionary: list[str] | tuple[str, ...]) -> pa.Array:
    missing = codes < 0
    indices = pa.array(np.where(missing, 0, codes).astype("int32"), mask=missing)
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(dictionary))).cast(pa.string())


def _dates(days: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    return pa.array(days.astype("int32"), type=pa.date32(), mask=missing)


def persons_table(people: People, lsoa_codes: list[str], practice_codes: list[str]) -> pa.Table:
    """The chunk's rows of persons.parquet."""
    leaves = people.exit
    still_registered = leaves >= PERIOD_STOP
    columns = [
        pa.array(people.ids, pa.int64()),
        _strings(people.male.astype("int8"), ("F", "M")),
        _dates(people.birth),
        _strings(people.ethnicity, ETHNIC_GROUPS),
        _strings(people.lsoa.astype("int32"), lsoa_codes),
        _strings(people.practice, practice_codes),
        *(pa.array(people.flags[name], pa.bool_()) for name in PLUS_FLAGS),
        _dates(people.entry),
        _dates(np.floor(np.where(still_registered, PERIOD_START, leaves)), still_registered),
    ]
    return pa.Table.from_arrays(columns, schema=PERSONS_SCHEMA)


def events_table(people: People, batches: list[Batch]) -> pa.Table:
    """The chunk's rows of events.parquet, sorted by person, date and concept."""
    rows = np.concatenate([b.rows for b in batches]).astype("int64")
    days = np.floor(np.concatenate([b.times for b in batches])).astype("int32")
    concept = np.concatenate(
        [np.full(len(b.rows), CONCEPTS.index(b.concept), dtype="int8") for b in batches]
    )
    value = np.concatenate(
        [
            b.values.astype("int8") if b.values is not None else np.full(len(b.rows), -1, "int8")
            for b in batches
        ]
    )
    order = np.lexsort((concept, days, rows))
    concepts = pa.DictionaryArray.from_arrays(
        pa.array(concept[order], pa.int8()), pa.array(list(CONCEPTS))
    )
    columns = [
        pa.array(people.ids[rows[order]], pa.int64()),
        _dates(days[order]),
        concepts,
        _strings(value[order], VALUES),
    ]
    return pa.Table.from_arrays(columns, schema=EVENTS_SCHEMA)


class Output:
    """The output folder, written atomically: use as a context manager."""

    def __init__(self, out: Path, fields: dict[str, str]) -> None:
        self.out = Path(out)
        _check_replaceable(self.out)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self._fields = fields
        self.tmp = _fresh(self.out, "tmp")
        self._writers: dict[str, pq.ParquetWriter] = {}

    def __enter__(self) -> Output:
        return self

    def write(self, name: str, table: pa.Table) -> None:
        """Append ``table`` to ``name`` (persons or events) as one row group."""
        if name not in self._writers:
            schema = table.schema.with_metadata(metadata(table=name, **self._fields))
            self._writers[name] = pq.ParquetWriter(
                self.tmp / f"{name}.parquet", schema, compression="zstd"
            )
        self._writers[name].write_table(table, row_group_size=max(len(table), 1))

    def finish(self, truth: dict[str, object]) -> None:
        """Close the files, write truth.json and move the folder into place."""
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()
        text = json.dumps(truth, indent=2, ensure_ascii=False) + "\n"
        (self.tmp / "truth.json").write_text(text, encoding="utf-8")
        if self.out.exists():
            _check_replaceable(self.out)  # still ours after the run
            old = self.out.with_name(_fresh(self.out, "old").name)
            old.rmdir()
            os.replace(self.out, old)
            try:
                os.replace(self.tmp, self.out)
            except BaseException:
                os.replace(old, self.out)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(self.tmp, self.out)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        for writer in self._writers.values():
            writer.close()
        if self.tmp.exists():
            shutil.rmtree(self.tmp, ignore_errors=True)


def _fresh(out: Path, kind: str) -> Path:
    """A new empty hidden folder next to ``out`` (created with the usual permissions)."""
    while True:
        path = out.with_name(f".{out.name}.{kind}-{secrets.token_hex(4)}")
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path


def _check_replaceable(out: Path) -> None:
    if not out.exists():
        return
    if not out.is_dir():
        raise InputError(f"{str(out)!r} exists and is not a folder; choose another --out")
    if not any(out.iterdir()):
        return
    truth = out / "truth.json"
    try:
        synthetic = json.loads(truth.read_text(encoding="utf-8")).get("synthetic") is True
    except (OSError, ValueError, AttributeError):
        synthetic = False
    if not synthetic:
        raise InputError(
            f"{str(out)!r} exists and is not a healthgap synthetic-data folder (no synthetic "
            "truth.json); choose another --out or empty it"
        )

"""Reading and writing the warehouse file, atomically.

Every change — a build, an import — is made on a copy of the warehouse file, recorded in
the ``builds`` table, and then swapped into place with an atomic rename. A change that
fails or is killed part-way leaves the previous warehouse readable and unchanged (and,
at worst, a stray temporary file that the next write removes).
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from healthgap._version import __version__
from healthgap.errors import InputError
from healthgap.warehouse import schema

#: Default file name of the warehouse inside a workspace.
FILENAME = "warehouse.duckdb"

Filter = Mapping[str, object]


class Warehouse:
    """A warehouse file: read it freely, change it only through :meth:`change`.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> store = Warehouse.create(folder / "warehouse.duckdb")
    >>> rows = pd.DataFrame({"indicator_id": ["x"], "source": ["table"], "area_code": ["E1"],
    ...     "area_type": ["lad"], "period": ["2024"], "sex": ["Persons"], "age": ["All ages"],
    ...     "breakdown_type": ["total"], "category": [""], "value": [1.5]})
    >>> with store.change("import table") as change:
    ...     change.replace("indicator_values", rows, where={"source": "table"})
    >>> store.read("indicator_values")["value"].tolist()
    [1.5]
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    @classmethod
    def create(cls, path: str | Path) -> Warehouse:
        """Make an empty warehouse at ``path`` (an existing file is kept, schema ensured)."""
        store = cls(path)
        if not store.path.exists():
            store.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = store._temporary()
            with duckdb.connect(str(temporary)) as connection:
                for statement in schema.create_statements():
                    connection.execute(statement)
            os.replace(temporary, store.path)
        return store

    def exists(self) -> bool:
        return self.path.exists()

    def read(self, table: str, where: Filter | None = None) -> pd.DataFrame:
        """Rows of ``table`` matching ``where`` (column → value, or list of values)."""
        if table not in schema.TABLES:
            raise InputError(f"no warehouse table {table!r}; tables: {', '.join(schema.TABLES)}")
        clause, params = _where(where or {})
        return self.query(f"SELECT * FROM {table}{clause}", params)

    def query(self, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
        """Run a read-only SQL query and return a DataFrame."""
        self._require()
        with duckdb.connect(str(self.path), read_only=True) as connection:
            return connection.execute(sql, list(params)).df()

    def builds(self) -> pd.DataFrame:
        """What was built or imported, newest first."""
        return self.query("SELECT * FROM builds ORDER BY started_at DESC")

    @contextmanager
    def change(
        self,
        kind: str,
        *,
        inputs: Mapping[str, str] | None = None,
        definitions_sha256: str | None = None,
        synthetic: bool = False,
    ) -> Iterator[Change]:
        """Make changes on a copy; swap it in only if the block finishes without error."""
        self._require()
        for stray in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            stray.unlink(missing_ok=True)
        temporary = self._temporary()
        shutil.copyfile(self.path, temporary)
        started = datetime.now(UTC).replace(tzinfo=None)
        record = Change(build_id=f"{started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}")
        try:
            with duckdb.connect(str(temporary)) as connection:
                record.connection = connection
                yield record
                connection.execute(
                    "INSERT INTO builds VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        record.build_id,
                        kind,
                        started,
                        datetime.now(UTC).replace(tzinfo=None),
                        __version__,
                        definitions_sha256,
                        json.dumps(dict(inputs or {}), sort_keys=True),
                        synthetic,
                        record.rows,
                    ],
                )
                record.connection = None
            os.replace(temporary, self.path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def _temporary(self) -> Path:
        return self.path.parent / f".{self.path.name}.{uuid.uuid4().hex[:12]}.tmp"

    def _require(self) -> None:
        if not self.path.exists():
            raise InputError(
                f"no warehouse at {self.path}: run `healthgap init` or `healthgap build` first"
            )


@dataclass
class Change:
    """An open change to the warehouse (see :meth:`Warehouse.change`)."""

    build_id: str
    rows: int = 0
    connection: duckdb.DuckDBPyConnection | None = field(default=None, repr=False)

    def replace(self, table: str, rows: pd.DataFrame, where: Filter) -> None:
        """Delete the rows of ``table`` matching ``where``, then insert ``rows``.

        ``rows`` may omit nullable columns; ``build_id`` is filled in. Columns the table
        does not have are an error.
        """
        assert self.connection is not None, "the change has finished"
        names = schema.column_names(table)
        unknown = sorted(set(rows.columns) - set(names))
        if unknown:
            raise InputError(f"{table} has no column(s) {', '.join(unknown)}")
        frame = rows.reindex(columns=names)
        if "build_id" in names:
            frame["build_id"] = self.build_id
        clause, params = _where(where)
        self.connection.execute(f"DELETE FROM {table}{clause}", params)
        self.connection.register("incoming", frame)
        try:
            self.connection.execute(f"INSERT INTO {table} SELECT * FROM incoming")
        finally:
            self.connection.unregister("incoming")
        self.rows += len(frame)


def _where(where: Filter) -> tuple[str, list[object]]:
    parts: list[str] = []
    params: list[object] = []
    for column, wanted in where.items():
        if isinstance(wanted, (list, tuple, set, frozenset)):
            values = list(wanted)
            if not values:
                parts.append("FALSE")
                continue
            parts.append(f'"{column}" IN ({", ".join("?" * len(values))})')
            params.extend(values)
        else:
            parts.append(f'"{column}" = ?')
            params.append(wanted)
    return (" WHERE " + " AND ".join(parts) if parts else ""), params

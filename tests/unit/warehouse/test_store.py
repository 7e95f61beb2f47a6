import hashlib

import pandas as pd
import pytest

from healthgap.errors import InputError
from healthgap.warehouse.store import Warehouse


def rows(source="table", values=(1.0,), indicator="x"):
    n = len(values)
    return pd.DataFrame(
        {
            "indicator_id": [indicator] * n,
            "source": [source] * n,
            "area_code": [f"E{i}" for i in range(n)],
            "area_type": ["lad"] * n,
            "period": ["2024"] * n,
            "sex": ["Persons"] * n,
            "age": ["All ages"] * n,
            "breakdown_type": ["total"] * n,
            "category": [""] * n,
            "value": list(values),
        }
    )


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(tmp_path):
    return Warehouse.create(tmp_path / "warehouse.duckdb")


def test_change_replaces_only_matching_rows_and_records_the_build(store):
    with store.change("import table", inputs={"a.csv": "abc"}) as change:
        change.replace("indicator_values", rows("table", (1.0, 2.0)), where={"source": "table"})
        change.replace("indicator_values", rows("build", (9.0,)), where={"source": "build"})
    with store.change("import table") as change:
        change.replace("indicator_values", rows("table", (3.0,)), where={"source": "table"})
    values = store.read("indicator_values").sort_values("value")["value"].tolist()
    assert values == [3.0, 9.0]
    builds = store.builds()
    assert len(builds) == 2
    assert builds["rows"].tolist() == [1, 3]  # newest first
    assert builds["inputs"].iloc[1] == '{"a.csv": "abc"}'


def test_failed_change_leaves_the_warehouse_unchanged(store, tmp_path):
    with store.change("import table") as change:
        change.replace("indicator_values", rows(), where={"source": "table"})
    before = digest(store.path)
    with pytest.raises(RuntimeError), store.change("import table") as change:
        change.replace("indicator_values", rows(values=(5.0, 6.0)), where={"source": "table"})
        raise RuntimeError("killed part-way")
    assert digest(store.path) == before
    assert store.read("indicator_values")["value"].tolist() == [1.0]
    assert not list(tmp_path.glob("*.tmp"))


def test_unknown_column_is_an_input_error_and_writes_nothing(store):
    before = digest(store.path)
    with pytest.raises(InputError, match="no column"), store.change("import table") as change:
        change.replace("indicator_values", rows().assign(colour="red"), where={})
    assert digest(store.path) == before


def test_reading_a_missing_warehouse_says_what_to_do(tmp_path):
    with pytest.raises(InputError, match="healthgap init"):
        Warehouse(tmp_path / "none.duckdb").read("indicator_values")


def test_read_filters_by_value_and_list(store):
    with store.change("import table") as change:
        change.replace("indicator_values", rows(values=(1.0, 2.0, 3.0)), where={})
    assert len(store.read("indicator_values", where={"area_code": ["E0", "E2"]})) == 2
    assert len(store.read("indicator_values", where={"area_code": "E1"})) == 1

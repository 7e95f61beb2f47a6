"""``run_build`` and ``make_demo``: a workspace built into its warehouse, atomically."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from healthgap.build import run_build, sha256
from healthgap.demo import synthesise
from healthgap.demo_workspace import catalogue_path, make_demo
from healthgap.errors import InputError
from healthgap.warehouse.store import Warehouse
from healthgap.workspace import init_workspace
from tests.unit.indicators.test_engine_fixtures import small_population, write

CATALOGUE = """
[[indicator]]
id = "flu_65"
title = "Flu vaccination, 65+"
method = "proportion"
polarity = "higher-is-better"
breakdowns = ["imd_quintile", "sex", "lsoa"]
population = { min_age = 65 }
numerator = { concept = "flu_vaccination" }

[[indicator]]
id = "admissions"
title = "Emergency admissions"
method = "rate"
polarity = "lower-is-better"
breakdowns = ["imd_decile", "core20"]
numerator = { concept = "emergency_admission" }
"""


@pytest.fixture
def workspace(tmp_path):
    persons, events = small_population()
    write(tmp_path / "data", persons, events, synthetic=True)
    (tmp_path / "catalogue.toml").write_text(CATALOGUE, encoding="utf-8")
    init_workspace(
        tmp_path / "ws",
        place="Luton",
        persons=tmp_path / "data/persons.parquet",
        events=tmp_path / "data/events.parquet",
        catalogue=tmp_path / "catalogue.toml",
    )
    return tmp_path / "ws"


def file_hash(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_writes_rows_and_records_the_build(workspace, tmp_path):
    calls = []
    summary = run_build(workspace, progress=lambda *a: calls.append(a))
    assert calls == [(1, 2, "flu_65"), (2, 2, "admissions")]
    store = Warehouse(workspace / "warehouse.duckdb")
    values = store.read("indicator_values")
    assert len(values) == summary.rows > 0
    assert set(values["indicator_id"]) == {"flu_65", "admissions"}
    assert set(values["source"]) == {"build"} and set(values["build_id"]) == {summary.build_id}
    assert {"total", "imd_quintile", "sex", "lsoa", "imd_decile", "core20"} == set(
        values["breakdown_type"]
    )
    assert len(store.read("inequality_measures")) == summary.measures
    (record,) = store.builds().to_dict("records")
    assert record["build_id"] == summary.build_id and record["kind"] == "build"
    inputs = json.loads(record["inputs"])
    persons = tmp_path / "data/persons.parquet"
    assert inputs[str(persons)] == sha256(persons) == file_hash(persons)
    assert record["synthetic"] is True or record["synthetic"] == 1  # from the Parquet metadata
    assert record["rows"] == summary.rows + summary.measures
    assert len(record["definitions_sha256"]) == 64
    assert summary.window == (pd.Timestamp("2022-04-01").date(), pd.Timestamp("2024-04-02").date())


def test_build_only_replaces_one_indicators_rows(workspace):
    first = run_build(workspace)
    second = run_build(workspace, only="admissions")
    assert second.indicators == ("admissions",)
    values = Warehouse(workspace / "warehouse.duckdb").read("indicator_values")
    by = values.groupby("indicator_id")["build_id"].agg(set)
    assert by["flu_65"] == {first.build_id}
    assert by["admissions"] == {second.build_id}
    assert (values["indicator_id"] == "admissions").sum() == second.rows
    with pytest.raises(InputError, match="no indicator 'admission'"):
        run_build(workspace, only="admission")


def test_build_keeps_imported_rows(workspace):
    store = Warehouse.create(workspace / "warehouse.duckdb")
    imported = pd.DataFrame(
        {
            "indicator_id": ["90366"],
            "source": ["fingertips"],
            "area_code": ["E06000032"],
            "area_type": ["lad"],
            "period": ["2023"],
            "sex": ["Persons"],
            "age": ["All ages"],
            "breakdown_type": ["total"],
            "category": [""],
            "value": [80.1],
        }
    )
    with store.change("import fingertips") as change:
        change.replace("indicator_values", imported, where={"source": "fingertips"})
    run_build(workspace)
    run_build(workspace)
    values = store.read("indicator_values")
    assert (values["source"] == "fingertips").sum() == 1
    assert values[values["source"] == "build"]["build_id"].nunique() == 1


def test_a_failing_build_leaves_the_warehouse_unchanged(workspace):
    run_build(workspace)
    path = workspace / "warehouse.duckdb"
    before = file_hash(path)
    settings = workspace / "healthgap.toml"
    catalogue = workspace / "indicators.toml"
    catalogue.write_text(
        catalogue.read_text()
        + """
[[indicator]]
id = "needs_ethnicity"
title = "Needs a column"
method = "proportion"
breakdowns = ["ethnicity"]
numerator = { concept = "no_such_concept", kind = "condition" }
""",
        encoding="utf-8",
    )
    persons = pd.read_parquet(workspace.parent / "data/persons.parquet").drop(columns="ethnicity")
    persons.to_parquet(workspace.parent / "data/persons.parquet")
    with pytest.raises(InputError, match="indicator 'needs_ethnicity' key 'breakdowns'"):
        run_build(workspace)
    assert file_hash(path) == before
    assert len(Warehouse(path).builds()) == 1
    assert settings.exists()


def test_build_needs_a_place_and_indicators(tmp_path):
    persons, events = small_population()
    write(tmp_path / "data", persons, events)
    init_workspace(
        tmp_path / "ws",
        persons=tmp_path / "data/persons.parquet",
        events=tmp_path / "data/events.parquet",
    )
    with pytest.raises(InputError, match="declares no indicators"):
        run_build(tmp_path / "ws")


def test_make_demo_builds_and_rebuilds(tmp_path):
    steps = []
    first = make_demo(tmp_path / "demo", scale=0.03, progress=lambda *a: steps.append(a[0]))
    assert steps[0] == "synthesise" and steps[-1] == "life_expectancy_65"
    assert first.build.synthetic and first.build.rows > 1000
    assert len(first.build.indicators) >= 20
    again = make_demo(tmp_path / "demo", scale=0.03)
    store = Warehouse(tmp_path / "demo" / "warehouse.duckdb")
    assert len(store.builds()) == 2
    assert set(store.read("indicator_values")["build_id"]) == {again.build.build_id}


def test_make_demo_refuses_a_real_workspace(workspace):
    with pytest.raises(InputError, match="real data"):
        make_demo(workspace, scale=0.03)


def test_demo_life_expectancy_at_birth_is_computed_for_every_financial_year(tmp_path):
    # The demo catalogue's definition over Luton at 3% (about 7,000 people: above the
    # 5,000 at which life expectancy is suppressed). Babies born in the record keep the
    # under-1 age band populated after the first year, so no year lacks a life table.
    synth = synthesise("Luton", scale=0.03, out=tmp_path / "data")
    assert synth.births > 0
    init_workspace(
        tmp_path / "ws",
        place=synth.place.code,
        persons=tmp_path / "data/persons.parquet",
        events=tmp_path / "data/events.parquet",
        catalogue=catalogue_path(),
    )
    run_build(tmp_path / "ws", only="life_expectancy_birth")
    values = Warehouse(tmp_path / "ws" / "warehouse.duckdb").read("indicator_values")
    total = values[values["breakdown_type"] == "total"].sort_values("period")
    assert set(total["indicator_id"]) == {"life_expectancy_birth"}
    assert total["period"].tolist() == ["2021/22", "2022/23", "2023/24", "2024/25", "2025/26"]
    assert total["value"].notna().all(), total[["period", "value_note"]]
    assert total["value"].between(70, 90).all()  # the model's deciles: 74.5 to 86.5 years

"""`healthgap core20plus5` on the synthetic demo place (Luton): the Core20 share agrees with
the deprivation profile, the planted deprivation gradients show as significant gaps, and
the CSV leaves with disclosure control."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from healthgap import cli
from healthgap.demo import synthesise
from healthgap.profile import deprivation_profile
from healthgap.targeting.core20plus5 import core20plus5
from healthgap.workspace import init_workspace

pytestmark = pytest.mark.slow
runner = CliRunner()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    data = synthesise("Luton", seed=2025, out=root / "data")
    return init_workspace(root / "ws", place="Luton", persons=data.out / "persons.parquet",
                          events=data.out / "events.parquet", synthetic=True)  # fmt: skip


@pytest.fixture(scope="module")
def result(demo):
    return core20plus5(demo)


def test_core20plus5_demo_core20_share_matches_the_profile(result):
    profile = deprivation_profile("Luton")
    assert result.census_core20_share == pytest.approx(profile.core20_share, rel=1e-12)
    # persons.parquet is Census 2021 at scale 1, less five years of deaths and moves.
    assert result.core20_share == pytest.approx(profile.core20_share, abs=0.5)
    assert result.period == "2025/26" and result.reference_date == date(2026, 3, 31)


def test_core20plus5_demo_population_matches_pandas(demo, result):
    persons = pq.read_table(demo.persons).to_pandas()
    events = pq.read_table(demo.events, filters=[("concept", "==", "death")]).to_pandas()
    day = pd.Timestamp("2026-03-31")
    died = persons["person_id"].map(events.set_index("person_id")["date"]).astype("datetime64[s]")
    left = persons["registered_to"].astype("datetime64[s]")
    present = (left.isna() | (left >= day)) & (died.isna() | (died > day))
    population = result.population.set_index("group")["count"]
    assert population["All"] == present.sum()
    homeless = (present & persons["homeless"]).sum()
    assert population["People experiencing homelessness"] == homeless


def test_core20plus5_demo_finds_the_planted_gradients(result):
    rates = result.rates.set_index(["measure", "group"])
    flu = rates.loc[("copd_flu_vaccination", "Core20")]
    assert flu["gap"] < 0 and flu["gap_upper_ci"] < 0  # 35% → 52% by decile in truth.json
    black = rates.loc[("copd_flu_vaccination", "Black")]
    assert black["gap_upper_ci"] < 0  # odds ratio 0.3 against White
    smi = rates.loc[("smi_health_check", "All")]
    assert smi["ambition"] == 60 and smi["met"] == (smi["rate"] >= 60)
    assert set(result.rates["area"]) == {
        "severe_mental_illness", "chronic_respiratory_disease", "hypertension",
        "early_cancer_diagnosis",
    }  # fmt: skip
    items = " ".join(u.item for u in result.unsupported)
    assert "Maternity" in " ".join(str(u) for u in result.unsupported)
    assert "treated to target" in items and "Pneumococcal" in items


def test_core20plus5_demo_cli_writes_protected_csv(demo, tmp_path):
    out = tmp_path / "core20plus5.csv"
    run = runner.invoke(cli.app, ["core20plus5", "--dir", str(demo.root), "--out", str(out)],
                        env={"COLUMNS": "120"})  # fmt: skip
    assert run.exit_code == 0, run.output
    assert "SYNTHETIC" in run.output and "Not supported by the data" in run.output
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert {"area", "group", "rate", "lower_ci", "upper_ci", "gap", "gap_lower_ci",
            "gap_upper_ci", "ambition", "met"} <= set(table.columns)  # fmt: skip
    for column in ("count", "denominator", "comparator_count", "comparator_denominator"):
        shown = table[column][~table[column].isin(["*", ""])].astype(float)
        assert (shown % 5 == 0).all() and not shown.between(1, 7).any()
    assert (table["count"] == "*").any()  # small PLUS groups are hidden
    population = pd.read_csv(tmp_path / "core20plus5-population.csv", dtype=str)
    assert "Core20" in set(population["group"])

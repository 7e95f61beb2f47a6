"""`healthgap target` on the demo place (Luton, scale 1): the planted low-uptake
neighbourhoods of truth.json must rank in the top 10% of LSOAs for flu vaccination."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import healthgap.demo
from healthgap import cli
from healthgap.errors import InputError
from healthgap.targeting.communities import communities_for
from healthgap.workspace import Workspace, init_workspace, load_workspace

runner = CliRunner()
FLU = "flu_65_plus"
BUILT = (FLU, "emergency_admissions_rate")


def _by_hand(root: Path) -> Workspace:
    """Until ``make_demo`` lands: synthesise, init and evaluate the indicators used here."""
    from healthgap.demo import synthesise
    from healthgap.indicators.engine import Place, evaluate

    data = root / "data"
    synthesise("Luton", seed=2025, scale=1.0, out=data)
    catalogue = Path(healthgap.demo.__file__).parent / "catalogue.toml"
    ws = init_workspace(
        root / "ws",
        place="Luton",
        persons=data / "persons.parquet",
        events=data / "events.parquet",
        catalogue=catalogue,
        synthetic=True,
    )
    wanted = [i for i in ws.indicators if i.id in BUILT]
    with warnings.catch_warnings():
        # Ibis still calls DuckDB's deprecated fetch_arrow_table(): not this test's concern.
        warnings.filterwarnings("ignore", "fetch_arrow_table", DeprecationWarning)
        result = evaluate(
            wanted,
            persons=ws.persons,
            events=ws.events,
            place=Place.of(ws.area_codes, ws.place_name),
        )
    with ws.warehouse().change("build", synthetic=True) as change:
        change.replace("indicator_values", result.values, where={"source": "build"})
    return ws


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> tuple[Workspace, dict]:
    root = tmp_path_factory.mktemp("target-demo")
    try:
        from healthgap.demo_workspace import make_demo  # type: ignore[import-not-found]
    except ImportError:
        ws = _by_hand(root)
    else:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "fetch_arrow_table", DeprecationWarning)
            made = make_demo(root / "luton", place="Luton")
        ws = made if isinstance(made, Workspace) else load_workspace(root / "luton")
    truth = json.loads(next(Path(root).rglob("truth.json")).read_text(encoding="utf-8"))
    return ws, truth


def test_target_planted_lsoas_rank_in_top_tenth(demo):
    ws, truth = demo
    planted = truth["planted"]["lsoa_codes"]
    assert truth["planted"]["concept"] == "flu_vaccination" and planted
    out = communities_for(ws, FLU, by="lsoa")
    cut = math.ceil(0.1 * len(out))
    ranks = out.set_index("area_code").loc[planted, "rank"]
    assert (ranks <= cut).all(), ranks.to_dict()
    assert out.set_index("area_code").loc[planted, "below_99_8"].all()


@pytest.mark.parametrize("benchmark", ["target", "pooled", "0.8"])
def test_target_planted_lsoas_top_tenth_whatever_the_benchmark(demo, benchmark):
    ws, truth = demo
    out = communities_for(ws, FLU, by="lsoa", benchmark=benchmark)
    ranks = out.set_index("area_code").loc[truth["planted"]["lsoa_codes"], "rank"]
    assert (ranks <= math.ceil(0.1 * len(out))).all()


def test_target_lsoa_mix_counts_the_eligible_people(demo):
    ws, _ = demo
    out = communities_for(ws, FLU, by="lsoa")
    assert out["persons"].to_numpy() == pytest.approx(out["eligible"].to_numpy(), rel=0.05)
    shares = out[[c for c in out.columns if c.startswith("ethnicity_")]].sum(axis=1)
    assert shares.to_numpy() == pytest.approx(100.0)
    assert out["imd_decile"].between(1, 10).all()


@pytest.mark.parametrize("by", ["msoa", "practice"])
def test_target_msoa_and_practice_have_deprivation_mix(demo, by):
    ws, _ = demo
    out = communities_for(ws, FLU, by=by)
    assert out["imd_score"].notna().all() and out["core20_share"].between(0, 100).all()
    assert out["rank"].tolist() == list(range(1, len(out) + 1))


def test_target_rate_indicator_ranks_excess_events(demo):
    ws, _ = demo
    out = communities_for(ws, "emergency_admissions_rate", by="msoa")
    assert out.attrs["prior"]["family"] == "gamma"
    assert {"excess", "excess_shrunk", "above_95", "above_99_8"} <= set(out.columns)
    assert out["excess_shrunk"].is_monotonic_decreasing


def test_target_cli_table_and_protected_csv(demo, tmp_path):
    ws, truth = demo
    out = tmp_path / "flu.csv"
    result = runner.invoke(
        cli.app, ["target", FLU, "--dir", str(ws.root), "--out", str(out), "--top", "5"]
    )
    assert result.exit_code == 0, result.output
    assert "Top 5 communities" in result.output and "SYNTHETIC" in result.output
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert {"area_code", "eligible", "reached", "not_reached", "rank"} <= set(table.columns)
    assert table["rank"].astype(int).tolist() == list(range(1, len(table) + 1))
    for column in ("eligible", "reached", "not_reached"):
        published = table.loc[table[column] != "*", column].astype(float)
        assert (published % 5 == 0).all()
    top = table.loc[table["rank"].astype(int) <= math.ceil(0.1 * len(table)), "area_code"]
    assert set(truth["planted"]["lsoa_codes"]) <= set(top)
    assert (table["value_note"].str.contains("SYNTHETIC")).all()


def test_target_cli_group_breakdown(demo):
    ws, _ = demo
    result = runner.invoke(
        cli.app,
        [
            "target",
            FLU,
            "--dir",
            str(ws.root),
            "--by",
            "ethnicity*imd_quintile",
            "--benchmark",
            "80%",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Benchmark: 80%" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["flu_65"], "did you mean 'flu_65_plus'"),
        (["mortality_all_causes_dsr"], "is a dsr"),
        ([FLU, "--by", "lad"], "has no breakdown 'lad'"),
        ([FLU, "--benchmark", "80"], "percentage such as 80%"),
    ],
)
def test_target_cli_errors(demo, args, message):
    ws, _ = demo
    result = runner.invoke(cli.app, ["target", *args, "--dir", str(ws.root)])
    assert result.exit_code != 0
    assert isinstance(result.exception, InputError)
    assert message in str(result.exception)


def test_target_cli_before_build(tmp_path):
    catalogue = Path(healthgap.demo.__file__).parent / "catalogue.toml"
    init_workspace(tmp_path / "ws", place="Luton", catalogue=catalogue)
    result = runner.invoke(cli.app, ["target", FLU, "--dir", str(tmp_path / "ws")])
    assert isinstance(result.exception, InputError)
    assert "healthgap build" in str(result.exception)

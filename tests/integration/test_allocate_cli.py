"""`healthgap allocate`, run in-process on a small synthetic workspace."""

import warnings
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from healthgap import cli
from healthgap.errors import InputError
from healthgap.targeting.allocation_places import allocation_for

pytestmark = pytest.mark.slow  # building the small workspace takes about 15 s

runner = CliRunner()
INDICATORS = ("flu_65_plus", "emergency_admissions_rate")


def build_workspace(root: Path) -> Path:
    """Luton at a tenth of its size, with two indicators built into the warehouse.

    (``healthgap.demo_workspace.make_demo`` builds the whole demo catalogue at full size:
    too slow for a test. This makes the same kind of workspace in a few seconds.)
    """
    from healthgap.demo import synthesise
    from healthgap.indicators.engine import Place, evaluate
    from healthgap.workspace import init_workspace

    data = synthesise("Luton", seed=7, scale=0.1, out=root / "synthetic")
    catalogue = Path(__file__).parents[2] / "src" / "healthgap" / "demo" / "catalogue.toml"
    ws = init_workspace(
        root / "ws",
        place="Luton",
        persons=data.out / "persons.parquet",
        events=data.out / "events.parquet",
        catalogue=catalogue,
        synthetic=True,
    )
    with warnings.catch_warnings():
        # Ibis still calls DuckDB's deprecated fetch_arrow_table(): not this test's concern.
        warnings.filterwarnings("ignore", "fetch_arrow_table", DeprecationWarning)
        result = evaluate(
            [ws.indicator(i) for i in INDICATORS],
            persons=ws.persons,
            events=ws.events,
            place=Place.of(ws.area_codes, ws.place_name),
        )
    with ws.warehouse().change("build", synthetic=True) as change:
        change.replace("indicator_values", result.values, where={"source": "build"})
    return ws.root


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return build_workspace(tmp_path_factory.mktemp("allocate"))


def _run(*args):
    result = runner.invoke(cli.app, ["allocate", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.output


def test_allocate_lsoa_imd_writes_table_and_gradient(workspace, tmp_path):
    out = tmp_path / "allocation.csv"
    output = _run("£1.5m", "--dir", workspace, "--out", out, "--top", 3)
    assert "SYNTHETIC" in output
    assert "Pounds per head by national IMD 2025 decile" in output
    assert "Most per head: top 3 of 125" in output
    table = pd.read_csv(out)
    assert len(table) == 125
    assert table["allocation"].sum() == 1_500_000
    assert table["equal_per_head"].sum() == table["need_only"].sum() == 1_500_000
    assert {"area_code", "population", "need", "per_head", "note"} <= set(table.columns)
    assert (table["note"] == "SYNTHETIC").all()
    gradient = pd.read_csv(tmp_path / "allocation-gradient.csv")
    assert gradient["allocation"].is_monotonic_decreasing
    assert gradient["population"].sum() == table["population"].sum()


def test_allocate_msoa_by_indicator_and_combined_need(workspace):
    one = allocation_for(workspace, 100_000, level="msoa", need="emergency_admissions_rate")
    assert len(one.areas) == 22 and one.areas["allocation"].sum() == 100_000
    assert "MSOA values" in one.needs[0]
    both = allocation_for(
        workspace, 100_000, level="msoa", need="imd:0.5,emergency_admissions_rate:0.5"
    )
    assert len(both.needs) == 2
    rel = both.areas["relative_need"] * both.areas["population"]
    assert rel.sum() / both.areas["population"].sum() == pytest.approx(1.0)
    output = _run(
        100_000,
        "--dir",
        workspace,
        "--level",
        "msoa",
        "--need",
        "imd:0.5,emergency_admissions_rate:0.5",
        "--combine",
        "rank",
    )
    assert "emergency_admissions_rate" in output


def test_allocate_practices_rounds_person_level_populations(workspace, tmp_path):
    out = tmp_path / "practices.csv"
    _run("250k", "--dir", workspace, "--level", "practice", "--out", out)
    table = pd.read_csv(out, dtype={"population": str})
    assert table["allocation"].sum() == 250_000
    shown = table.loc[table["population"] != "*", "population"].astype(int)
    assert (shown % 5 == 0).all()
    gradient = pd.read_csv(tmp_path / "practices-gradient.csv")
    assert (gradient["population"] % 5 == 0).all()


def test_allocate_uptake_need_hides_small_counts(workspace, tmp_path):
    result = allocation_for(workspace, 50_000, level="lsoa", need="flu_65_plus")
    assert result.needs[0].startswith("100 − flu_65_plus (%)")
    published = result.table()
    counts = result.need_counts.set_index("area_code").reindex(result.areas["area_code"])
    small = ((counts["count"] > 0) & (counts["count"] <= 7)).to_numpy()
    assert small.any()
    assert (published.loc[small, "need"] == "*").all()
    assert published["note"][small].str.contains("small numbers").all()


def test_allocate_localities_from_a_lookup(workspace, tmp_path):
    from healthgap.reference.lsoa import lsoas

    table = lsoas()
    luton = table[table["lad_name"] == "Luton"]
    msoas = sorted(set(luton["msoa_code"].astype(str)))
    lookup = tmp_path / "localities.csv"
    lookup.write_text(
        "msoa_code,locality\n"
        + "\n".join(f"{code},{'North' if i % 2 else 'South'}" for i, code in enumerate(msoas))
        + "\n"
    )
    result = allocation_for(workspace, 10_000, level="locality", localities=lookup)
    assert sorted(result.areas["area_code"]) == ["North", "South"]
    assert result.areas["population"].sum() == int(luton["population"].sum())
    assert result.areas["allocation"].sum() == 10_000
    # An MSOA missing from the lookup is named.
    lookup.write_text("msoa_code,locality\n" + f"{msoas[0]},North\n")
    with pytest.raises(InputError, match="needs a locality; missing"):
        allocation_for(workspace, 10_000, level="locality", localities=lookup)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["100", "--need", "flu_65_plu"], "did you mean 'flu_65_plus'"),
        (["100", "--need", "emergency_admissions_rate"], "has no lsoa values"),
        (["100", "--level", "ward"], "level must be one of"),
        (["lots"], "not an amount of pounds"),
        (["100.50"], "whole number of pounds"),
        (["100", "--need", "flu_65_plus", "--period", "1999"], "has no period '1999'"),
    ],
)
def test_allocate_errors_name_the_problem(workspace, args, message, monkeypatch, capsys):
    monkeypatch.setattr("sys.argv", ["healthgap", "allocate", *args, "--dir", str(workspace)])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 2
    assert message in " ".join(capsys.readouterr().err.split())

"""`healthgap init`, `import fingertips`, `import table` and `export`, run in-process."""

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from healthgap import cli

runner = CliRunner()
FINGERTIPS = (
    Path(__file__).parents[1] / "reference/fingertips/fingertips_93356_campylobacter_countyua.csv"
)


def invoke(*args):
    result = runner.invoke(cli.app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def test_init_import_and_export_round_trip(tmp_path):
    workspace = tmp_path / "ws"
    invoke("init", workspace, "--place", "Luton")
    assert (workspace / "healthgap.toml").exists()
    assert (workspace / "warehouse.duckdb").exists()

    invoke("import", "fingertips", FINGERTIPS, "--dir", workspace)
    out = tmp_path / "export.csv"
    invoke("export", "--out", out, "--dir", workspace)
    exported = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(exported) == 852
    assert exported.columns[0] == "Indicator ID"
    counts = exported["Count"]
    numeric = pd.to_numeric(counts[counts != "*"], errors="coerce").dropna()
    assert (numeric % 5 == 0).all()  # counts rounded to 5 on the way out
    assert (numeric == 0).any() or (numeric >= 8).all()


def test_init_refuses_to_overwrite_without_force(tmp_path):
    invoke("init", tmp_path / "ws")
    again = runner.invoke(cli.app, ["init", str(tmp_path / "ws")])
    assert again.exit_code != 0
    assert "--force" in str(again.exception) + again.output


def test_import_table_computes_proportions(tmp_path):
    workspace = tmp_path / "ws"
    invoke("init", workspace)
    table = tmp_path / "uptake.csv"
    pd.DataFrame(
        {
            "area_code": ["E06000032", "E06000032"],
            "period": ["2024", "2024"],
            "imd_quintile": ["1", "5"],
            "numerator": [300, 450],
            "denominator": [500, 520],
        }
    ).to_csv(table, index=False)
    invoke(
        "import",
        "table",
        table,
        "--dir",
        workspace,
        "--indicator",
        "uptake",
        "--method",
        "proportion",
        "--group",
        "imd_quintile",
    )
    out = tmp_path / "values.parquet"
    invoke("export", "--out", out, "--dir", workspace)
    values = pd.read_parquet(out)
    assert sorted(values["Value"].round(1)) == [60.0, 86.5]

"""`healthgap audit`, run in-process on a small synthetic workspace."""

import duckdb
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from healthgap import cli
from healthgap.reference.lsoa import lsoas
from healthgap.targeting.audit_data import audit_service

runner = CliRunner()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    from healthgap.demo import synthesise
    from healthgap.workspace import init_workspace

    root = tmp_path_factory.mktemp("audit")
    data = synthesise("Luton", seed=11, scale=0.1, out=root / "synthetic")
    ws = init_workspace(
        root / "ws",
        place="Luton",
        persons=data.out / "persons.parquet",
        events=data.out / "events.parquet",
        synthetic=True,
    )
    return ws


@pytest.fixture(scope="module")
def service(workspace):
    """People reached by a clinic that sees the most deprived twice as often as others."""
    with duckdb.connect() as con:
        people = con.execute(
            "SELECT lsoa_code, ethnicity, sex, birth_date FROM read_parquet(?) "
            "WHERE registered_to IS NULL ORDER BY person_id",
            [str(workspace.persons)],
        ).df()
    deciles = lsoas().set_index("lsoa_code")["imd_decile"].astype(int)
    quintile = (people["lsoa_code"].map(deciles) + 1) // 2
    rng = np.random.default_rng(2025)
    chosen = rng.random(len(people)) < np.where(quintile == 1, 0.08, 0.04)
    return people[chosen].reset_index(drop=True)


def test_audit_person_level_file(workspace, service, tmp_path):
    file = tmp_path / "clinic.csv"
    service.to_csv(file, index=False)
    out = tmp_path / "audit.csv"
    result = runner.invoke(
        cli.app, ["audit", str(file), "--dir", str(workspace.root), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "IMD 2025 quintile" in result.output and "Ethnic group" in result.output
    table = pd.read_csv(out, dtype={"service_count": str, "population_count": str})
    assert set(table["dimension"]) == {"imd_quintile", "ethnicity", "sex", "age_band"}
    q1 = table[(table["dimension"] == "imd_quintile") & (table["category"] == "1")].iloc[0]
    assert q1["verdict"] == "over-represented"
    for column in ("service_count", "population_count"):
        shown = table.loc[table[column] != "*", column].astype(int)
        assert (shown % 5 == 0).all()
    assert table["note"].str.startswith("SYNTHETIC").all()


def test_audit_aggregated_file_agrees_with_person_level(workspace, service, tmp_path):
    person = tmp_path / "people.csv"
    service.to_csv(person, index=False)
    on = audit_service(workspace, person).table
    born = pd.to_datetime(service["birth_date"])
    age = 2026 - born.dt.year - ((born.dt.month * 100 + born.dt.day) > 331)
    bands = pd.cut(
        age,
        [-1, 15, 24, 34, 49, 64, 200],
        labels=["0-15", "16-24", "25-34", "35-49", "50-64", "65+"],
    )
    deciles = lsoas().set_index("lsoa_code")["imd_decile"].astype(int)
    counts = (
        pd.DataFrame(
            {
                "imd_quintile": (service["lsoa_code"].map(deciles) + 1) // 2,
                "ethnicity": service["ethnicity"],
                "sex": service["sex"],
                "age_band": bands.astype(str),
            }
        )
        .value_counts()
        .rename("count")
        .reset_index()
    )
    aggregated = tmp_path / "counts.csv"
    counts.to_csv(aggregated, index=False)
    pd.testing.assert_frame_equal(on, audit_service(workspace, aggregated).table)


def test_audit_malformed_file_exits_with_row_and_column(workspace, tmp_path, monkeypatch, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("sex,ethnicity\nF,White\nF,Purple\n")
    monkeypatch.setattr("sys.argv", ["healthgap", "audit", str(bad), "--dir", str(workspace.root)])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "column 'ethnicity'" in err and "(row 3)" in err

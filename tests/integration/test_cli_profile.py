"""The `healthgap profile` command, run in-process."""

import pandas as pd
import pytest
from typer.testing import CliRunner

from healthgap import cli
from healthgap.errors import InputError
from healthgap.profile import deprivation_profile
from healthgap.reference.lsoa import lsoas
from healthgap.reference.places import find_place

runner = CliRunner()


def test_profile_writes_deciles_and_neighbourhoods(tmp_path):
    result = runner.invoke(cli.app, ["profile", "Luton", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Core20: 37.0%" in result.output
    deciles = pd.read_csv(tmp_path / "profile-E06000032-deciles.csv")
    areas = pd.read_csv(tmp_path / "profile-E06000032-neighbourhoods.csv")
    assert list(deciles["imd_decile"]) == list(range(1, 11))
    assert len(areas) == 125
    assert deciles["population"].sum() == areas["population"].sum()


def test_profile_matches_census_and_imd_for_the_place():
    # Independent route: every Luton LSOA from the packaged table, counted by hand.
    table = lsoas()
    luton = table[table["lad_name"] == "Luton"]
    profile = deprivation_profile("E06000032")
    assert profile.population == int(luton["population"].sum())
    core20 = int(luton.loc[luton["imd_decile"] <= 2, "population"].sum())
    assert profile.core20_population == core20
    assert profile.neighbourhoods["imd_rank"].is_monotonic_increasing


def test_profile_unknown_place_suggests_close_matches():
    with pytest.raises(InputError, match="Did you mean: Luton"):
        deprivation_profile("Lutn")


def test_cli_unknown_place_exits_with_a_one_line_error(monkeypatch, capsys):
    monkeypatch.setattr("sys.argv", ["healthgap", "profile", "Nowhereshire"])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 2
    assert "not an English local authority" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("luton", "E06000032"),
        ("  LUTON ", "E06000032"),
        ("Bristol", "E06000023"),
        ("E08000016", "E08000038"),
    ],  # Barnsley's 2023 code maps to its 2025 code
)
def test_find_place_by_name_or_code(query, code):
    assert find_place(query).code == code


def test_packaged_reference_covers_england():
    table = lsoas()
    assert len(table) == 33_755
    assert table["lad_code"].nunique() == 296
    # Census 2021: England's usual residents were 56,490,048; small-area tables are
    # perturbed for disclosure control, so their sum differs by a few hundred.
    assert int(table["population"].sum()) == pytest.approx(56_490_048, rel=1e-4)
    assert sorted(table["imd_decile"].unique()) == list(range(1, 11))

import numpy as np
import pandas as pd
import pytest

from healthgap.errors import InputError
from healthgap.reference.esp2013 import band_positions, esp2013, standard_population
from tests.unit.methods._phe import read


def test_esp2013_sums_to_100000_in_19_bands():
    table = esp2013()
    assert list(table.columns) == ["age_band", "start_age", "population"]
    assert len(table) == 19
    assert table["population"].sum() == 100_000
    assert list(table["start_age"]) == list(range(0, 95, 5))
    assert table["age_band"].iloc[0] == "0-4"
    assert table["age_band"].iloc[-1] == "90+"


def test_esp2013_matches_phe_package_data():
    # pkgdata_esp2013.csv: PHEindicatormethods' own esp2013 vector, youngest first.
    assert list(esp2013()["population"]) == list(read("pkgdata_esp2013.csv")["esp2013"])


def test_esp2013_returns_a_copy_each_call():
    table = esp2013()
    table.loc[0, "population"] = 0
    assert esp2013()["population"].iloc[0] == 5000


@pytest.mark.parametrize(
    ("label", "position"),
    [
        ("0-4", 0),
        ("00-04", 0),
        (" 0 - 4 ", 0),
        ("05-09", 1),
        ("5-9", 1),
        ("85-89", 17),
        ("90+", 18),
        ("90 +", 18),
        ("55–59", 11),
        (0, 0),
        (5, 1),
        (90, 18),
        (45.0, 9),
        ("45", 9),
    ],
)
def test_band_positions_accepts_labels_and_start_ages(label, position):
    assert band_positions(pd.DataFrame({"age": [label]}), "age").tolist() == [position]


def test_band_positions_all_labels_round_trip():
    labels = esp2013()["age_band"]
    assert band_positions(pd.DataFrame({"age": labels}), "age").tolist() == list(range(19))


def test_band_positions_categorical_column():
    df = pd.DataFrame({"age": pd.Categorical(["90+", "0-4", "90+"])})
    assert band_positions(df, "age").tolist() == [18, 0, 18]


@pytest.mark.parametrize("label", ["55-69", "90-94", "0-5", "95+", "85+", "3", 7, 2.5, "under 5"])
def test_band_positions_rejects_non_esp_bands(label):
    df = pd.DataFrame({"age": ["0-4", label]}, index=["a", "b"])
    with pytest.raises(InputError, match=r"column 'age': not a European .* \(row 'b'\)"):
        band_positions(df, "age")


def test_band_positions_names_every_bad_row():
    df = pd.DataFrame({"age": ["0-4", "55-69", "5-9", "55-69"]})
    with pytest.raises(InputError, match=r"'55-69'.*\(rows 1, 3\)") as caught:
        band_positions(df, "age")
    assert caught.value.column == "age"
    assert caught.value.rows == [1, 3]


def test_band_positions_missing_values_raise():
    with pytest.raises(InputError, match=r"column 'age': has missing values \(row 1\)"):
        band_positions(pd.DataFrame({"age": ["0-4", None]}), "age")


def test_standard_population_matches_by_label_not_position():
    df = pd.DataFrame({"age": ["90+", "00-04", 50]})
    np.testing.assert_array_equal(standard_population(df, "age"), [1000.0, 5000.0, 7000.0])

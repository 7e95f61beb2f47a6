"""need_index: weighted combinations of measures of need, by hand."""

import numpy as np
import pandas as pd
import pytest

from healthgap.errors import InputError
from healthgap.targeting._need_data import parse_spec
from healthgap.targeting.allocation import allocate
from healthgap.targeting.need import need_index

DF = pd.DataFrame(
    {
        "imd_score": [40.0, 20.0, 10.0, 10.0],
        "admissions": [1500.0, 1200.0, 900.0, 400.0],
        "people": [100, 100, 200, 600],
    }
)


def test_need_index_ratio_by_hand():
    # Unweighted means 20 and 1000: ratios (2, 1, .5, .5) and (1.5, 1.2, .9, .4);
    # weights 3:1 → (3×2 + 1.5)/4 = 1.875, (3 + 1.2)/4 = 1.05, (1.5 + .9)/4 = .6,
    # (1.5 + .4)/4 = .475.
    out = need_index(DF, {"imd_score": 3, "admissions": 1})
    np.testing.assert_allclose(out, [1.875, 1.05, 0.6, 0.475], rtol=1e-12)
    assert out.name == "need"
    assert out.index.equals(DF.index)


def test_need_index_ratio_population_weighted_by_hand():
    # Person-weighted mean IMD = (4000 + 2000 + 2000 + 6000)/1000 = 14.
    out = need_index(DF, {"imd_score": 1}, population="people")
    np.testing.assert_allclose(out, DF["imd_score"] / 14, rtol=1e-12)
    assert float(out @ DF["people"] / DF["people"].sum()) == pytest.approx(1.0)


def test_need_index_z_by_hand():
    # IMD: mean 20, population SD sqrt((400+0+100+100)/4) = sqrt(150).
    # Admissions: mean 1000, SD sqrt((250000+40000+10000+360000)/4) = sqrt(165000).
    z1 = (DF["imd_score"] - 20) / np.sqrt(150)
    z2 = (DF["admissions"] - 1000) / np.sqrt(165000)
    out = need_index(DF, {"imd_score": 0.5, "admissions": 0.5}, method="z")
    np.testing.assert_allclose(out, 100 + 10 * (z1 + z2) / 2, rtol=1e-12)


def test_need_index_rank_by_hand():
    # Ranks (1 = least need): IMD 4, 3, 1.5, 1.5; admissions 4, 3, 2, 1; R = rank / 4.
    def iod(r):
        return -23 * np.log(1 - r * (1 - np.exp(-100 / 23)))

    imd = iod(np.array([4, 3, 1.5, 1.5]) / 4)
    adm = iod(np.array([4, 3, 2, 1]) / 4)
    out = need_index(DF, {"imd_score": 0.75, "admissions": 0.25}, method="rank")
    np.testing.assert_allclose(out, 0.75 * imd + 0.25 * adm, rtol=1e-12)
    assert out.iloc[0] == pytest.approx(100.0)


def test_need_index_of_one_measure_allocates_like_the_measure():
    df = DF.assign(area_code=list("ABCD"))
    index = need_index(df, {"imd_score": 1}, population="people")
    direct = allocate(df, 100_000, population="people", need="imd_score")
    combined = allocate(df.assign(need=index), 100_000, population="people", need="need")
    assert direct["allocation"].tolist() == combined["allocation"].tolist()


def test_need_index_constant_measure_scores_zero_in_z():
    df = DF.assign(flat=5.0)
    out = need_index(df, {"flat": 1}, method="z")
    assert out.tolist() == [100.0] * 4


@pytest.mark.parametrize(
    ("weights", "kwargs", "message"),
    [
        ({}, {}, "at least one column"),
        ({"imd_score": -1}, {}, "must be zero or more"),
        ({"imd_score": 0}, {}, "weights are all zero"),
        ({"imd_score": "x"}, {}, "must be a number"),
        ({"nope": 1}, {}, "'nope' not found"),
        ({"imd_score": 1}, {"method": "mean"}, "method must be one of ratio, z, rank"),
        ({"imd_score": 1}, {"population": "nope"}, "'nope' not found"),
    ],
)
def test_need_index_bad_input_raises(weights, kwargs, message):
    with pytest.raises(InputError, match=message):
        need_index(DF, weights, **kwargs)


def test_need_index_ratio_rejects_negative_and_zero_mean_measures():
    with pytest.raises(InputError, match=r"column 'x': must not be negative \(row 1\)"):
        need_index(pd.DataFrame({"x": [1.0, -1.0]}), {"x": 1})
    with pytest.raises(InputError, match="column 'x': averages zero"):
        need_index(pd.DataFrame({"x": [0.0, 0.0]}), {"x": 1})


def test_parse_spec_weights_and_errors():
    assert parse_spec("imd") == {"imd": 1.0}
    assert parse_spec("imd:0.5, flu_65_plus:0.5") == {"imd": 0.5, "flu_65_plus": 0.5}
    with pytest.raises(InputError, match="given twice"):
        parse_spec("imd,imd")
    with pytest.raises(InputError, match="must be a number"):
        parse_spec("imd:lots")
    with pytest.raises(InputError, match="expected imd"):
        parse_spec("imd,")

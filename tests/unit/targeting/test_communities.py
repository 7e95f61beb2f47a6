"""communities_for on a small hand-made warehouse, parse_benchmark, and the CSV's
disclosure control (publishable)."""

from __future__ import annotations

import pandas as pd
import pytest

from healthgap.disclosure import DisclosureRules
from healthgap.errors import InputError
from healthgap.indicators.definition import Indicator, Numerator
from healthgap.reference.lsoa import lsoas
from healthgap.targeting.communities import communities_for, parse_benchmark
from healthgap.targeting.community_csv import publishable
from healthgap.workspace import init_workspace

CATALOGUE = """
[[indicator]]
id = "flu_65_plus"
title = "Flu vaccination uptake, aged 65 and over"
unit = "%"
method = "proportion"
periods = "flu_season"
polarity = "higher-is-better"
target = 75
breakdowns = ["imd_quintile", "lsoa", "msoa", "ethnicity"]
[indicator.population]
min_age = 65
[indicator.numerator]
concept = "flu_vaccination"

[[indicator]]
id = "smoking"
title = "Smoking prevalence"
method = "proportion"
polarity = "no judgement"
breakdowns = ["lsoa"]
[indicator.numerator]
concept = "smoking_status"

[[indicator]]
id = "deaths_dsr"
title = "Mortality"
method = "dsr"
breakdowns = ["lsoa"]
[indicator.numerator]
concept = "death"
"""
LUTON = "E06000032"
FLU = Indicator("flu", "Flu", "proportion", Numerator("flu_vaccination"), target=75)
RATE = Indicator("adm", "Admissions", "rate", Numerator("emergency_admission"))


def luton_lsoas() -> pd.DataFrame:
    table = lsoas()
    return table[table["lad_code"] == LUTON].sort_values("lsoa_code").head(6)


def values(period: str, end: str, scale: int = 1) -> pd.DataFrame:
    """indicator_values rows: six LSOAs, two IMD quintiles and the total."""
    areas = luton_lsoas()
    counts = [30, 150, 160, 170, 80, 190]
    denominators = [100, 200, 200, 200, 100, 200]
    rows = [
        {
            "area_code": code,
            "area_name": name,
            "area_type": "lsoa",
            "parent_code": LUTON,
            "breakdown_type": "lsoa",
            "category": "",
            "count": c * scale,
            "denominator": d * scale,
        }
        for code, name, c, d in zip(
            areas["lsoa_code"], areas["lsoa_name"], counts, denominators, strict=True
        )
    ]
    rows += [
        {
            "area_code": LUTON,
            "area_name": "Luton",
            "area_type": "lad",
            "parent_code": None,
            "breakdown_type": "imd_quintile",
            "category": label,
            "count": c,
            "denominator": d,
        }
        for label, c, d in (("1 (most deprived)", 300, 500), ("5 (least deprived)", 480, 600))
    ]
    msoas = pd.DataFrame(rows[:6]).assign(msoa=areas["msoa_code"].to_numpy())
    for code, group in msoas.groupby("msoa"):
        rows.append(
            {
                "area_code": code,
                "area_name": code,
                "area_type": "msoa",
                "parent_code": LUTON,
                "breakdown_type": "msoa",
                "category": "",
                "count": group["count"].sum(),
                "denominator": group["denominator"].sum(),
            }
        )
    rows.append(
        {
            "area_code": LUTON,
            "area_name": "Luton",
            "area_type": "lad",
            "parent_code": None,
            "breakdown_type": "total",
            "category": "",
            "count": sum(counts) * scale,
            "denominator": sum(denominators) * scale,
        }
    )
    frame = pd.DataFrame(rows)
    return frame.assign(
        indicator_id="flu_65_plus",
        source="build",
        period=period,
        period_end=pd.Timestamp(end),
        sex="Persons",
        age="65+ yrs",
        value=frame["count"] / frame["denominator"] * 100,
    )


@pytest.fixture
def workspace(tmp_path):
    catalogue = tmp_path / "catalogue.toml"
    catalogue.write_text(CATALOGUE, encoding="utf-8")
    ws = init_workspace(tmp_path / "ws", place="Luton", catalogue=catalogue)
    rows = pd.concat([values("2023-24", "2024-03-31", scale=2), values("2024-25", "2025-03-31")])
    with ws.warehouse().change("build") as change:
        change.replace("indicator_values", rows, where={"source": "build"})
    return ws


def test_communities_latest_period_best_quintile_benchmark(workspace):
    out = communities_for(workspace, "flu_65_plus")
    assert out.attrs["period"] == "2024-25"
    # Best IMD quintile: 480 of 600 = 80%.
    assert out["benchmark"].iloc[0] == pytest.approx(80.0)
    assert out.attrs["benchmark_label"].startswith("best IMD quintile, 5 (least deprived): 80.0%")
    first = luton_lsoas().iloc[0]
    assert out["area_code"].iloc[0] == first["lsoa_code"]  # 30 of 100: 50 short
    assert out["not_reached"].iloc[0] == pytest.approx(50.0)
    assert out["imd_decile"].iloc[0] == first["imd_decile"]
    assert out["imd_score"].iloc[0] == pytest.approx(first["imd_score"])
    assert out["rank"].tolist() == list(range(1, 7))
    assert {"area_code", "eligible", "reached", "not_reached", "rank"} <= set(out.columns)


def test_communities_named_and_numeric_benchmarks(workspace):
    assert communities_for(workspace, "flu_65_plus", benchmark="target")["benchmark"].iloc[
        0
    ] == pytest.approx(75.0)
    pooled = communities_for(workspace, "flu_65_plus", benchmark="pooled")
    assert pooled["benchmark"].iloc[0] == pytest.approx(780 / 1000 * 100)
    for text in ("0.7", "70%", 70.0):
        out = communities_for(workspace, "flu_65_plus", benchmark=text)
        assert out["benchmark"].iloc[0] == pytest.approx(70.0)


def test_communities_earlier_period(workspace):
    out = communities_for(workspace, "flu_65_plus", period="2023-24")
    assert out["eligible"].sum() == 2000


def test_communities_msoa_without_persons_uses_census_weights(workspace):
    out = communities_for(workspace, "flu_65_plus", by="msoa").set_index("area_code")
    table = lsoas()
    for code, row in out.iterrows():
        areas = table[table["msoa_code"] == code]
        weights = areas["population"].astype(float)
        mean = (areas["imd_score"].astype(float) * weights).sum() / weights.sum()
        assert row["imd_score"] == pytest.approx(mean)
        core20 = (weights * (areas["imd_decile"] <= 2)).sum() / weights.sum() * 100
        assert row["core20_share"] == pytest.approx(core20)
    assert "imd_decile" not in out.columns


def test_communities_breakdown_not_built(workspace):
    with pytest.raises(InputError, match="no 'ethnicity' values"):
        communities_for(workspace, "flu_65_plus", by="ethnicity")


@pytest.mark.parametrize(
    ("indicator", "options", "message"),
    [
        ("flu_65", {}, "did you mean 'flu_65_plus'"),
        ("deaths_dsr", {}, "is a dsr"),
        ("flu_65_plus", {"by": "practice"}, "has no breakdown 'practice'"),
        ("flu_65_plus", {"by": "lsao"}, "did you mean 'lsoa'"),
        ("flu_65_plus", {"period": "2019-20"}, "no 'lsoa' values for period '2019-20'"),
        ("smoking", {}, "has no polarity"),
        ("flu_65_plus", {"benchmark": "best-quintle"}, "did you mean 'best_quintile'"),
        ("flu_65_plus", {"benchmark": "80"}, "between 0 and 1"),
    ],
)
def test_communities_errors(workspace, indicator, options, message):
    with pytest.raises(InputError, match=message):
        communities_for(workspace, indicator, **options)


def test_communities_without_build(tmp_path):
    catalogue = tmp_path / "catalogue.toml"
    catalogue.write_text(CATALOGUE, encoding="utf-8")
    ws = init_workspace(tmp_path / "ws", place="Luton", catalogue=catalogue)
    with pytest.raises(InputError, match="healthgap build"):
        communities_for(ws, "flu_65_plus")
    ws.warehouse_path.unlink()
    with pytest.raises(InputError, match="healthgap build"):
        communities_for(ws.root, "flu_65_plus")


def test_communities_smoking_with_polarity_override(workspace):
    with pytest.raises(InputError, match="no values of indicator 'smoking'"):
        communities_for(workspace, "smoking", polarity="lower-is-better")


@pytest.mark.parametrize(
    ("text", "indicator", "expected"),
    [
        ("0.8", FLU, 80.0),
        ("80%", FLU, 80.0),
        (" 62.5 % ", FLU, 62.5),
        ("1", FLU, 100.0),
        ("target", FLU, "target"),
        ("best-quintile", FLU, "best_quintile"),
        ("Pooled", FLU, "pooled"),
        (80, FLU, 80.0),
        ("1200", RATE, 1200.0),
    ],
)
def test_parse_benchmark(text, indicator, expected):
    assert parse_benchmark(text, indicator) == expected


@pytest.mark.parametrize(
    ("text", "indicator", "message"),
    [
        ("80", FLU, "a percentage such as 80%"),
        ("120%", FLU, "above 100%"),
        ("5%", RATE, "needs a proportion"),
        ("national", FLU, "not 'target'"),
    ],
)
def test_parse_benchmark_errors(text, indicator, message):
    with pytest.raises(InputError, match=message):
        parse_benchmark(text, indicator)


def test_publishable_rounds_and_suppresses(workspace):
    out = communities_for(workspace, "flu_65_plus")
    small = out.copy()
    small.loc[small.index[-1], ["reached", "eligible"]] = [3.0, 9.0]
    small.attrs = out.attrs
    table = publishable(small, DisclosureRules())
    shown = table[~table["suppressed"]]
    for column in ("eligible", "reached", "not_reached"):
        numbers = shown[column].astype(float)
        assert (numbers % 5 == 0).all()
    hidden = table[table["suppressed"]]
    assert len(hidden) >= 2  # the small one, and another so it can't be subtracted out
    assert (hidden["reached"] == "*").all() and (hidden["uptake"] == "*").all()
    assert (hidden["below_95"] == "*").all()
    assert table["rank"].tolist() == out["rank"].tolist()  # ranking is not changed
    assert (table["value_note"][table["suppressed"]] == "Suppressed: small numbers").all()


def test_publishable_marks_synthetic(workspace):
    out = communities_for(workspace, "flu_65_plus")
    out.attrs["synthetic"] = True
    assert (publishable(out, DisclosureRules())["value_note"] == "SYNTHETIC").all()

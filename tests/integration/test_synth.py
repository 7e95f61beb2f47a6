"""`healthgap synth` and `healthgap.demo.synthesise`: a synthetic population that recovers
the gradients built into it (truth.json).

Luton is generated once for this module; small places (Rutland, Isles of Scilly) check
determinism, scaling and file handling quickly.
"""

import hashlib
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import healthgap as hg
from healthgap import cli
from healthgap.demo import ethnicity, mortality, synthesise
from healthgap.demo.events import CONCEPTS
from healthgap.errors import InputError
from healthgap.reference.lsoa import AGE_GROUPS, lsoas

CENSUS = int(np.datetime64("2021-03-21", "D").astype("int64"))
START = int(np.datetime64("2021-04-01", "D").astype("int64"))
STOP = int(np.datetime64("2026-04-01", "D").astype("int64"))
#: Financial years 2021/22 … 2025/26: (first day, day after the last).
YEARS = [
    tuple(int(np.datetime64(f"{y + k}-04-01", "D").astype("int64")) for k in (0, 1))
    for y in range(2021, 2026)
]
FILES = ("persons.parquet", "events.parquet", "truth.json")


def _days(table: pa.Table, column: str) -> np.ndarray:
    """Days since 1970-01-01 (float, NaN where missing)."""
    return pc.cast(table[column], pa.int32()).to_numpy(zero_copy_only=False).astype("float64")


class Synthetic:
    """The files of one run, loaded once, with days as numbers."""

    def __init__(self, result):
        self.result = result
        self.truth = json.loads((result.out / "truth.json").read_text(encoding="utf-8"))
        persons = pq.read_table(result.out / "persons.parquet")
        events = pq.read_table(result.out / "events.parquet")
        self.persons = persons.drop_columns(["birth_date", "registered_from", "registered_to"])
        self.persons = self.persons.to_pandas()
        self.persons["birth"] = _days(persons, "birth_date")
        self.persons["registered_from"] = _days(persons, "registered_from")
        self.persons["registered_to"] = _days(persons, "registered_to")
        deciles = lsoas().set_index("lsoa_code")["imd_decile"].astype("int64")
        self.persons["decile"] = self.persons["lsoa_code"].map(deciles).to_numpy()
        self.events = events.drop_columns(["date"]).to_pandas()
        self.events["concept"] = self.events["concept"].astype(str)
        self.events["day"] = _days(events, "date")
        index = pd.Index(self.persons["person_id"])
        self.events["row"] = index.get_indexer(self.events["person_id"])
        leaves = self.persons["registered_to"].to_numpy()
        self.exit = np.where(np.isnan(leaves), STOP, leaves + 0.5)

    def has(self, concept, since=-np.inf, until=np.inf):
        """Persons with an event of ``concept`` on days in [since, until)."""
        e = self.events
        rows = e.loc[(e["concept"] == concept) & (e["day"] >= since) & (e["day"] < until), "row"]
        out = np.zeros(len(self.persons), dtype=bool)
        out[rows.to_numpy()] = True
        return out

    def age(self, day):
        return (day - self.persons["birth"].to_numpy()) / 365.25


@pytest.fixture(scope="module")
def luton(tmp_path_factory):
    return Synthetic(synthesise("Luton", seed=2025, out=tmp_path_factory.mktemp("luton") / "out"))


def _hashes(folder):
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in FILES}


@pytest.fixture(scope="module")
def rutland_runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("rutland")
    return {
        "a": synthesise("Rutland", seed=11, out=root / "a"),
        "b": synthesise("Rutland", seed=11, out=root / "b"),
        "other_seed": synthesise("Rutland", seed=12, out=root / "c"),
        "small_chunks": synthesise("Rutland", seed=11, out=root / "d", persons_per_chunk=4_000),
    }


def test_synth_same_seed_gives_byte_identical_files(rutland_runs):
    assert _hashes(rutland_runs["a"].out) == _hashes(rutland_runs["b"].out)


def test_synth_different_seed_gives_different_files(rutland_runs):
    a, c = _hashes(rutland_runs["a"].out), _hashes(rutland_runs["other_seed"].out)
    assert a["persons.parquet"] != c["persons.parquet"]
    assert a["events.parquet"] != c["events.parquet"]


def test_synth_content_does_not_depend_on_chunking(rutland_runs):
    for name in ("persons", "events"):
        whole = pq.read_table(rutland_runs["a"].out / f"{name}.parquet")
        chunked = pq.ParquetFile(rutland_runs["small_chunks"].out / f"{name}.parquet")
        assert chunked.num_row_groups > 1
        assert chunked.read().equals(whole)


def test_synth_persons_match_census_by_lsoa_and_age_band(luton):
    people = luton.persons[luton.persons["birth"] <= CENSUS]  # not the babies born later
    birth = pd.DatetimeIndex(people["birth"].to_numpy().astype("int64").astype("datetime64[D]"))
    later_in_year = (birth.month > 3) | ((birth.month == 3) & (birth.day > 21))
    age = 2021 - birth.year - later_in_year  # completed years on census day, 2021-03-21
    band = np.searchsorted([lo for lo, _ in AGE_GROUPS.values()], age, side="right") - 1
    got = pd.crosstab(people["lsoa_code"], band).sort_index()
    table = lsoas()
    expected = table[table["lad_name"] == "Luton"].set_index("lsoa_code")[list(AGE_GROUPS)]
    expected = expected.sort_index().to_numpy(dtype="int64")
    np.testing.assert_array_equal(got.to_numpy(), expected)
    assert len(people) == 225_239 == luton.result.persons - luton.result.births
    assert len(luton.persons) == luton.result.persons


def test_synth_scale_multiplies_census_counts_rounded(tmp_path):
    result = synthesise("Isles of Scilly", seed=1, scale=2.5, out=tmp_path / "s")
    people = pq.read_table(result.out / "persons.parquet", columns=["lsoa_code", "birth_date"])
    people = people.to_pandas()
    people = people[pd.to_datetime(people["birth_date"]) <= "2021-03-21"]  # not the babies
    table = lsoas()
    census = table[table["lad_name"] == "Isles of Scilly"].set_index("lsoa_code")
    expected = np.rint(census[list(AGE_GROUPS)].to_numpy(dtype=float) * 2.5).sum(axis=1)
    got = people["lsoa_code"].value_counts().reindex(census.index)
    np.testing.assert_array_equal(got.to_numpy(), expected.astype(int))


def test_synth_schema_types_and_synthetic_metadata(luton):
    out = luton.result.out
    persons = pq.read_schema(out / "persons.parquet")
    events = pq.read_schema(out / "events.parquet")
    assert persons.names == [
        "person_id", "sex", "birth_date", "ethnicity", "lsoa_code", "practice_code",
        "learning_disability", "severe_mental_illness", "carer", "homeless",
        "registered_from", "registered_to",
    ]  # fmt: skip
    assert persons.field("person_id").type == pa.int64()
    assert persons.field("birth_date").type == pa.date32()
    assert persons.field("homeless").type == pa.bool_()
    assert events.names == ["person_id", "date", "concept", "value"]
    assert events.field("date").type == pa.date32()
    assert events.field("concept").type == pa.dictionary(pa.int8(), pa.string())
    for schema in (persons, events):
        assert schema.metadata[b"healthgap.synthetic"] == b"true"
        assert schema.metadata[b"healthgap.seed"] == b"2025"
        assert schema.metadata[b"healthgap.place"] == b"E06000032"
    p = luton.persons
    assert set(p["sex"].unique()) == {"F", "M"}
    assert set(p["ethnicity"].unique()) == {"White", "Asian", "Black", "Mixed", "Other"}
    assert p["person_id"].is_unique
    assert set(luton.events["concept"].unique()) == set(CONCEPTS)
    values = luton.events.loc[luton.events["concept"] == "smoking_status", "value"]
    assert set(values.unique()) == {"current", "ex", "never"}
    assert luton.events.loc[luton.events["concept"] != "smoking_status", "value"].isna().all()
    assert luton.truth["synthetic"] is True


def test_synth_truth_names_planted_neighbourhoods(luton):
    planted = luton.truth["planted"]
    assert planted["concept"] == "flu_vaccination"
    assert len(planted["lsoa_codes"]) == 5
    assert set(planted["lsoa_codes"]) <= set(luton.persons["lsoa_code"].unique())


def test_synth_no_events_after_death_or_leaving(luton):
    e = luton.events
    after = e["day"].to_numpy() > np.floor(luton.exit[e["row"].to_numpy()])
    assert not after.any()
    dead = luton.has("death")
    assert np.array_equal(np.isfinite(luton.persons["registered_to"]) & dead, dead)
    deaths = e[e["concept"] == "death"]
    assert deaths["person_id"].is_unique
    leaves = luton.persons["registered_to"].to_numpy()[deaths["row"]]
    np.testing.assert_array_equal(deaths["day"].to_numpy(), leaves)


def test_synth_events_within_the_period_except_prevalent_diagnoses(luton):
    e = luton.events
    outside = (e["day"] < START) | (e["day"] >= STOP)
    conditions = {"hypertension", "diabetes", "copd", "asthma", "chd", "depression"}
    assert set(e.loc[outside, "concept"].unique()) <= conditions
    assert (e.loc[outside, "day"] < START).all()
    born = luton.persons["birth"].to_numpy()[e["row"]]
    assert (e["day"].to_numpy() >= born).all()


def _day(text):
    return int(np.datetime64(text, "D").astype("int64"))


def _aged_0_on_census_day(s):
    birth = s.persons["birth"].to_numpy()
    return (birth >= _day("2020-03-22")) & (birth <= CENSUS)


def test_synth_births_each_year_match_the_census_0_year_olds(luton):
    p = luton.persons
    birth = p["birth"].to_numpy()
    babies = birth >= START
    assert not ((birth > CENSUS) & ~babies).any()  # nobody born between census and record
    aged_0 = _aged_0_on_census_day(luton)
    per_lsoa = p.loc[aged_0, "lsoa_code"].value_counts()
    # Each LSOA: as many babies in each financial year as its people aged 0 on census day.
    for first, after in YEARS:
        born = p.loc[(birth >= first) & (birth < after), "lsoa_code"].value_counts()
        assert set(born.index) <= set(per_lsoa.index)
        np.testing.assert_array_equal(born.reindex(per_lsoa.index, fill_value=0), per_lsoa)
    assert babies.sum() == 5 * aged_0.sum() == luton.result.births
    assert luton.truth["counts"]["births"] == luton.result.births
    # Census 2021 0–15 band spread evenly over 16 single years (binomial, 4 SE).
    table = lsoas()
    children = int(table.loc[table["lad_name"] == "Luton", "pop_0_15"].sum())
    assert abs(aged_0.sum() - children / 16) < 4 * np.sqrt(children / 16 * 15 / 16)
    # Birth days uniform over the record: births per calendar month ∝ its days (4 SE).
    months = pd.Series(birth[babies].astype("datetime64[D]").astype("datetime64[M]"))
    counts = months.value_counts().sort_index()
    assert len(counts) == 60
    edges = np.arange("2021-04", "2026-05", dtype="datetime64[M]").astype("datetime64[D]")
    expected = babies.sum() * np.diff(edges).astype(float) / (STOP - START)
    assert (np.abs(counts.to_numpy() - expected) < 4 * np.sqrt(expected)).all()
    # Registered from birth; everyone else from the record's first day.
    np.testing.assert_array_equal(p["registered_from"].to_numpy()[babies], birth[babies])
    assert (p["registered_from"].to_numpy()[~babies] == START).all()
    # Sex ratio at birth: 48.7% girls (binomial, 4 SE); no PLUS flags at the start.
    girls = (p.loc[babies, "sex"] == "F").mean()
    assert abs(girls - 0.487) < 4 * np.sqrt(0.487 * 0.513 / babies.sum())
    flags = ["learning_disability", "severe_mental_illness", "carer", "homeless"]
    assert not p.loc[babies, flags].any(axis=None)
    # Ethnic mix of the LSOA's 0–15 band, weighted by its births (4 SE per group).
    lsoa_codes = p.loc[babies, "lsoa_code"]
    areas = table[table["lad_name"] == "Luton"].sort_values("lsoa_code").reset_index(drop=True)
    band_0 = ethnicity.probabilities(2025, areas)[:, 0, :]
    weights = lsoa_codes.value_counts().reindex(areas["lsoa_code"], fill_value=0).to_numpy()
    wanted = weights @ band_0 / weights.sum()
    got = p.loc[babies, "ethnicity"].value_counts(normalize=True)
    got = got.reindex(ethnicity.ETHNIC_GROUPS, fill_value=0).to_numpy()
    np.testing.assert_array_less(
        np.abs(got - wanted), 4 * np.sqrt(wanted * (1 - wanted) / babies.sum())
    )


def test_synth_under_1_population_is_never_empty(luton):
    p = luton.persons
    birth = p["birth"].to_numpy()
    aged_0 = _aged_0_on_census_day(luton).sum()
    registered_from = p["registered_from"].to_numpy()
    for first, after in YEARS:
        mid = (first + after) // 2
        present = (registered_from <= mid) & (luton.exit > mid)
        under_1 = present & (birth <= mid) & (luton.age(mid) < 1)
        # About one year's births (the census 0-year-olds' yearly number), less the few who
        # died or moved away, give or take the births' split between the two half-years:
        # every year, not only the first.
        assert 0.9 * aged_0 < under_1.sum() < 1.06 * aged_0


def test_synth_babies_die_and_move_away_at_the_model_rates(luton):
    p = luton.persons
    birth = p["birth"].to_numpy()
    babies = birth >= START
    dead = luton.has("death")
    years = (luton.exit - birth) / 365.25  # from birth to death, moving away or the end
    # Infant deaths: person-years under 1 × the model's age-0 hazard of the sex and decile.
    hazard = {sex: mortality.HAZARDS[sex].by_decile()[:, 0] for sex in ("F", "M")}
    mu0 = np.where(
        p["sex"].to_numpy() == "M",
        hazard["M"][p["decile"].to_numpy() - 1],
        hazard["F"][p["decile"].to_numpy() - 1],
    )
    first_year = np.minimum(years, 1.0)
    expected = (first_year * mu0)[babies].sum()
    observed = (dead & babies & (years < 1)).sum()
    assert expected > 30
    assert abs(observed - expected) < 4 * np.sqrt(expected)
    # Moving away: 1% a year from birth (registration ending without a death).
    moved = np.isfinite(p["registered_to"].to_numpy()) & ~dead
    expected = 0.01 * years[babies].sum()
    assert abs(moved[babies].sum() - expected) < 4 * np.sqrt(expected)


def _life_table_input(s):
    """Deaths and person-years by sex × decile × abridged age band."""
    p = s.persons
    dead = s.has("death")
    birth = p["birth"].to_numpy()
    a0, a1 = s.age(START), (s.exit - birth) / 365.25
    death_age = np.where(dead, a1, np.nan)
    starts = np.array([0, 1, *range(5, 95, 5)])
    key = p["sex"].to_numpy().astype(object) + p["decile"].astype(str).to_numpy()
    frames = []
    for lo, hi in zip(starts, [*starts[1:], 200], strict=True):
        years = np.clip(np.minimum(a1, hi) - np.maximum(a0, lo), 0, None)
        deaths = (death_age >= lo) & (death_age < hi)
        frame = pd.DataFrame({"key": key, "deaths": deaths, "years": years})
        frames.append(frame.groupby("key").sum().assign(age=lo))
    return pd.concat(frames).reset_index()


def test_synth_life_expectancy_by_decile_recovers_truth(luton):
    table = _life_table_input(luton)
    result = hg.life_expectancy(table, "deaths", "years", age="age", by="key", start_ages=0)
    truth = luton.truth["mortality"]["life_expectancy_at_birth"]
    result["sex"], result["decile"] = result["key"].str[0], result["key"].str[1:].astype(int)
    result["truth"] = [
        truth[s][str(d)] for s, d in zip(result["sex"], result["decile"], strict=True)
    ]
    result["se"] = (result["upper_ci"] - result["lower_ci"]) / (2 * 1.959964)
    ok = result.dropna(subset=["value"])
    assert len(ok) >= 16  # Luton has deciles 1–9
    # Within sampling error; the abridged table's 90+ band adds a known bias of ≤ 0.6 years.
    assert ((ok["value"] - ok["truth"]).abs() < 3.29 * ok["se"] + 0.6).all()
    for sex in ("M", "F"):
        rows = ok[ok["sex"] == sex]
        slope = np.polyfit(rows["decile"], rows["value"], 1, w=1 / rows["se"])[0]
        truth_slope = np.polyfit(rows["decile"], rows["truth"], 1)[0]
        assert slope == pytest.approx(truth_slope, abs=0.35)


def _flu_65(s, year):
    start, stop = (
        int(np.datetime64(d, "D").astype("int64")) for d in (f"{year}-09-01", f"{year + 1}-04-01")
    )
    eligible = (s.age(stop - 1) >= 65) & (s.exit > start)
    return eligible, s.has("flu_vaccination", start, stop)


def test_synth_flu_uptake_by_decile_recovers_truth(luton):
    p = luton.persons
    eligible, got = _flu_65(luton, 2023)
    planted = p["lsoa_code"].isin(luton.truth["planted"]["lsoa_codes"]).to_numpy()
    reference = (p["ethnicity"] == "White") & ~p["homeless"] & ~p["severe_mental_illness"]
    rows = eligible & reference.to_numpy() & ~planted
    # Expected: the reference probability of the decile, shifted by each practice's effect.
    truth = luton.truth["prevention"]["flu_vaccination"]["aged_65_plus_by_season"]["2023/24"]
    effects = luton.truth["practices"]["uptake_log_odds_effect"]
    decile = p["decile"].to_numpy()[rows]
    base = np.array([truth[str(d)] for d in decile])
    effect = p["practice_code"].map(effects).to_numpy()[rows]
    expected = 1 / (1 + np.exp(-(np.log(base / (1 - base)) + effect)))
    frame = pd.DataFrame({"decile": decile, "got": got[rows], "expected": expected})
    by_decile = frame.groupby("decile").agg(["mean", "size"])
    observed, n = by_decile[("got", "mean")], by_decile[("got", "size")]
    wanted = by_decile[("expected", "mean")]
    assert (n >= 100).sum() >= 8
    se = np.sqrt(wanted * (1 - wanted) / n)
    assert ((observed - wanted).abs() < 4 * se + 0.01).all()
    # The gradient: deciles 1–2 against 8–9, as built in (without practice effects).
    low = observed.loc[[1, 2]].mean() - observed.loc[[8, 9]].mean()
    built_in = np.mean([truth["1"], truth["2"]]) - np.mean([truth["8"], truth["9"]])
    assert low == pytest.approx(built_in, abs=0.06)


def test_synth_planted_neighbourhoods_have_clearly_lower_uptake(luton):
    p = luton.persons
    eligible, got = _flu_65(luton, 2024)
    frame = pd.DataFrame({"lsoa": p["lsoa_code"], "decile": p["decile"], "got": got})[eligible]
    areas = frame.groupby("lsoa").agg(
        uptake=("got", "mean"), n=("got", "size"), decile=("decile", "first")
    )
    areas["missed"] = areas["n"] * (1 - areas["uptake"])
    planted = areas.index.isin(luton.truth["planted"]["lsoa_codes"])
    same_decile = areas[~planted].groupby("decile")["uptake"].mean()
    gap = (
        same_decile.reindex(areas.loc[planted, "decile"]).to_numpy() - areas.loc[planted, "uptake"]
    )
    assert (gap > 0.12).all() and gap.mean() > 0.18
    top = areas["missed"].rank(ascending=False) <= np.ceil(0.1 * len(areas))
    assert top[planted].all()


def test_synth_screening_coverage_recovers_truth(luton):
    p = luton.persons
    age = luton.age(STOP)
    women = (p["sex"] == "F").to_numpy() & (age >= 30) & (age < 50) & (luton.exit >= STOP)
    covered = luton.has("cervical_screening", STOP - 3.5 * 365.25)
    reference = (
        women
        & (p["ethnicity"] == "White").to_numpy()
        & ~p[["learning_disability", "severe_mental_illness", "homeless"]].any(axis=1).to_numpy()
    )
    by_decile = pd.Series(covered[reference]).groupby(p["decile"].to_numpy()[reference]).mean()
    truth = luton.truth["prevention"]["cervical_screening"]["reference_by_decile"]
    expected = np.array([truth[str(d)] for d in by_decile.index])
    np.testing.assert_allclose(by_decile.to_numpy(), expected, atol=0.08)
    assert 0.55 < covered[women].mean() < 0.75


def test_synth_prevalences_and_rates_are_plausible(luton):
    p = luton.persons
    adults = luton.age(START) >= 18
    before = {
        c: luton.has(c, until=START)
        for c in ("hypertension", "diabetes", "copd", "asthma", "chd", "depression")
    }
    assert 0.08 < before["hypertension"].mean() < 0.18
    assert 0.05 < before["diabetes"][adults].mean() < 0.12
    assert 0.01 < before["copd"].mean() < 0.03
    assert 0.04 < before["asthma"].mean() < 0.09
    assert 0.015 < before["chd"].mean() < 0.04
    assert 0.08 < before["depression"][adults].mean() < 0.18
    assert 0.003 < p["learning_disability"].mean() < 0.008
    assert 0.006 < p.loc[adults, "severe_mental_illness"].mean() < 0.016
    assert 0.06 < p.loc[adults, "carer"].mean() < 0.12
    assert 0.002 < p.loc[adults, "homeless"].mean() < 0.008
    smoking = luton.events.loc[luton.events["concept"] == "smoking_status", "value"]
    assert 0.1 < (smoking == "current").mean() < 0.2
    admissions = (luton.events["concept"] == "emergency_admission").sum() / (len(p) * 5)
    assert 0.07 < admissions < 0.14
    deaths_per_year = luton.result.deaths / 5 / len(p)
    assert 0.005 < deaths_per_year < 0.009
    shares = p["ethnicity"].value_counts(normalize=True)
    assert shares["White"] < 0.8  # Luton is more diverse than England in this model too


def test_synth_unknown_place_raises_input_error_with_suggestions(tmp_path):
    with pytest.raises(InputError, match="Did you mean: Luton"):
        synthesise("Lutn", out=tmp_path / "x")
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seed": -1}, "seed"),
        ({"seed": 1.5}, "seed"),
        ({"scale": 0}, "scale"),
        ({"scale": float("nan")}, "scale"),
    ],
)
def test_synth_bad_seed_or_scale_raises_input_error(tmp_path, kwargs, message):
    with pytest.raises(InputError, match=message):
        synthesise("Isles of Scilly", out=tmp_path / "x", **kwargs)


def test_synth_replaces_only_earlier_synthetic_output(tmp_path):
    out = tmp_path / "out"
    synthesise("Isles of Scilly", seed=1, out=out)
    second = synthesise("Isles of Scilly", seed=2, out=out)
    assert json.loads((out / "truth.json").read_text())["seed"] == 2 == second.seed
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    with pytest.raises(InputError, match="not a healthgap synthetic-data folder"):
        synthesise("Isles of Scilly", out=other)
    assert (other / "notes.txt").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "out"]


def test_synth_failure_leaves_nothing_half_written(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("healthgap.demo.generate.events_table", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        synthesise("Isles of Scilly", out=tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_cli_synth_writes_files_and_marks_them_synthetic(tmp_path):
    out = tmp_path / "scilly"
    result = CliRunner().invoke(
        cli.app, ["synth", "--place", "Isles of Scilly", "--seed", "3", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "SYNTHETIC" in result.output
    births = pq.read_table(out / "persons.parquet", columns=["birth_date"]).to_pandas()
    births = pd.to_datetime(births["birth_date"])
    residents = int((births <= "2021-03-21").sum())
    aged_0 = int(((births > "2020-03-21") & (births <= "2021-03-21")).sum())
    assert residents == 2_054  # Census 2021 usual residents of the Isles of Scilly
    assert f"{residents + 5 * aged_0:,} people" in result.output  # + 5 years of babies
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)


def test_cli_synth_unknown_place_exits_with_a_one_line_error(monkeypatch, capsys):
    monkeypatch.setattr("sys.argv", ["healthgap", "synth", "--place", "Nowhereshire"])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 2
    assert "not an English local authority" in capsys.readouterr().err

"""The same indicators on DuckDB and on Ibis's PySpark backend give identical results.

Needs PySpark and Java 17 (``scripts/setup-spark``, which ``make test`` runs first): the
test fails, rather than skips, without them.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from pyspark.sql import SparkSession

from healthgap.indicators import backends
from healthgap.indicators.definition import Indicator, Numerator, Population
from healthgap.indicators.engine import Place, evaluate
from tests.unit.indicators.test_engine_fixtures import PLACE, random_population, write

pytestmark = [
    pytest.mark.spark,
    pytest.mark.enable_socket,  # Spark's driver talks to its JVM and workers over localhost
    pytest.mark.allow_hosts(["127.0.0.1"]),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),  # PySpark leaves sockets to GC
]

BREAKDOWNS = (
    "imd_decile",
    "imd_quintile",
    "core20",
    "ethnicity",
    "sex",
    "age_band",
    "carer",
    "lsoa",
    "msoa",
    "practice",
    "ethnicity*imd_quintile",
)
WINDOW = (date(2021, 4, 1), date(2026, 3, 31))
SMALL_DATA = {
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.shuffle.partitions": "1",
    "spark.sql.adaptive.enabled": "false",
}
NUMBERS = [
    "value",
    "lower_ci_95",
    "upper_ci_95",
    "lower_ci_99_8",
    "upper_ci_99_8",
    "count",
    "denominator",
    "benchmark_value",
]


def catalogue() -> list[Indicator]:
    """Every query the engine makes: event masks over overlapping windows, prevalence,
    events by five-year and life-table bands, and latest values (expanded periods)."""
    return [
        Indicator(
            "flu",
            "Flu 65+",
            "proportion",
            Numerator("flu_vaccination", window_days=400),
            Population(min_age=65),
            periods="flu_season",
            polarity="higher-is-better",
            breakdowns=BREAKDOWNS,
        ),
        Indicator(
            "diabetes",
            "Diabetes",
            "proportion",
            Numerator("diabetes", kind="condition"),
            Population(min_age=17, flags=("carer",)),
            breakdowns=tuple(b for b in BREAKDOWNS if b != "carer"),
        ),
        Indicator(
            "mortality",
            "Mortality",
            "dsr",
            Numerator("death"),
            polarity="lower-is-better",
            breakdowns=tuple(b for b in BREAKDOWNS if b != "age_band"),
        ),
        Indicator(
            "le", "LE", "life_expectancy", Numerator("death"), breakdowns=("imd_quintile", "sex")
        ),
        Indicator(
            "bmi",
            "BMI",
            "mean",
            Numerator("bmi", kind="value", window_days=730),
            Population(min_age=18, conditions=("diabetes",)),
            breakdowns=BREAKDOWNS,
        ),
    ]


def test_spark_and_duckdb_give_identical_results(tmp_path):
    persons, events = random_population(2_500, seed=11)
    paths = write(tmp_path, persons, events)
    kwargs = {"persons": paths[0], "events": paths[1], "place": Place(*PLACE), "window": WINDOW}
    duck = evaluate(catalogue(), engine="duckdb", **kwargs)
    con = backends.connect("spark")
    session = SparkSession.getActiveSession()
    assert session is not None
    for key, value in SMALL_DATA.items():  # for speed on a tiny population
        session.conf.set(key, value)
    spark = evaluate(catalogue(), engine=con, **kwargs)
    for ours, theirs in ((duck.values, spark.values), (duck.measures, spark.measures)):
        assert len(ours) == len(theirs) > 0
        numbers = [c for c in (*NUMBERS, "value") if c in ours]
        labels = [c for c in ours.columns if c not in numbers]
        pd.testing.assert_frame_equal(ours[labels], theirs[labels])
        np.testing.assert_allclose(
            ours[numbers].to_numpy(dtype=float),
            theirs[numbers].to_numpy(dtype=float),
            rtol=1e-9,
            equal_nan=True,
        )
    counts = duck.values[["count", "denominator"]].to_numpy(dtype=float)
    np.testing.assert_array_equal(counts, spark.values[["count", "denominator"]].to_numpy(float))
    assert set(duck.values["indicator_id"]) == {"flu", "diabetes", "mortality", "le", "bmi"}

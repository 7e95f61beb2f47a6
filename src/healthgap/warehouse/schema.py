"""The warehouse's tables: Fingertips' long shape, inequality measures and build records.

One row of ``indicator_values`` is one value of one indicator for one area, period and
category of one breakdown — the shape of a Fingertips data download, so that values
computed from person-level records and values imported from Fingertips sit side by side.
Raw values are stored; disclosure control is applied on the way out (exports, web,
reports), never here.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Breakdown type of the whole population (no breakdown): Fingertips leaves it blank.
TOTAL = "total"


@dataclass(frozen=True)
class Column:
    name: str
    sql: str  # DuckDB type
    description: str


INDICATOR_VALUES: tuple[Column, ...] = (
    Column("indicator_id", "VARCHAR NOT NULL", "Indicator id (workspace id or Fingertips id)"),
    Column("indicator_name", "VARCHAR", "Indicator title"),
    Column("source", "VARCHAR NOT NULL", "'build', 'fingertips' or 'table'"),
    Column("area_code", "VARCHAR NOT NULL", "ONS code (E06000032, E02…, E01…) or practice code"),
    Column("area_name", "VARCHAR", "Area name"),
    Column(
        "area_type", "VARCHAR NOT NULL", "'england', 'region', 'lad', 'msoa', 'lsoa', 'practice'"
    ),
    Column("parent_code", "VARCHAR", "Code of the parent area (e.g. the LA of an LSOA)"),
    Column("period", "VARCHAR NOT NULL", "Period label: '2023/24', '2023', '2023-24 flu season'…"),
    Column("period_start", "DATE", "First day of the period"),
    Column("period_end", "DATE", "Last day of the period"),
    Column("sex", "VARCHAR NOT NULL", "'Persons', 'Male' or 'Female'"),
    Column("age", "VARCHAR NOT NULL", "Age group of the indicator's population, e.g. '65+ yrs'"),
    Column("breakdown_type", "VARCHAR NOT NULL", "'total', 'imd_decile', 'ethnicity'…"),
    Column("category", "VARCHAR NOT NULL", "Category within the breakdown ('' for total)"),
    Column("category_order", "INTEGER", "Sort order of the category (1 = most deprived)"),
    Column("value", "DOUBLE", "The indicator value"),
    Column("lower_ci_95", "DOUBLE", "Lower 95% confidence limit"),
    Column("upper_ci_95", "DOUBLE", "Upper 95% confidence limit"),
    Column("lower_ci_99_8", "DOUBLE", "Lower 99.8% confidence limit"),
    Column("upper_ci_99_8", "DOUBLE", "Upper 99.8% confidence limit"),
    Column("count", "DOUBLE", "Numerator (events, people)"),
    Column("denominator", "DOUBLE", "Denominator (population, person-years, expected)"),
    Column("value_note", "VARCHAR", "Why a value is missing or qualified"),
    Column("unit", "VARCHAR", "'%', 'per 100,000', 'years'…"),
    Column("method", "VARCHAR", "Statistical method used"),
    Column("polarity", "VARCHAR", "'higher-is-better', 'lower-is-better', 'no judgement'"),
    Column("benchmark_value", "DOUBLE", "Value compared against (England or place total)"),
    Column("comparison", "VARCHAR", "Fingertips outcome vs the benchmark (Better/Same/Worse…)"),
    Column("recent_trend", "VARCHAR", "Fingertips recent-trend marker"),
    Column("build_id", "VARCHAR", "The build or import that wrote the row"),
)

INEQUALITY_MEASURES: tuple[Column, ...] = (
    Column("indicator_id", "VARCHAR NOT NULL", "Indicator id"),
    Column("area_code", "VARCHAR NOT NULL", "Area the measure summarises"),
    Column("period", "VARCHAR NOT NULL", "Period label"),
    Column("sex", "VARCHAR NOT NULL", "'Persons', 'Male' or 'Female'"),
    Column("breakdown_type", "VARCHAR NOT NULL", "Dimension of inequality, e.g. 'imd_decile'"),
    Column(
        "measure", "VARCHAR NOT NULL", "'sii', 'rii', 'gap' (most − least deprived), HEAT codes"
    ),
    Column("value", "DOUBLE", "Measure value"),
    Column("lower_ci_95", "DOUBLE", "Lower 95% limit"),
    Column("upper_ci_95", "DOUBLE", "Upper 95% limit"),
    Column("lower_ci_99_8", "DOUBLE", "Lower 99.8% limit"),
    Column("upper_ci_99_8", "DOUBLE", "Upper 99.8% limit"),
    Column("trend", "VARCHAR", "Widening / Narrowing / No significant change"),
    Column("build_id", "VARCHAR", "The build that wrote the row"),
)

BUILDS: tuple[Column, ...] = (
    Column("build_id", "VARCHAR NOT NULL", "Unique id of the build or import"),
    Column("kind", "VARCHAR NOT NULL", "'build', 'import fingertips', 'import table'"),
    Column("started_at", "TIMESTAMP", "UTC start time"),
    Column("finished_at", "TIMESTAMP", "UTC finish time"),
    Column("software_version", "VARCHAR", "healthgap version"),
    Column("definitions_sha256", "VARCHAR", "Hash of the indicator definitions used"),
    Column("inputs", "VARCHAR", "JSON: input file paths and their SHA-256 hashes"),
    Column("synthetic", "BOOLEAN", "True when built from synthetic data"),
    Column("rows", "BIGINT", "Rows written"),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "indicator_values": INDICATOR_VALUES,
    "inequality_measures": INEQUALITY_MEASURES,
    "builds": BUILDS,
}


def create_statements() -> list[str]:
    """SQL creating every warehouse table (idempotent)."""
    return [
        f"CREATE TABLE IF NOT EXISTS {name} ("
        + ", ".join(f'"{c.name}" {c.sql}' for c in columns)
        + ")"
        for name, columns in TABLES.items()
    ]


def column_names(table: str) -> list[str]:
    return [c.name for c in TABLES[table]]

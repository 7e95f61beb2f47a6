"""Rebuild the packaged reference data from the project's shared public data folder.

Run from the repository root: ``.venv/bin/python scripts/build_reference_data.py ../shared/data``.
The output, ``src/healthgap/reference/data/lsoa21.csv.gz``, is committed: the package never
reads the shared folder at run time. Sources (Open Government Licence v3.0):

- English Indices of Deprivation 2025 (MHCLG), LSOA 2021: IMD and domain ranks, scores, deciles.
- ONS Census 2021 usual residents by LSOA 2021 and six age groups (table TS007A-derived).
- ONS LSOA 2021 → MSOA 2021 → local authority lookup (2023 and 2025 boundaries).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

AGE_GROUPS = {
    "Aged 15 years and under": "pop_0_15",
    "Aged 16 to 24 years": "pop_16_24",
    "Aged 25 to 34 years": "pop_25_34",
    "Aged 35 to 49 years": "pop_35_49",
    "Aged 50 to 64 years": "pop_50_64",
    "Aged 65 years and over": "pop_65_plus",
}
DOMAINS = ["income", "employment", "education", "health", "crime", "housing", "environment"]


def build(shared: Path) -> pd.DataFrame:
    imd = pd.read_csv(shared / "imd2025_england_lsoa21.csv.gz")
    imd.columns = [
        c.lower().replace("housing_and_services", "housing").replace("lsoa21_code", "lsoa_code")
        for c in imd.columns
    ]
    lookup = pd.read_csv(shared / "lookup_lsoa21_msoa21_lad_england.csv.gz").rename(
        columns={
            "LSOA21CD": "lsoa_code",
            "LSOA21NM": "lsoa_name",
            "MSOA21CD": "msoa_code",
            "MSOA21NM": "msoa_name",
            "LAD25CD": "lad_code",
            "LAD25NM": "lad_name",
            "LAD23CD": "lad23_code",
            "LAD23NM": "lad23_name",
        }
    )[["lsoa_code", "lsoa_name", "msoa_code", "msoa_name", "lad_code", "lad_name",
       "lad23_code", "lad23_name"]]
    census = pd.read_csv(shared / "census2021_usual_residents_lsoa21_6agebands_EW.csv.gz")
    population = (
        census.pivot_table(
            index="lsoa21_code", columns="age_group", values="usual_residents", aggfunc="sum"
        )
        .rename(columns=AGE_GROUPS)[list(AGE_GROUPS.values())]
        .rename_axis(index="lsoa_code", columns=None)
        .reset_index()
    )
    columns = ["imd_rank", "imd_score", "imd_decile"] + [
        f"{d}_{m}" for d in DOMAINS for m in ("rank", "score", "decile")
    ]
    table = lookup.merge(imd[["lsoa_code", *columns]], on="lsoa_code", validate="1:1")
    table = table.merge(population, on="lsoa_code", how="left", validate="1:1")
    missing = table[list(AGE_GROUPS.values())].isna().any(axis=1)
    if missing.any():
        raise SystemExit(f"{missing.sum()} English LSOAs have no census population")
    table[list(AGE_GROUPS.values())] = table[list(AGE_GROUPS.values())].astype("int64")
    return table.sort_values("lsoa_code").reset_index(drop=True)


def main() -> None:
    shared = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
    out = Path(__file__).parents[1] / "src/healthgap/reference/data/lsoa21.csv.gz"
    table = build(shared)
    table.to_csv(out, index=False, compression={"method": "gzip", "mtime": 0})
    print(f"wrote {out} ({len(table):,} LSOAs, {out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()

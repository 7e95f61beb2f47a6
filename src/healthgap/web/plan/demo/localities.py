"""The demo plan's localities: the place's neighbourhoods (MSOAs)."""

from __future__ import annotations

from collections.abc import Sequence


def neighbourhoods(area_codes: Sequence[str], place_name: str) -> list[tuple[str, str, float]]:
    """(code, name, mean IMD score) of the place's MSOAs, most deprived first.

    A place whose codes match no local authority has one locality: itself.
    """
    from healthgap.reference.lsoa import lsoas

    table = lsoas()
    inside = table["lad_code"].isin(area_codes) | table["lad23_code"].isin(area_codes)
    msoas = (
        table[inside]
        .groupby(["msoa_code", "msoa_name"], as_index=False)["imd_score"]
        .mean()
        .sort_values(["imd_score", "msoa_code"], ascending=[False, True])
    )
    if msoas.empty:
        return [(code, place_name, 0.0) for code in area_codes[:1]]
    return [
        (str(r.msoa_code), str(r.msoa_name), float(r.imd_score))
        for r in msoas.itertuples(index=False)
    ]

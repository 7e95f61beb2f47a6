"""The communities table as it may leave the analyst: disclosure control applied.

Ranking is done on the raw counts (:func:`~healthgap.targeting.communities.communities_for`);
only then are the published numbers protected, so rounding never changes who ranks
where. Eligible and reached are suppressed and rounded by
:func:`healthgap.disclosure.protect` — with the communities' place total, so that a
hidden community cannot be worked out by subtraction — and everything computed from a
hidden community's counts (uptake, shortfall, flags) is hidden with them. The shortfalls
are rounded like counts; ethnic-mix shares resting on a small number of people are
hidden.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from healthgap.disclosure import SUPPRESSED, DisclosureRules, protect
from healthgap.indicators.breakdowns import TOTAL
from healthgap.targeting.community_mix import GROUPS

SYNTHETIC = "SYNTHETIC"
#: Columns computed from a community's counts: hidden with them.
_DERIVED_PREFIXES = ("uptake", "not_reached", "excess", "below_", "above_")


def publishable(result: pd.DataFrame, rules: DisclosureRules) -> pd.DataFrame:
    """``result`` of :func:`~healthgap.targeting.communities.communities_for` ready for a
    CSV: counts protected and rounded, derived values hidden where counts are, hidden
    cells shown as ``*``, and a ``value_note`` (``SYNTHETIC`` for synthetic data).

    Examples
    --------
    B has 3 people reached, so it is hidden; C is hidden too, or B's count would follow
    from the place total (200) less A and C.

    >>> df = pd.DataFrame({"rank": [1, 2, 3], "area_code": ["A", "B", "C"],
    ...     "eligible": [212.0, 9.0, 150.0], "reached": [101.0, 3.0, 96.0],
    ...     "uptake": [47.6, 33.3, 64.0], "not_reached": [58.6, 3.8, 0.0]})
    >>> df.attrs = {"place_total": [{"area_code": "P", "count": 200.0, "denominator": 371.0}],
    ...             "place_code": "P", "area_type": "lsoa"}
    >>> publishable(df, DisclosureRules())[["area_code", "eligible", "reached", "uptake",
    ...                                     "not_reached", "suppressed"]]
      area_code eligible reached uptake not_reached  suppressed
    0         A    210.0   100.0   47.6        60.0       False
    1         B     10.0       *      *           *        True
    2         C    150.0       *      *           *        True
    """
    attrs = result.attrs
    hidden, eligible, reached = _protect(result, rules)
    out = result.copy()
    out["eligible"], out["reached"] = eligible, reached
    derived = [c for c in out.columns if c.startswith(_DERIVED_PREFIXES) or c == "shrinkage"]
    for column in derived:
        if out[column].dtype == bool:
            out[column] = out[column].astype(object)
        out[column] = out[column].mask(hidden)
    for column in ("not_reached", "not_reached_shrunk", "excess", "excess_shrunk"):
        if column in out.columns:
            out[column] = _round(out[column].to_numpy(dtype="float64"), rules.rounding)
    numeric = [c for c in [*derived, "benchmark"] if c in out and out[c].dtype != object]
    out[numeric] = out[numeric].round(3)
    _ethnic_mix(out, rules)
    out["suppressed"] = hidden
    note = np.where(hidden, "Suppressed: small numbers", "")
    if attrs.get("synthetic"):
        note = np.where(hidden, "SYNTHETIC; Suppressed: small numbers", SYNTHETIC)
    out["value_note"] = note
    drop = [c for c in out.columns if c == "persons" or c.startswith("persons_")]
    out = out.drop(columns=drop)
    for column in ["eligible", "reached", *derived]:
        # Not disclosure.render: it cannot write into object columns under copy-on-write.
        cells = np.array(out[column].to_numpy(dtype=object, na_value=np.nan), copy=True)
        cells[hidden & pd.isna(cells)] = SUPPRESSED
        out[column] = pd.Series(cells, index=out.index, dtype=object)
    return out


def _protect(result: pd.DataFrame, rules: DisclosureRules) -> tuple[np.ndarray, ...]:
    """Suppression flags and rounded eligible and reached of each community."""
    attrs = result.attrs
    area = attrs.get("area_type")
    place = attrs.get("place_code", "")
    members = pd.DataFrame(
        {
            # Areas add up to the place (a parent); categories to the place's total row.
            "breakdown_type": TOTAL if area else attrs.get("by", "group"),
            "area_code": result["area_code"].astype(str).to_numpy(),
            "area_type": area or "lad",
            "parent_code": _parents(result, place) if area else None,
            "category": result["category"].to_numpy() if "category" in result else "",
            "count": result["reached"].to_numpy(dtype="float64"),
            "denominator": result["eligible"].to_numpy(dtype="float64"),
        }
    )
    totals = pd.DataFrame(attrs.get("place_total", []))
    if len(totals):
        totals = totals.assign(breakdown_type=TOTAL, area_type="lad", parent_code=None,
                               category="")  # fmt: skip
    table = pd.concat([members, totals], ignore_index=True) if len(totals) else members
    protected = protect(table, rules, values=(), derived=()).iloc[: len(result)]
    return (
        protected["suppressed"].to_numpy(dtype=bool),
        protected["denominator"].to_numpy(dtype="float64"),
        protected["count"].to_numpy(dtype="float64"),
    )


def _parents(result: pd.DataFrame, place: str) -> object:
    """Each area's parent (the place, unless the table says otherwise)."""
    if "parent_code" not in result.columns:
        return place
    return result["parent_code"].astype(object).fillna(place).to_numpy()


def _round(values: np.ndarray, base: int) -> np.ndarray:
    """Nearest multiple of ``base``, halves upwards (as disclosure rounds counts)."""
    if base <= 1:
        return values
    return np.floor(values / base + 0.5) * base


def _ethnic_mix(out: pd.DataFrame, rules: DisclosureRules) -> None:
    """Hide shares of the ethnic mix that rest on 1 to ``threshold`` people (0 too with
    ``suppress_zero``); round the rest to one decimal."""
    for group in GROUPS:
        share, count = f"ethnicity_{group.lower()}", f"persons_{group.lower()}"
        if share not in out.columns or count not in out.columns:
            continue
        n = out[count].to_numpy(dtype="float64", na_value=np.nan)
        small = (n <= rules.threshold) & ((n > 0) | rules.suppress_zero)
        cells = out[share].round(1).astype(object)
        cells[small] = SUPPRESSED
        out[share] = cells

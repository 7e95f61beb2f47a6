"""Communities with the greatest potential to benefit, from a workspace's built indicator
values: :func:`potential_to_benefit` on one breakdown and period of the warehouse, with
each community's deprivation and ethnic mix (``healthgap target``)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from healthgap.errors import InputError
from healthgap.indicators._toml import suggest
from healthgap.indicators.breakdowns import TOTAL, UNKNOWN, Breakdown
from healthgap.indicators.definition import Indicator
from healthgap.indicators.evaluate import multiplier
from healthgap.methods._confidence import Confidence
from healthgap.targeting.community_mix import UNITS, community_mix
from healthgap.targeting.potential import potential_to_benefit
from healthgap.workspace import Workspace, load_workspace

NAMED = ("target", "best_quintile", "pooled")
KEYS = ["area_code", "category"]
_NUMBER = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(%?)\s*")


def parse_benchmark(text: str | float, indicator: Indicator) -> str | float:
    """A ``--benchmark`` value: a named benchmark, or a number on the indicator's scale.

    ``"target"``, ``"best_quintile"`` and ``"pooled"`` are kept. For proportions, a plain
    number is a proportion between 0 and 1 (``"0.8"`` = 80%) and a number with ``%`` a
    percentage (``"80%"``); for rates, a number is a rate on the indicator's scale (e.g.
    ``"1200"`` per 100,000). A number (not text) is already on the indicator's scale.

    >>> from healthgap.indicators.definition import Numerator
    >>> flu = Indicator("flu", "Flu", "proportion", Numerator("flu_vaccination"))
    >>> parse_benchmark("0.8", flu), parse_benchmark("80%", flu), parse_benchmark("target", flu)
    (80.0, 80.0, 'target')
    """
    if not isinstance(text, str):
        return float(text)
    word = text.strip().lower().replace("-", "_").replace(" ", "_")
    if word in NAMED:
        return word
    scale = multiplier(indicator)
    found = _NUMBER.fullmatch(text)
    if found is None:
        raise InputError(
            f"benchmark {text!r} is not 'target', 'best_quintile', 'pooled' or a number"
            f"{suggest(word, NAMED)}"
        )
    number, percent = float(found.group(1)), found.group(2) == "%"
    if indicator.method != "proportion":
        if percent:
            raise InputError(f"benchmark {text!r}: a percentage needs a proportion indicator")
        return number
    if percent:
        if number > 100:
            raise InputError(f"benchmark {text!r} is above 100%")
        return number / 100 * scale
    if number > 1:
        raise InputError(
            f"benchmark {text!r}: give a proportion between 0 and 1 (0.8 = 80%) "
            f"or a percentage such as {number:g}%"
        )
    return number * scale


def communities_for(
    workspace: Workspace | str | Path,
    indicator_id: str,
    *,
    by: str = "lsoa",
    period: str | None = None,
    benchmark: str | float = "best_quintile",
    polarity: str | None = None,
    confidence: Confidence = 0.95,
    prior: str = "moments",
    rank_by: str = "shrunk",
) -> pd.DataFrame:
    """Rank one breakdown's communities by their potential to benefit.

    Reads the built ``indicator_values`` of ``indicator_id`` for breakdown ``by`` in one
    period, applies :func:`~healthgap.targeting.potential.potential_to_benefit` against
    the benchmark and adds each community's deprivation and ethnic mix
    (:func:`~healthgap.targeting.community_mix.community_mix`).

    Parameters
    ----------
    workspace : Workspace or path
    indicator_id : str
        A proportion or crude-rate indicator of the workspace's catalogue.
    by : str
        ``"lsoa"``, ``"msoa"``, ``"practice"`` or any other breakdown the indicator has
        (e.g. ``"ethnicity*imd_quintile"``: each category is a community).
    period : str, optional
        Period label, e.g. ``"2025-26"``; default the latest.
    benchmark : str or float
        ``"target"`` (the indicator's target), ``"best_quintile"`` (the place's best IMD
        quintile in the period, from its ``imd_quintile`` values), ``"pooled"`` (all the
        communities together), a number on the indicator's scale (e.g. 80 for 80%, or
        the national rate), or text as :func:`parse_benchmark` reads it.
    polarity : {"higher-is-better", "lower-is-better"}, optional
        Default the indicator's; required for indicators with no judgement.
    confidence, prior, rank_by
        As for :func:`~healthgap.targeting.potential.potential_to_benefit`.

    Returns
    -------
    DataFrame
        In rank order: ``rank``, ``area_code``, ``area_name``, ``category`` (breakdowns
        with categories), ``eligible``, ``reached``, the uptake columns, ``benchmark``,
        ``not_reached`` (``excess`` for lower-is-better), the flags, and for LSOAs,
        MSOAs and practices ``imd_decile`` (LSOAs), ``imd_score``, ``core20_share`` and
        the ethnic mix. ``attrs`` holds the indicator, period, benchmark and place total.

    Raises
    ------
    InputError
        Unknown indicator (with a suggestion), a method other than proportion or rate,
        a breakdown the indicator does not have, no built values (run ``healthgap
        build``), an unknown period or a benchmark that cannot be worked out.
    """
    ws = workspace if isinstance(workspace, Workspace) else load_workspace(workspace)
    indicator = ws.indicator(indicator_id)
    if indicator.method not in ("proportion", "rate"):
        raise InputError(
            f"indicator {indicator.id!r} is a {indicator.method}: potential to benefit needs "
            "people reached out of people eligible (a proportion) or events in person-years "
            "(a crude rate)"
        )
    if by not in indicator.breakdowns:
        choices = ", ".join(indicator.breakdowns)
        raise InputError(
            f"indicator {indicator.id!r} has no breakdown {by!r}{suggest(by, indicator.breakdowns)}"
            f"; its breakdowns are {choices}"
        )
    polarity = polarity or indicator.polarity
    if polarity == "no judgement":
        raise InputError(
            f"indicator {indicator.id!r} has no polarity: say whether higher or lower is "
            "better (polarity=, --polarity)"
        )
    rows = _rows(ws, indicator, by)
    period, rows = _period(rows, by, period, indicator)
    units = rows[rows["breakdown_type"] == by]
    units = units[(units["denominator"] > 0) & units["count"].notna()]
    target = _benchmark(parse_benchmark(benchmark, indicator), rows, indicator, polarity)
    kind = indicator.method
    frame = units.rename(columns={"count": "reached", "denominator": "eligible"})
    out = potential_to_benefit(frame, "reached", "eligible", area=KEYS, benchmark=target[0],
                               kind=kind, confidence=confidence, multiplier=multiplier(indicator),
                               polarity=polarity, prior=prior, rank_by=rank_by)  # fmt: skip
    fitted = out.attrs.get("prior", {})
    names = units[[*KEYS, "area_name", "area_type", "parent_code", "category_order"]]
    out = out.merge(names.drop_duplicates(KEYS), on=KEYS, how="left")
    area = Breakdown.parse(by).area
    if area in UNITS:
        ends = rows.loc[rows["period"] == period, "period_end"].dropna()
        on = pd.Timestamp(ends.iloc[0]).date() if len(ends) else None
        mix = community_mix(area, ws.persons, on, indicator.population)
        out = out.merge(mix, on="area_code", how="left")
    first = ["rank", "area_code", "area_name", *(["category"] if Breakdown.parse(by).categories
                                                  else [])]  # fmt: skip
    last = ["area_type", "parent_code"]
    hidden = {*first, *last, "category", "category_order"}
    result = out[first + [c for c in out.columns if c not in hidden] + last].copy()
    total = rows[(rows["breakdown_type"] == TOTAL) & (rows["period"] == period)]
    result.attrs = {
        "prior": fitted,
        "kind": kind,
        "indicator_id": indicator.id,
        "indicator_title": indicator.title,
        "unit": indicator.unit or ("%" if kind == "proportion" else ""),
        "period": period,
        "by": by,
        "area_type": area,
        "polarity": polarity,
        "benchmark": float(result["benchmark"].iloc[0]) if len(result) else math.nan,
        "benchmark_label": target[1],
        "place_code": ws.area_codes[0] if len(ws.area_codes) == 1 else "+".join(ws.area_codes),
        "place_name": ws.place_name,
        "place_total": total[["area_code", "count", "denominator"]].to_dict("records"),
        "synthetic": ws.synthetic,
    }
    return result


def _rows(ws: Workspace, indicator: Indicator, by: str) -> pd.DataFrame:
    store = ws.warehouse()
    if not store.exists():
        raise InputError(f"no warehouse in {ws.root}: run `healthgap build --dir {ws.root}` first")
    wanted = [by, "imd_quintile", TOTAL]
    rows = store.read("indicator_values", where={"indicator_id": indicator.id})
    if rows.empty:
        raise InputError(
            f"no values of indicator {indicator.id!r} in the warehouse: run "
            f"`healthgap build --dir {ws.root}` first"
        )
    if (rows["source"] == "build").any():
        rows = rows[rows["source"] == "build"]
    rows = rows[rows["breakdown_type"].isin(wanted)].copy()
    if not (rows["breakdown_type"] == by).any():
        raise InputError(
            f"the warehouse has no {by!r} values of indicator {indicator.id!r}: run "
            f"`healthgap build --dir {ws.root}` again (the catalogue has changed since)"
        )
    rows["category"] = rows["category"].fillna("")
    return rows


def _period(
    rows: pd.DataFrame, by: str, period: str | None, indicator: Indicator
) -> tuple[str, pd.DataFrame]:
    """The period asked for (default the latest with values of ``by``) and its rows."""
    have = rows[rows["breakdown_type"] == by]
    order = have.assign(_end=pd.to_datetime(have["period_end"])).sort_values(
        ["_end", "period"], na_position="first"
    )
    periods = list(dict.fromkeys(order["period"]))
    if period is None:
        period = periods[-1]
    elif period not in periods:
        raise InputError(
            f"indicator {indicator.id!r} has no {by!r} values for period {period!r}"
            f"{suggest(period, periods)}; periods: {', '.join(periods)}"
        )
    return period, rows[rows["period"] == period]


def _benchmark(
    benchmark: str | float, rows: pd.DataFrame, indicator: Indicator, polarity: str
) -> tuple[str | float, str]:
    """The benchmark to pass on (a number on the indicator's scale, or "pooled") and a
    description of it."""
    unit = indicator.unit or ""
    unit = unit if unit in ("", "%") else f" {unit}"
    if benchmark == "pooled":
        return "pooled", "all communities together"
    if benchmark == "target":
        if indicator.target is None:
            raise InputError(
                f"indicator {indicator.id!r} has no target: choose --benchmark best_quintile, "
                "pooled or a number"
            )
        return float(indicator.target), f"target {indicator.target:g}{unit}"
    if benchmark == "best_quintile":
        quintiles = rows[(rows["breakdown_type"] == "imd_quintile") & (rows["category"] != UNKNOWN)]
        quintiles = quintiles[quintiles["denominator"] > 0]
        if quintiles.empty:
            raise InputError(
                f"indicator {indicator.id!r} has no imd_quintile values for the period: "
                "choose --benchmark target, pooled or a number"
            )
        values = quintiles["count"] / quintiles["denominator"] * multiplier(indicator)
        best = values.idxmax() if polarity == "higher-is-better" else values.idxmin()
        label = f"best IMD quintile, {quintiles.loc[best, 'category']}: {values[best]:.1f}{unit}"
        return float(values[best]), label
    assert not isinstance(benchmark, str)
    return benchmark, f"{benchmark:g}{unit}"

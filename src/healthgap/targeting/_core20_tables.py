"""The tables of :func:`healthgap.targeting.core20plus5`: comparisons of each group with its
comparator (rates, gaps and their intervals), the population table, and their disclosure
control.

*Cells* are raw counts in the warehouse's long shape: ``indicator_id``, ``period``,
``breakdown_type`` (``total``, ``core20``, a PLUS flag, ``ethnicity``), ``category``,
``count`` and ``denominator``. The categories of each breakdown add up to its total, so
disclosure control (:func:`healthgap.disclosure.protect`) can apply secondary suppression.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from healthgap.disclosure import SUPPRESSED, DisclosureRules, protect
from healthgap.methods import intervals
from healthgap.targeting._core20_areas import AREAS, PLUS_GROUPS, Measure
from healthgap.targeting.difference import newcombe_difference

TOTAL = "total"
WHITE = "White"
MINORITY_GROUPS = ("Asian", "Black", "Mixed", "Other")
MINORITY = "Ethnic minority groups"
MINORITY_BREAKDOWN = "ethnic_minority"
FLAG_LABELS = {True: "Yes", False: "No"}

GROUP_VALUES = ("count", "denominator", "rate", "lower_ci", "upper_ci")
COMPARATOR_VALUES = tuple(f"comparator_{c}" for c in GROUP_VALUES)
GAP = ("gap", "gap_lower_ci", "gap_upper_ci")


def pairs(flags: Mapping[str, str]) -> pd.DataFrame:
    """Each comparison: the group's breakdown and category, and its comparator's."""
    rows = [(TOTAL, "", "", "all", "All", "")]
    rows.append(("core20", "Core20", "Rest", "core20", "Core20", "Rest"))
    rows += [(flag, "Yes", "No", "plus", label, "Others") for flag, label in flags.items()]
    rows += [("ethnicity", g, WHITE, "ethnicity", g, WHITE) for g in MINORITY_GROUPS]
    rows.append((MINORITY_BREAKDOWN, MINORITY, WHITE, "ethnicity", MINORITY, WHITE))
    columns = ["breakdown_type", "category", "comparator_category", "group_type", "group",
               "comparator"]  # fmt: skip
    out = pd.DataFrame(rows, columns=columns)
    out["pair_order"] = np.arange(len(out))
    return out


def with_minority(cells: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """``cells`` plus the ethnic minority groups together (one cell per ``keys``)."""
    ethnic = cells[(cells["breakdown_type"] == "ethnicity")
                   & cells["category"].isin(MINORITY_GROUPS)]  # fmt: skip
    if ethnic.empty:
        return cells
    numbers = [c for c in ("count", "denominator") if c in cells.columns]
    if keys:
        summed = ethnic.groupby(list(keys), sort=False)[numbers].sum().reset_index()
    else:
        summed = ethnic[numbers].sum().to_frame().T
    summed["breakdown_type"], summed["category"] = MINORITY_BREAKDOWN, MINORITY
    return pd.concat([cells, summed], ignore_index=True)


def comparisons(
    cells: pd.DataFrame, measures: Sequence[Measure], flags: Mapping[str, str]
) -> pd.DataFrame:
    """Rates of every group and its comparator, the gap and their 95% intervals."""
    info = pd.DataFrame(
        {
            "area": [m.area for m in measures],
            "area_title": [AREAS[m.area] for m in measures],
            "measure": [m.indicator.id for m in measures],
            "measure_title": [m.indicator.title for m in measures],
            "ambition": [m.ambition for m in measures],
            "note": ["; ".join(t for t in (m.ambition_source, m.note) if t) for m in measures],
            "measure_order": np.arange(len(measures)),
        }
    )
    full = with_minority(cells, ["indicator_id", "period"])
    group = full.rename(columns={"indicator_id": "measure"})
    out = info.merge(group, on="measure").merge(pairs(flags), on=["breakdown_type", "category"])
    other = group.assign(breakdown_type=group["breakdown_type"].replace(MINORITY_BREAKDOWN,
                                                                        "ethnicity"))  # fmt: skip
    other = other.rename(columns={"category": "comparator_category", "count": "comparator_count",
                                  "denominator": "comparator_denominator"})  # fmt: skip
    compared = out.assign(_bt=out["breakdown_type"].replace(MINORITY_BREAKDOWN, "ethnicity"))
    compared = compared.merge(
        other.rename(columns={"breakdown_type": "_bt"}).drop(columns="period"),
        on=["measure", "_bt", "comparator_category"],
        how="left",
    ).drop(columns="_bt")
    alone = compared["breakdown_type"].to_numpy() == TOTAL  # the place: no comparator
    compared.loc[alone, ["comparator_count", "comparator_denominator"]] = np.nan
    compared = compared.sort_values(["measure_order", "pair_order"], kind="stable")
    return _statistics(compared.reset_index(drop=True))


def _statistics(df: pd.DataFrame) -> pd.DataFrame:
    x, n = (df[c].to_numpy(dtype="float64") for c in ("count", "denominator"))
    y = df["comparator_count"].to_numpy(dtype="float64")
    m = df["comparator_denominator"].to_numpy(dtype="float64")
    for prefix, a, b in (("", x, n), ("comparator_", y, m)):
        with np.errstate(divide="ignore", invalid="ignore"):
            df[f"{prefix}rate"] = np.where(b > 0, 100 * a / np.where(b > 0, b, 1), np.nan)
            lower, upper = intervals.wilson(a, b)
        df[f"{prefix}lower_ci"], df[f"{prefix}upper_ci"] = 100 * lower, 100 * upper
    d, lower, upper = newcombe_difference(x, n, y, m)
    df["gap"], df["gap_lower_ci"], df["gap_upper_ci"] = 100 * d, 100 * lower, 100 * upper
    ambition = df["ambition"].astype("float64")
    met = pd.array(df["rate"] >= ambition, dtype="boolean")
    met[ambition.isna().to_numpy() | df["rate"].isna().to_numpy()] = pd.NA
    df["met"] = met
    columns = ["area", "area_title", "measure", "measure_title", "period", "group_type",
               "group", "comparator", *GROUP_VALUES, *COMPARATOR_VALUES, *GAP, "ambition",
               "met", "note", "breakdown_type", "category", "comparator_category"]  # fmt: skip
    return df[columns]


def protect_rates(rates: pd.DataFrame, cells: pd.DataFrame, rules: DisclosureRules) -> pd.DataFrame:
    """``rates`` with disclosure control (see :meth:`Core20Plus5Result.protected`)."""
    published = _published(cells, ["indicator_id", "period"], rules, denominator=True)
    key = ["measure", "breakdown_type", "category"]
    out = rates.drop(columns=["count", "denominator", "comparator_count",
                              "comparator_denominator"])  # fmt: skip
    side = published.rename(columns={"indicator_id": "measure"})
    out = out.merge(side[[*key, "count", "denominator", "suppressed"]], on=key, how="left")
    other = side.rename(columns={"category": "comparator_category", "count": "comparator_count",
                                 "denominator": "comparator_denominator",
                                 "suppressed": "comparator_suppressed"})  # fmt: skip
    out["_bt"] = out["breakdown_type"].replace(MINORITY_BREAKDOWN, "ethnicity")
    other = other.rename(columns={"breakdown_type": "_bt"})
    out = out.merge(other[["measure", "_bt", "comparator_category", "comparator_count",
                           "comparator_denominator", "comparator_suppressed"]],
                    on=["measure", "_bt", "comparator_category"], how="left")  # fmt: skip
    hidden = out["suppressed"].fillna(True).to_numpy(dtype=bool)
    out["suppressed"] = hidden
    total = out["breakdown_type"].to_numpy() == TOTAL
    other_hidden = out["comparator_suppressed"].fillna(True).to_numpy(dtype=bool) & ~total
    out["comparator_suppressed"] = other_hidden
    out.loc[total, ["comparator_count", "comparator_denominator"]] = np.nan
    for column in ("rate", "lower_ci", "upper_ci"):
        out[column] = out[column].mask(hidden)
        out[f"comparator_{column}"] = out[f"comparator_{column}"].mask(other_hidden)
    for column in GAP:
        out[column] = out[column].mask(hidden | other_hidden)
    out["met"] = out["met"].mask(hidden)
    return out[[*rates.columns, "suppressed", "comparator_suppressed"]]


def render_rates(protected: pd.DataFrame) -> pd.DataFrame:
    """Suppressed numbers of :func:`protect_rates`' output as ``"*"`` (for CSV)."""
    out = protected.copy()
    group = out["suppressed"].to_numpy(dtype=bool)
    other = out["comparator_suppressed"].to_numpy(dtype=bool)
    for columns, hidden in ((GROUP_VALUES, group), (COMPARATOR_VALUES, other),
                            (GAP, group | other)):  # fmt: skip
        for column in columns:
            cells = out[column].astype(object).to_numpy(copy=True)
            cells[hidden & pd.isna(cells)] = SUPPRESSED
            out[column] = pd.Series(cells, index=out.index, dtype=object)
    return out


def population_cells(grouped: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Counts by each key separately (and in total) from counts by all keys at once."""
    frames = [pd.DataFrame({"breakdown_type": [TOTAL], "category": [""],
                            "count": [grouped["count"].sum()]})]  # fmt: skip
    for key in keys:
        values = grouped[key].astype(object).map(lambda v: FLAG_LABELS.get(v, v))
        values = values.where(values.notna(), "Unknown")
        summed = grouped.groupby(values, sort=True)["count"].sum()
        frames.append(pd.DataFrame({"breakdown_type": key, "category": summed.index.astype(str),
                                    "count": summed.to_numpy()}))  # fmt: skip
    out = pd.concat(frames, ignore_index=True)
    out["count"] = out["count"].astype("float64")
    return out


def population_table(cells: pd.DataFrame, flags: Mapping[str, str]) -> pd.DataFrame:
    """The Core20 and PLUS populations: ``group_type``, ``group``, ``count``, ``share``."""
    full = with_minority(cells, [])
    total = float(full.loc[full["breakdown_type"] == TOTAL, "count"].sum())
    wanted = [(TOTAL, "", "all", "All"), ("core20", "Core20", "core20", "Core20"),
              ("core20", "Rest", "core20", "Rest")]  # fmt: skip
    wanted += [(flag, "Yes", "plus", label) for flag, label in flags.items()]
    wanted += [(MINORITY_BREAKDOWN, MINORITY, "ethnicity", MINORITY)]
    wanted += [("ethnicity", g, "ethnicity", g) for g in (*MINORITY_GROUPS, WHITE)]
    table = pd.DataFrame(wanted, columns=["breakdown_type", "category", "group_type", "group"])
    out = table.merge(full, on=["breakdown_type", "category"], how="inner")
    out["share"] = 100 * out["count"] / total if total else np.nan
    return out[["group_type", "group", "count", "share", "breakdown_type", "category"]]


def protect_population(cells: pd.DataFrame, rules: DisclosureRules) -> pd.DataFrame:
    """The population table with disclosure control (share hidden with its count)."""
    raw = population_table(cells, _flags_in(cells))
    published = _published(cells, [], rules, denominator=False)
    key = ["breakdown_type", "category"]
    out = raw.drop(columns="count").merge(published[[*key, "count", "suppressed"]], on=key)
    out["share"] = out["share"].mask(out["suppressed"])
    return out[[*raw.columns, "suppressed"]]


def _flags_in(cells: pd.DataFrame) -> dict[str, str]:
    present = set(cells["breakdown_type"])
    return {flag: label for flag, label in PLUS_GROUPS.items() if flag in present}


def _published(
    cells: pd.DataFrame, keys: list[str], rules: DisclosureRules, *, denominator: bool
) -> pd.DataFrame:
    """Rounded counts (and denominators) of every cell and of the combined ethnic minority
    cell, with ``suppressed``; the combined cell is hidden whenever a group in it is."""
    numbers = ["count", "denominator"] if denominator else ["count"]
    siblings = [*keys, "breakdown_type"]
    done = protect(cells[[*keys, "breakdown_type", "category", *numbers]], rules,
                   siblings=siblings, values=(), margins=(), parent=None, derived=())  # fmt: skip
    ethnic = cells[(cells["breakdown_type"] == "ethnicity")
                   & cells["category"].isin(MINORITY_GROUPS)]  # fmt: skip
    if ethnic.empty:
        return done
    combined = with_minority(ethnic, keys)
    combined = combined[combined["breakdown_type"] == MINORITY_BREAKDOWN]
    alone = protect(combined[[*keys, "breakdown_type", "category", *numbers]],
                    replace(rules, secondary=False), siblings=siblings, values=(),
                    margins=(), parent=None, derived=())  # fmt: skip
    hidden_parts = done[(done["breakdown_type"] == "ethnicity")
                        & done["category"].isin(MINORITY_GROUPS)]  # fmt: skip
    if keys:
        any_hidden = hidden_parts.groupby(keys, sort=False, as_index=False)["suppressed"].any()
        merged = alone[keys].merge(any_hidden, on=keys, how="left")
        flag = merged["suppressed"].fillna(True).to_numpy(dtype=bool)
    else:
        flag = np.full(len(alone), bool(hidden_parts["suppressed"].any()))
    alone["suppressed"] = alone["suppressed"].to_numpy(dtype=bool) | flag
    for column in numbers:
        alone[column] = alone[column].mask(alone["suppressed"])
    return pd.concat([done, alone], ignore_index=True)

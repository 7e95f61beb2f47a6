"""Secondary suppression: worked examples of sibling sets, margins and area hierarchies."""

import numpy as np
import pandas as pd
import pytest

from healthgap.disclosure import DisclosureRules, protect
from healthgap.errors import InputError

EXACT = DisclosureRules(rounding=0)  # unrounded, so that the examples read easily


def table(total, breakdowns=None, *, area="E06000032", sex="Persons", **extra):
    """Rows of one indicator/area/period: the total and each breakdown's categories."""
    rows = [("total", "", total)]
    for name, counts in (breakdowns or {}).items():
        rows += [(name, str(i + 1), c) for i, c in enumerate(counts)]
    df = pd.DataFrame(rows, columns=["breakdown_type", "category", "count"])
    df.insert(0, "indicator_id", "smoking")
    df.insert(1, "area_code", area)
    df.insert(2, "period", "2024/25")
    df.insert(3, "sex", sex)
    df.insert(4, "age", "18+ yrs")
    return df.assign(**extra)


def hidden(out, breakdown="imd_quintile"):
    """Categories (1-based) of ``breakdown`` that were suppressed."""
    rows = out[out["breakdown_type"] == breakdown]
    return [int(c) for c in rows.loc[rows["suppressed"], "category"]]


def test_secondary_hides_the_smallest_other_category():
    out = protect(table(70, {"imd_quintile": [3, 12, 25, 9, 21]}), EXACT)
    assert hidden(out) == [1, 4]  # 3 is small; 9 is the smallest other
    assert not out.loc[out["breakdown_type"] == "total", "suppressed"].any()


def test_secondary_not_needed_when_nothing_is_small():
    out = protect(table(70, {"imd_quintile": [8, 12, 20, 9, 21]}), EXACT)
    assert not out["suppressed"].any()


def test_secondary_not_needed_when_two_hidden_cells_hide_enough():
    # 6 + 5 = 11 hidden: either could be anything from 1 to 10.
    out = protect(table(70, {"imd_quintile": [6, 5, 25, 13, 21]}), EXACT)
    assert hidden(out) == [1, 2]


def test_secondary_when_two_small_cells_add_up_to_a_small_number():
    # 3 + 4 = 7: with both hidden, each is known to be between 1 and 6.
    out = protect(table(70, {"imd_quintile": [3, 4, 25, 17, 21]}), EXACT)
    assert hidden(out) == [1, 2, 4]


def test_secondary_picks_one_of_tied_smallest_categories():
    out = protect(table(60, {"imd_quintile": [2, 20, 20, 18, 0]}), EXACT)
    assert hidden(out) == [1, 4]


def test_secondary_never_hides_a_published_zero():
    # Hiding a zero would not help: the attacker knows hidden cells are at least 1.
    out = protect(table(32, {"imd_quintile": [2, 0, 0, 30, 0]}), EXACT)
    assert hidden(out) == [1, 4]


def test_secondary_hides_the_total_when_only_small_cells_remain():
    # 4 + 4 = 8 published: hiding both still shows each is 1 to 7, so the total goes,
    # and then every other breakdown of that total must hide a category.
    df = table(8, {"imd_quintile": [4, 0, 4, 0, 0], "sex": [8, 0]})
    out = protect(df, EXACT)
    assert out.loc[out["breakdown_type"] == "total", "suppressed"].all()
    assert hidden(out) == [1, 3]
    assert hidden(out, "sex") == [1]


def test_secondary_small_total_is_suppressed_with_its_categories():
    out = protect(table(5, {"imd_quintile": [0, 5, 0, 0, 0], "sex": [2, 3]}), EXACT)
    assert out["suppressed"].tolist() == [True, False, True, False, False, False, True, True]


def test_secondary_each_breakdown_of_a_total_is_protected_on_its_own():
    df = table(100, {"imd_quintile": [3, 20, 30, 22, 25], "ethnicity": [90, 10, 0]})
    out = protect(df, EXACT)
    assert hidden(out) == [1, 2]
    assert hidden(out, "ethnicity") == []


def test_secondary_sets_of_other_areas_and_periods_are_independent():
    small = table(70, {"imd_quintile": [3, 12, 25, 9, 21]})
    large = table(70, {"imd_quintile": [10, 12, 25, 9, 14]}, area="E06000033")
    later = small.assign(period="2025/26", count=large["count"])
    out = protect(pd.concat([small, large, later], ignore_index=True), EXACT)
    assert out["suppressed"].sum() == 2
    assert out.loc[out["suppressed"], "area_code"].eq("E06000032").all()
    assert out.loc[out["suppressed"], "period"].eq("2024/25").all()


def test_secondary_without_a_total_row_has_nothing_to_subtract_from():
    df = table(70, {"imd_quintile": [3, 12, 25, 9, 21]}).iloc[1:]
    assert hidden(protect(df, EXACT)) == [1]


def test_secondary_works_on_rounded_output_too():
    out = protect(table(70, {"imd_quintile": [3, 12, 25, 9, 21]}))
    assert hidden(out) == [1, 4]
    np.testing.assert_array_equal(out["count"], [70, np.nan, 10, 25, np.nan, 20])


def test_secondary_protects_small_denominators_like_counts():
    df = table(30, {"imd_quintile": [0, 10, 20]}, denominator=[300, 5, 95, 200])
    out = protect(df, EXACT)
    # Quintile 1 has 5 people: hidden; quintile 2 (95) goes too, or 300 - 200 = 5.
    assert hidden(out) == [1, 2]
    np.testing.assert_array_equal(out["denominator"], [300, np.nan, np.nan, 200])


def test_secondary_protects_male_and_female_within_persons():
    persons = table(40, {"imd_quintile": [15, 25]})
    male = table(31, {"imd_quintile": [12, 19]}, sex="Male")
    female = table(9, {"imd_quintile": [3, 6]}, sex="Female")
    out = protect(pd.concat([persons, male, female], ignore_index=True), EXACT)
    got = out.loc[out["suppressed"], ["sex", "breakdown_type", "category"]]
    assert sorted(map(tuple, got.to_numpy())) == [
        ("Female", "imd_quintile", "1"),
        ("Female", "imd_quintile", "2"),
        ("Male", "imd_quintile", "1"),  # else Persons 15 - Male 12 = 3
        ("Male", "imd_quintile", "2"),  # else Persons 25 - Male 19 = 6
    ]


def test_secondary_margins_can_be_switched_off():
    persons = table(40, {"imd_quintile": [15, 25]})
    female = table(9, {"imd_quintile": [3, 6]}, sex="Female")
    df = pd.concat([persons, female], ignore_index=True)
    out = protect(df, EXACT, margins=())
    assert out["suppressed"].sum() == 2  # Female quintiles only


def test_secondary_protects_small_areas_within_their_parent():
    la = table(60, area="E06000032", area_type="lad", parent_code="E12000006")
    lsoas = pd.concat(
        [
            table(c, area=f"E0100000{i}", area_type="lsoa", parent_code="E06000032")
            for i, c in enumerate([4, 30, 11, 15])
        ]
    )
    out = protect(pd.concat([la, lsoas], ignore_index=True), EXACT)
    assert out.loc[out["suppressed"], "area_code"].tolist() == ["E01000000", "E01000002"]


def test_secondary_area_hierarchy_keeps_area_types_apart():
    rows = [("E06000032", "lad", "", 60)]
    rows += [(f"E0100000{i}", "lsoa", "E06000032", c) for i, c in enumerate([30, 30])]
    rows += [(f"E0200000{i}", "msoa", "E06000032", c) for i, c in enumerate([5, 55])]
    df = pd.concat([table(c, area=a, area_type=t, parent_code=p) for a, t, p, c in rows])
    out = protect(df.reset_index(drop=True), EXACT)
    # The MSOAs need a partner for 5; the LSOAs (all 30s) need nothing.
    assert out.loc[out["suppressed"], "area_code"].tolist() == ["E02000000", "E02000001"]


def test_secondary_repeated_rows_share_their_fate():
    # A unitary authority listed under two Fingertips area types is one cell.
    df = table(70, {"imd_quintile": [3, 12, 25, 9, 21]})
    twice = pd.concat([df, df.assign(area_type="other")], ignore_index=True)
    out = protect(twice, EXACT)
    assert out["suppressed"].tolist() == 2 * [False, True, False, False, True, False]


def test_secondary_ignores_sibling_columns_the_table_lacks():
    df = table(70, {"imd_quintile": [3, 12, 25, 9, 21]}).drop(columns=["sex", "age"])
    assert hidden(protect(df, EXACT)) == [1, 4]


def test_secondary_with_custom_sibling_and_total_columns():
    df = pd.DataFrame(
        {
            "place": ["A"] * 4,
            "group": ["all", "eth", "eth", "eth"],
            "label": ["", "x", "y", "z"],
            "count": [50, 2, 30, 18],
        }
    )
    out = protect(df, EXACT, siblings=["place", "group"], total=("group", "all"), category="label")
    assert out["suppressed"].tolist() == [False, True, False, True]


def test_secondary_refuses_ambiguous_totals():
    df = table(70, {"imd_quintile": [3, 12, 25, 9, 21]})
    two_periods = pd.concat([df, df.assign(period="2025/26")], ignore_index=True)
    siblings = ["indicator_id", "area_code", "breakdown_type"]
    protect(two_periods, siblings=siblings)  # identical repeats: one cell each, fine
    two_periods.loc[6:, "count"] += 1
    with pytest.raises(InputError, match="rows with the same key have different values"):
        protect(two_periods, siblings=siblings)
    unnamed = df.drop(columns="category")  # no category column: each row its own cell
    with pytest.raises(InputError, match=r"several total rows .* share one key") as error:
        protect(pd.concat([unnamed, unnamed], ignore_index=True), siblings=siblings)
    assert error.value.rows == [0, 6]


def test_secondary_vectorised_over_many_sets():
    rng = np.random.default_rng(5)
    parts = []
    for area in range(60):
        counts = rng.poisson(rng.choice([3, 20]), size=10)
        parts.append(table(int(counts.sum()), {"imd_decile": counts}, area=f"A{area}"))
    df = pd.concat(parts, ignore_index=True)
    whole = protect(df)
    piecewise = pd.concat([protect(p) for p in parts], ignore_index=True)
    pd.testing.assert_frame_equal(whole, piecewise)


def test_secondary_protects_cross_breakdowns_within_their_margins():
    # ethnicity*imd_quintile cells add up to each ethnicity and to each quintile.
    cells = {("A", "1"): 3, ("A", "2"): 20, ("B", "1"): 30, ("B", "2"): 25}
    rows = [("total", "", 78), ("ethnicity", "A", 23), ("ethnicity", "B", 55)]
    rows += [("imd_quintile", "1", 33), ("imd_quintile", "2", 45)]
    rows += [("ethnicity*imd_quintile", f"{e}*{q}", c) for (e, q), c in cells.items()]
    df = pd.DataFrame(rows, columns=["breakdown_type", "category", "count"])
    out = protect(df.assign(area_code="A1"), EXACT)
    got = out.loc[out["suppressed"], "category"].tolist()
    # A*1 = 3 needs a partner in its ethnicity (A*2) and in its quintile (B*1); then B*2
    # goes too, or B = 55 - B*2 gives B*1.
    assert got == ["A*1", "A*2", "B*1", "B*2"]
    without = protect(df.assign(area_code="A1"), EXACT, cross=None)
    assert without.loc[without["suppressed"], "category"].tolist() == ["A*1", "A*2"]


def test_secondary_audit_follows_a_chain_across_linked_tables():
    # Without the audit: Persons q0 + q1 = 5 (their breakdown) and Male q0 = Persons q0
    # - Female q0 = Persons q0 - 4, so the hidden Male q0 (0) would be at most 1.
    from tests.unit.disclosure.test_linked_properties import (
        assert_lp_attacker_learns_nothing_small,
    )

    by_sex = {"Male": [0, 0, 18, 19], "Female": [4, 1, 7, 3], "Persons": [4, 1, 25, 22]}
    rows = []
    for sex, counts in by_sex.items():
        rows.append((sex, "total", "", sum(counts)))
        rows += [(sex, "imd_quintile", f"q{i}", n) for i, n in enumerate(counts)]
    df = pd.DataFrame(rows, columns=["sex", "breakdown_type", "category", "count"])
    rules = DisclosureRules(threshold=2, rounding=0, suppress_zero=True)
    at = {(s, c): n for n, (s, _, c, _) in enumerate(rows)}
    equations = [(at[s, ""], [at[s, f"q{i}"] for i in range(4)]) for s in by_sex]
    equations += [
        (at["Persons", c], [at["Male", c], at["Female", c]]) for c in ["", "q0", "q1", "q2", "q3"]
    ]
    assert_lp_attacker_learns_nothing_small(df, protect(df, rules), rules, equations)

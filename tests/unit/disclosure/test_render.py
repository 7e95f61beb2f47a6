import numpy as np
import pandas as pd
import pytest

from healthgap.disclosure import SUPPRESSED, protect, render
from healthgap.errors import InputError


def test_render_marks_suppressed_numbers_with_a_star():
    df = pd.DataFrame(
        {
            "count": [3, 40, np.nan],
            "denominator": [50, 800, 100],
            "value": [6.0, 5.0, np.nan],
            "upper_ci_95": [9.0, 6.0, np.nan],
        }
    )
    out = render(protect(df))
    assert SUPPRESSED == "*"
    assert out["count"].tolist()[:2] == ["*", 40.0]
    assert np.isnan(out["count"].iloc[2])  # missing, not suppressed: stays blank
    assert out["value"].tolist()[:2] == ["*", 5.0]
    assert out["upper_ci_95"].tolist()[:2] == ["*", 6.0]
    assert out["denominator"].tolist() == [50.0, 800.0, 100.0]
    assert all(out[c].dtype == object for c in ["count", "denominator", "value"])


def test_render_csv_shows_stars_and_blanks():
    df = pd.DataFrame({"count": [3, 40, np.nan], "value": [6.0, 5.0, np.nan]})
    text = render(protect(df)).to_csv(index=False)
    assert text.splitlines() == [
        "count,value,suppressed,value_note",
        "*,*,True,Suppressed: small numbers",
        "40.0,5.0,False,",
        ",,False,",
    ]


def test_render_does_not_modify_its_input():
    protected = protect(pd.DataFrame({"count": [3, 40]}))
    before = protected.copy()
    render(protected)
    pd.testing.assert_frame_equal(protected, before)


def test_render_needs_a_protected_table():
    with pytest.raises(InputError, match=r"apply disclosure\.protect"):
        render(pd.DataFrame({"count": [3]}))

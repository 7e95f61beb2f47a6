"""Every key the workspace and catalogue readers accept is documented in docs/indicators.md,
and so is every value they accept for the enumerated keys."""

from pathlib import Path

import pytest

from healthgap.indicators.catalogue import (
    INDICATOR_KEYS,
    NUMERATOR_KEYS,
    PLUS_FLAGS,
    POPULATION_KEYS,
)
from healthgap.indicators.definition import (
    BREAKDOWNS,
    CORE20PLUS5_AREAS,
    MARMOT_PRINCIPLES,
    METHODS,
    PERIOD_KINDS,
    POLARITIES,
)
from healthgap.workspace import WORKSPACE_KEYS

DOCS = Path(__file__).parents[2] / "docs/indicators.md"


def _keys():
    """Every accepted key, as the docs' key tables name it (``population.min_age`` …)."""
    keys = list(INDICATOR_KEYS)
    keys += [f"population.{key}" for key in POPULATION_KEYS]
    keys += [f"numerator.{key}" for key in NUMERATOR_KEYS]
    for table, names in WORKSPACE_KEYS.items():
        keys += [f"{table}.{key}" if table else key for key in names]
    return keys


@pytest.fixture(scope="module")
def text():
    return DOCS.read_text(encoding="utf-8")


@pytest.mark.parametrize("key", _keys())
def test_key_has_a_row_in_a_key_table(text, key):
    rows = [line for line in text.splitlines() if line.startswith(f"| `{key}` |")]
    assert rows, f"docs/indicators.md has no table row for key {key!r}"
    cells = [cell.strip() for cell in rows[0].strip("|").split("|")]
    if len(cells) == 5:  # key tables: key, meaning, type, default, example
        assert all(cells), f"the row of {key!r} has an empty cell"


@pytest.mark.parametrize(
    "value",
    [*METHODS, *PERIOD_KINDS, *POLARITIES, *BREAKDOWNS, *MARMOT_PRINCIPLES, *CORE20PLUS5_AREAS,
     *PLUS_FLAGS, "event", "condition", "value"],
)  # fmt: skip
def test_accepted_value_is_documented(text, value):
    assert f"`{value}`" in text or f'"{value}"' in text, f"{value!r} is not in the docs"

"""The 2013 European Standard Population (ESP 2013) and matching age bands to it.

ESP 2013 is the standard population for directly standardised rates in England: 19
five-year age bands, ``0-4`` to ``85-89`` and ``90+``, summing to 100,000.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

import numpy as np
import pandas as pd

from healthgap.errors import InputError

#: Number of age bands in ESP 2013.
N_BANDS = 19

_LABEL = re.compile(r"^(\d{1,3})(?:-(\d{1,3})|(\+))?$")
_SHOWN = 5


@functools.cache
def _table() -> pd.DataFrame:
    path = resources.files("healthgap.reference") / "data" / "esp2013.csv"
    with path.open("r", encoding="utf-8") as handle:
        table = pd.read_csv(handle, dtype={"age_band": str, "start_age": int, "population": int})
    if len(table) != N_BANDS or table["population"].sum() != 100_000:  # pragma: no cover
        raise RuntimeError(
            "the shipped esp2013.csv is damaged: expected 19 bands summing to 100,000"
        )
    return table


def esp2013() -> pd.DataFrame:
    """The European Standard Population 2013 in 19 five-year age bands.

    Returns
    -------
    DataFrame
        ``age_band`` (``"0-4"`` … ``"90+"``), ``start_age`` (0, 5, …, 90) and
        ``population`` (summing to 100,000), youngest band first. A fresh copy each call.

    References
    ----------
    Eurostat (2013). *Revision of the European Standard Population: report of Eurostat's
    task force*. Publications Office of the European Union. ISBN 978-92-79-31094-2.

    Examples
    --------
    >>> table = esp2013()
    >>> int(table["population"].sum()), table["age_band"].iloc[-1]
    (100000, '90+')
    """
    return _table().copy()


def _position(value: object) -> int | None:
    """Band position 0–18 of one age label or start age, or None if it is not an ESP band."""
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | np.integer):
        start = int(value)
    elif isinstance(value, float | np.floating):
        if not float(value).is_integer():
            return None
        start = int(value)
    elif isinstance(value, str):
        match = _LABEL.match(re.sub(r"\s+", "", value).replace("–", "-"))
        if match is None:
            return None
        start = int(match[1])
        if match[2] is not None and (start >= 90 or int(match[2]) != start + 4):
            return None
        if match[3] is not None and start != 90:
            return None
    else:
        return None
    if start % 5 or not 0 <= start <= 90:
        return None
    return start // 5


def band_positions(df: pd.DataFrame, column: str) -> np.ndarray:
    """Each row's ESP 2013 band, as its position 0 (``0-4``) … 18 (``90+``).

    Accepts band labels (``"0-4"``, ``"00-04"``, ``"5 - 9"``, ``"90+"``: zero padding and
    spaces are ignored) or start ages (0, 5, …, 90, as numbers or text).

    Raises
    ------
    InputError
        Naming ``column`` and the rows whose value is missing or is not an ESP 2013 band.

    Examples
    --------
    >>> df = pd.DataFrame({"age": ["00-04", "5-9", "90+", 85]})
    >>> band_positions(df, "age").tolist()
    [0, 1, 18, 17]
    """
    codes, uniques = pd.factorize(df[column], use_na_sentinel=True)
    if (codes < 0).any():
        raise InputError("has missing values", column=column, rows=df.index[codes < 0])
    found = [_position(value) for value in uniques]  # one per distinct label, not per row
    bad = np.array([p is None for p in found], dtype=bool)
    if bad.any():
        shown = ", ".join(repr(v) for v in np.asarray(uniques, dtype=object)[bad][:_SHOWN])
        raise InputError(
            f"not a European Standard Population 2013 age band ({shown}); expected labels "
            "'0-4', '5-9', …, '85-89', '90+' or start ages 0, 5, …, 90",
            column=column,
            rows=df.index[bad[codes]],
        )
    return np.asarray(found, dtype=np.intp)[codes]


def standard_population(df: pd.DataFrame, column: str) -> np.ndarray:
    """Each row's ESP 2013 population, matched on the age band in ``column``.

    Examples
    --------
    >>> standard_population(pd.DataFrame({"age": ["0-4", "90+"]}), "age").tolist()
    [5000.0, 1000.0]
    """
    population = _table()["population"].to_numpy(dtype="float64")
    return population[band_positions(df, column)]

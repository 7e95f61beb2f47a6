"""Colour palettes, and classing values into a sequential palette's colours.

The sequential palettes are colour-blind safe and stay ordered in greyscale print:
ColorBrewer's YlGnBu (Harrower & Brewer, 2003) and matplotlib's viridis (Smith & van der
Walt, 2015), each at five classes.

References
----------
Harrower, M. & Brewer, C. A. (2003). ColorBrewer.org: an online tool for selecting colour
schemes for maps. *The Cartographic Journal*, 40(1), 27–37.
https://doi.org/10.1179/000870403235002042

Smith, N. & van der Walt, S. (2015). A better default colormap for Matplotlib. SciPy 2015
conference talk. https://bids.github.io/colormap/

Slocum, T. A., McMaster, R. B., Kessler, F. C. & Howard, H. H. (2009). *Thematic
Cartography and Geovisualization* (3rd ed.), ch. 5 (data classification: quantiles and
equal intervals). Pearson Prentice Hall.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

import numpy as np

from healthgap.errors import InputError

#: ColorBrewer YlGnBu, 5 classes, light (low) to dark (high).
YLGNBU_5: tuple[str, ...] = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")

#: viridis, 5 classes, dark (low) to light (high).
VIRIDIS_5: tuple[str, ...] = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")

#: Fingertips' colours for comparison with a benchmark (``"Similar"`` is Fingertips' own
#: word in downloads for what :func:`healthgap.methods.compare.compare` calls ``"Same"``).
COMPARISON_COLOURS: dict[str, str] = {
    "Better": "#92D050",
    "Same": "#FFC000",
    "Similar": "#FFC000",
    "Worse": "#C00000",
    "Lower": "#BED2FF",  # no judgement: lower than the benchmark
    "Higher": "#5555E6",  # no judgement: higher than the benchmark
    "Not compared": "#C9C9C9",
}

#: Every outcome :func:`healthgap.methods.compare.compare` gives → its colour's key.
OUTCOME_GROUPS: dict[str, str] = {
    "Best": "Better",
    "Better": "Better",
    "Same": "Similar",
    "Similar": "Similar",
    "Worse": "Worse",
    "Worst": "Worse",
    "Higher": "Higher",
    "Higher (99.8%)": "Higher",
    "Lower": "Lower",
    "Lower (99.8%)": "Lower",
    "Not compared": "Not compared",
}

#: Legend entries for :data:`COMPARISON_COLOURS`, in reading order.
COMPARISON_LEGEND: tuple[tuple[str, str], ...] = (
    ("Better", "#92D050"),
    ("Similar", "#FFC000"),
    ("Worse", "#C00000"),
    ("Not compared", "#C9C9C9"),
)

#: Legend entries for indicators with no polarity (higher is neither better nor worse).
NO_JUDGEMENT_LEGEND: tuple[tuple[str, str], ...] = (
    ("Lower", "#BED2FF"),
    ("Similar", "#FFC000"),
    ("Higher", "#5555E6"),
    ("Not compared", "#C9C9C9"),
)

Method = Literal["quantile", "equal"]


@dataclass(frozen=True)
class Classes:
    """Values classed for a map: each value's colour and the legend rows.

    Attributes
    ----------
    colour : tuple of (str or None)
        One per value; None where the value is missing.
    legend : tuple of (label, colour)
        One row per class, lowest first.
    counts : tuple of int
        Values in each legend row.
    """

    colour: tuple[str | None, ...]
    legend: tuple[tuple[str, str], ...]
    counts: tuple[int, ...]


@dataclass(frozen=True)
class Scale:
    """How values become colours: a sequential palette and a classification.

    Parameters
    ----------
    palette : sequence of str
        Colours from lowest to highest class; its length is the number of classes.
        Reverse it (``YLGNBU_5[::-1]``) to make low values dark.
    method : {"quantile", "equal"}
        ``"quantile"``: classes with (as near as ties allow) equal numbers of areas;
        class *j* of *k* holds values up to the ``j/k`` quantile (inverted empirical CDF,
        i.e. an observed value). ``"equal"``: equal-width intervals from the minimum to the
        maximum. Either way a value equal to a break falls in the lower class.
    breaks : sequence of float, optional
        Fixed upper bounds of every class but the last (``len(palette) - 1`` increasing
        numbers), to keep colours comparable between maps; overrides ``method``.

    Examples
    --------
    Ten values in five quantile classes of two:

    >>> classes = Scale().classify(np.arange(1.0, 11.0), "{:g}".format)
    >>> [label for label, _ in classes.legend]
    ['1 – 2', '3 – 4', '5 – 6', '7 – 8', '9 – 10']
    """

    palette: Sequence[str] = YLGNBU_5
    method: Method = "quantile"
    breaks: Sequence[float] | None = None

    def __post_init__(self) -> None:
        if len(self.palette) < 1:
            raise InputError("a scale needs at least one colour")
        if self.method not in ("quantile", "equal"):
            raise InputError(f"method must be 'quantile' or 'equal', not {self.method!r}")
        if self.breaks is not None:
            breaks = np.asarray(self.breaks, dtype=float)
            if len(breaks) != len(self.palette) - 1:
                raise InputError(
                    f"{len(self.palette)} colours need {len(self.palette) - 1} breaks, "
                    f"got {len(breaks)}"
                )
            if not np.all(np.isfinite(breaks)) or np.any(np.diff(breaks) <= 0):
                raise InputError("breaks must be finite and increasing")

    def classify(self, values: np.ndarray, fmt: Callable[[float], str]) -> Classes:
        """Colour of each value (NaN = missing → None) and the legend rows.

        Quantile classes are labelled with the lowest and highest value they hold (classes
        that ties leave empty are merged away); equal and fixed classes with their bounds,
        and are all shown even when empty so that maps stay comparable.
        """
        values = np.asarray(values, dtype=float)
        present = ~np.isnan(values)
        data = values[present]
        palette = list(self.palette)
        if not len(data):
            return Classes((None,) * len(values), (), ())
        low, high = float(data.min()), float(data.max())
        k = len(palette)
        if self.breaks is not None:
            breaks = np.asarray(self.breaks, dtype=float)
        elif self.method == "equal":
            breaks = low + (high - low) * np.arange(1, k) / k
        else:
            breaks = np.quantile(data, np.arange(1, k) / k, method="inverted_cdf")
            # Ties can repeat a break, or put one at the maximum: drop the empty classes
            # and spread the remaining ones across the palette.
            breaks = np.unique(breaks)
            breaks = breaks[breaks < high]
            spread = np.round(np.linspace(0, k - 1, len(breaks) + 1)).astype(int)
            palette = [palette[i] for i in spread.tolist()]
        index = np.searchsorted(breaks, data, side="left")
        counts = np.bincount(index, minlength=len(breaks) + 1)
        if self.breaks is None and self.method == "quantile":
            lows = np.full(len(breaks) + 1, np.inf)
            highs = np.full(len(breaks) + 1, -np.inf)
            np.minimum.at(lows, index, data)
            np.maximum.at(highs, index, data)
            labels = [_span(lo, hi, fmt) for lo, hi in zip(lows, highs, strict=True)]
        elif self.breaks is None:
            edges = [low, *breaks.tolist(), high]
            labels = [_span(a, b, fmt) for a, b in pairwise(edges)]
        else:
            labels = [
                f"up to {fmt(breaks[0])}",
                *(_span(a, b, fmt) for a, b in pairwise(breaks.tolist())),
                f"over {fmt(breaks[-1])}",
            ]
        colour = np.full(len(values), None, dtype=object)
        colour[present] = np.asarray(palette, dtype=object)[index]
        return Classes(
            tuple(colour.tolist()),
            tuple(zip(labels, palette, strict=True)),
            tuple(int(c) for c in counts),
        )


def _span(low: float, high: float, fmt: Callable[[float], str]) -> str:
    a, b = fmt(low), fmt(high)
    return a if a == b else f"{a} – {b}"

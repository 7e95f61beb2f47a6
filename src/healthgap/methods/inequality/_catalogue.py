"""All WHO HEAT summary measures, gathered from the family modules in HEAT's order."""

from __future__ import annotations

from functools import cache

from healthgap.methods.inequality import (
    attributable,
    concentration,
    mean_difference,
    pairwise,
    regression,
    theil,
    variance,
)
from healthgap.methods.inequality._measure import Measure

#: Output order of the measures (and the codes the API accepts).
ORDER: tuple[str, ...] = (
    "d", "r", "paf", "par", "aci", "rci", "sii", "rii", "bgv", "bgsd", "cov",
    "idisu", "idisw", "mdbu", "mdbw", "mdmu", "mdmw", "mdru", "mdrw", "ti", "mld",
)  # fmt: skip

_FAMILIES = (pairwise, attributable, variance, concentration, regression, mean_difference, theil)


@cache
def catalogue() -> dict[str, Measure]:
    """Every measure by code, in :data:`ORDER`.

    >>> list(catalogue()) == list(ORDER)
    True
    """
    found: dict[str, Measure] = {}
    for family in _FAMILIES:
        for measure in family.MEASURES:
            if measure.code not in ORDER or measure.code in found:
                raise RuntimeError(
                    f"{family.__name__} defines unknown or duplicate measure {measure.code!r}"
                )
            found[measure.code] = measure
    missing = [code for code in ORDER if code not in found]
    if missing:
        raise RuntimeError(f"no family module defines the measure(s) {', '.join(missing)}")
    return {code: found[code] for code in ORDER}

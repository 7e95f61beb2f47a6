"""All WHO HEAT summary measures, gathered from the family modules in HEAT's order."""

from __future__ import annotations

import importlib
from functools import cache

from healthgap.methods.inequality._measure import Measure

#: Output order of the measures (and the codes the API accepts).
ORDER: tuple[str, ...] = (
    "d", "r", "paf", "par", "aci", "rci", "sii", "rii", "bgv", "bgsd", "cov",
    "idisu", "idisw", "mdbu", "mdbw", "mdmu", "mdmw", "mdru", "mdrw", "ti", "mld",
)  # fmt: skip

_FAMILIES = (
    "pairwise",
    "attributable",
    "variance",
    "concentration",
    "regression",
    "mean_difference",
    "theil",
)
# TEMPORARY: these family modules are being written in parallel; until they land, a
# missing one is skipped (only a ModuleNotFoundError for exactly that module). Remove
# this set once they exist so that a missing module is an error again.
_PENDING = frozenset({"concentration", "regression", "mean_difference", "theil"})


@cache
def catalogue() -> dict[str, Measure]:
    """Every available measure by code, in :data:`ORDER`."""
    found: dict[str, Measure] = {}
    for family in _FAMILIES:
        name = f"{__package__}.{family}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if family in _PENDING and error.name == name:
                continue
            raise
        for measure in module.MEASURES:
            if measure.code not in ORDER or measure.code in found:
                raise RuntimeError(f"{name} defines unknown or duplicate measure {measure.code!r}")
            found[measure.code] = measure
    return {code: found[code] for code in ORDER if code in found}
